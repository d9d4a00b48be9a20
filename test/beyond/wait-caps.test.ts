import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { IDEMPOTENCY_RETENTION_MS, requestHash } from '../../src/idempotency/idempotency.js';
import { IDEMPOTENCY_WORDS } from '../../src/idempotency/idempotency-replies.js';
import { buildJobs } from '../../src/workers/jobs.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const SMS = '/stubs/handler_api.php';

describeEachDatabase('per-account caps on waiting requests, and idempotency key housekeeping', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind, {
      env: {
        OTPGET_LONG_POLLS_PER_ACCOUNT: '2',
        OTPGET_IDEMPOTENCY_WAITS_PER_ACCOUNT: '1',
        OTPGET_IDEMPOTENCY_KEYS_PER_ACCOUNT: '3',
      },
    });
  });
  after(() => server.close());

  const get = async (params: Record<string, string>) =>
    (await fetch(`${server.url}${SMS}?${new URLSearchParams(params)}`)).text();
  /** Resolves to the body and how long it took. */
  const timed = async (params: Record<string, string>) => {
    const started = Date.now();
    const body = await get(params);
    return { body, ms: Date.now() - started };
  };

  async function boughtNumber() {
    const account = await server.newAccount(100_000);
    const bought = await get({
      api_key: account.apiKey,
      action: 'getNumber',
      service: '101',
      country: '61',
      type: '1',
    });
    assert.match(bought, /^ACCESS_NUMBER:/);
    return { ...account, orderId: bought.split(':')[1] as string };
  }

  it('an account over its long-poll cap gets the waiting reply at once; other accounts still wait', async () => {
    const { id, apiKey, orderId } = await boughtNumber();
    const poll = { api_key: apiKey, action: 'getStatus', id: orderId };
    const holding = [timed({ ...poll, wait: '2' }), timed({ ...poll, wait: '2' })];
    await new Promise((resolve) => setTimeout(resolve, 300));
    const excess = await timed({ ...poll, wait: '2' });
    assert.equal(excess.body, 'STATUS_WAIT_CODE');
    assert.ok(excess.ms < 700, `the third long-poll answered after ${excess.ms} ms`);
    const other = await boughtNumber();
    const otherPoll = await timed({
      api_key: other.apiKey,
      action: 'getStatus',
      id: other.orderId,
      wait: '1',
    });
    assert.ok(otherPoll.ms >= 950, 'another account is not affected');
    for (const held of await Promise.all(holding)) {
      assert.equal(held.body, 'STATUS_WAIT_CODE');
      assert.ok(held.ms >= 1_900, `held ${held.ms} ms`);
    }
    assert.equal(server.ctx.waitSlots.held('long_poll', id), 0);
    const again = await timed({ ...poll, wait: '1' });
    assert.ok(again.ms >= 950, 'slots are given back when the polls end');
  });

  it('an account over its idempotency-wait cap gets IDEMPOTENCY_IN_PROGRESS at once', async () => {
    const { id, apiKey } = await server.newAccount(100_000);
    const buy = { api_key: apiKey, action: 'getNumber', service: '101', country: '61', type: '1' };
    // A first request with this key that is still running.
    const inserted = await server.ctx.db
      .insertInto('idempotency_keys')
      .values({
        account_id: id,
        idem_key: 'slow-first',
        request_hash: requestHash(SMS, 'getNumber', buy),
        state: 'in_progress',
        reply_kind: null,
        reply_body: null,
        created_at: server.clock.now(),
        completed_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const waiting = timed({ ...buy, idempotency_key: 'slow-first' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const excess = await timed({ ...buy, idempotency_key: 'slow-first' });
    assert.equal(excess.body, IDEMPOTENCY_WORDS.in_progress);
    assert.ok(excess.ms < 700, `answered after ${excess.ms} ms`);
    await server.ctx.db
      .updateTable('idempotency_keys')
      .set({ state: 'done', reply_kind: 'text', reply_body: 'ACCESS_NUMBER:x:923001234567', completed_at: 1 })
      .where('id', '=', inserted.id)
      .execute();
    assert.equal((await waiting).body, 'ACCESS_NUMBER:x:923001234567', 'the one in its slot got the reply');
    assert.equal(server.ctx.waitSlots.held('idempotency', id), 0);
  });

  it('the cleanup job forgets in-progress keys past the retention and trims accounts to their cap', async () => {
    const [crowded, other] = [await server.newAccount(0), await server.newAccount(0)];
    const now = server.clock.now();
    const row = (accountId: number, key: string, state: 'done' | 'in_progress', createdAt: number) => ({
      account_id: accountId,
      idem_key: key,
      request_hash: 'h',
      state,
      reply_kind: state === 'done' ? 'text' : null,
      reply_body: state === 'done' ? 'OK' : null,
      created_at: createdAt,
      completed_at: state === 'done' ? createdAt : null,
    });
    await server.ctx.db
      .insertInto('idempotency_keys')
      .values([
        row(other.id, 'died-long-ago', 'in_progress', now - IDEMPOTENCY_RETENTION_MS - 1),
        row(other.id, 'died-recently', 'in_progress', now - 3600_000),
        ...['k1', 'k2', 'k3', 'k4', 'k5'].map((key) => row(crowded.id, key, 'done', now)),
      ])
      .execute();
    const cleanup = buildJobs(server.ctx).find((job) => job.name === 'idempotency-cleanup');
    assert.ok(cleanup);
    await cleanup.run(new AbortController().signal);
    const keysOf = async (accountId: number) =>
      (
        await server.ctx.db
          .selectFrom('idempotency_keys')
          .select('idem_key')
          .where('account_id', '=', accountId)
          .orderBy('id')
          .execute()
      ).map((r) => r.idem_key);
    assert.deepEqual(
      await keysOf(other.id),
      ['died-recently'],
      'a recent in-progress key keeps refusing its key',
    );
    assert.deepEqual(await keysOf(crowded.id), ['k3', 'k4', 'k5'], 'the newest 3 keys are kept');
  });
});
