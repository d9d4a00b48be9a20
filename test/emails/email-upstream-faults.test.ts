import assert from 'node:assert/strict';
import { after, before, beforeEach, it } from 'node:test';
import { FORCE_REFUND_AFTER_MS } from '../../src/emails/email-jobs.js';
import { reconcileDelayMs } from '../../src/orders/reconcile.js';
import { UpstreamError, type UpstreamFailureKind } from '../../src/providers/types.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  assertLedgerClean,
  balanceOf,
  EMAIL,
  type Json,
  orderLedger,
  poll,
  ScriptedEmailProvider,
  scriptedFactories,
  serveFromUpstream,
} from './email-test-support.js';

const UPSTREAM_TIMEOUT_MS = 5_000;

describeEachDatabase('temp email API: upstream failures', (kind) => {
  let server: TestServer;
  let provider: ScriptedEmailProvider;
  let apiKey: string;
  let accountId: number;
  const call = (params: Record<string, string>) =>
    server.getJson<Json>(EMAIL, { api_key: apiKey, ...params });
  const orderState = async (id: string | number) =>
    (
      await server.ctx.db
        .selectFrom('email_orders')
        .select('state')
        .where('id', '=', Number(id))
        .executeTakeFirstOrThrow()
    ).state;
  const lastOrderId = async () =>
    (
      await server.ctx.db
        .selectFrom('email_orders')
        .select('id')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow()
    ).id;

  before(async () => {
    provider = new ScriptedEmailProvider();
    server = await startTestServer(kind, { factories: scriptedFactories(provider) });
    await serveFromUpstream(server, 1, {
      name: 'scripted',
      protocol: 'scripted',
      timeoutMs: UPSTREAM_TIMEOUT_MS,
    });
    ({ apiKey, id: accountId } = await server.newAccount(1_000_000));
  });
  beforeEach(() => {
    const fresh = new ScriptedEmailProvider();
    provider.buy = fresh.buy;
    provider.state = fresh.state;
    provider.cancelResult = fresh.cancelResult;
    provider.buys = 0;
    provider.cancels = 0;
  });
  after(() => server.close());

  it('maps each definite refusal to its reply, refunds at once, and never retries the purchase', async () => {
    const cases: Array<[UpstreamFailureKind, string, string]> = [
      ['no_numbers', '404', 'No stock available'],
      ['bad_request', '404', 'Service not available'],
      ['no_balance', '500', 'No email available'],
      ['price_changed', '500', 'No email available'],
      ['bad_key', '500', 'API connection error'],
      ['not_found', '500', 'API connection error'],
      ['unavailable', '500', 'API connection error'],
    ];
    for (const [failure, status, message] of cases) {
      const before = await balanceOf(server, accountId);
      const calls = provider.buys;
      provider.buy = async () => {
        provider.buys += 1;
        throw new UpstreamError(failure, `RAW_${failure}`);
      };
      const reply = await call({ action: 'buyEmail', service_id: 'ig' });
      assert.deepEqual(reply, { status, message }, failure);
      assert.equal(provider.buys, calls + 1, `${failure}: one upstream call`);
      assert.equal(await balanceOf(server, accountId), before, `${failure}: refunded`);
      const id = await lastOrderId();
      assert.equal(await orderState(id), 'failed');
      assert.deepEqual(await orderLedger(server, String(id)), [
        ['order_debit', -12_000],
        ['order_refund', 12_000],
      ]);
    }
  });

  it('leaves a purchase with a lost reply pending, then the worker refunds it once', async () => {
    for (const lost of [new UpstreamError('unknown_outcome', 'timeout'), new TypeError('socket hang up')]) {
      const before = await balanceOf(server, accountId);
      provider.buy = async () => {
        throw lost;
      };
      assert.deepEqual(await call({ action: 'buyEmail', service_id: 'ig' }), {
        status: '500',
        message: 'API connection error',
      });
      const id = await lastOrderId();
      assert.equal(await orderState(id), 'pending');
      assert.equal(await balanceOf(server, accountId), before - 12_000);
      // Should the customer learn the id (history), the order reads as still being settled.
      const waiting = await call({ action: 'getEmailCode', email_id: String(id) });
      assert.deepEqual([waiting.status, waiting.email, waiting.expires_in], ['202', '', 0]);
      const cancel = await call({ action: 'cancelEmail', email_id: String(id) });
      assert.deepEqual(
        [cancel.status, cancel.message],
        ['202', 'Purchase still being confirmed. Try again in a minute'],
      );
      await server.runJobs();
      assert.equal(await orderState(id), 'pending', 'not before the purchase must have ended');
      server.clock.advance(reconcileDelayMs(UPSTREAM_TIMEOUT_MS));
      await server.runJobs();
      await server.runJobs();
      assert.equal(await orderState(id), 'failed');
      assert.equal(await balanceOf(server, accountId), before);
      assert.deepEqual(await orderLedger(server, String(id)), [
        ['order_debit', -12_000],
        ['order_refund', 12_000],
      ]);
      const code = await call({ action: 'getEmailCode', email_id: String(id) });
      assert.deepEqual([code.status, code.message], ['300', 'Email purchase failed and was refunded']);
    }
  });

  it('gives a mailbox back upstream when the order was settled while the purchase hung', async () => {
    const before = await balanceOf(server, accountId);
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let started: () => void = () => {};
    const inFlight = new Promise<void>((resolve) => {
      started = resolve;
    });
    provider.buy = async () => {
      started();
      await released;
      return { upstreamOrderId: 'late-1', email: 'late@gmail.com' };
    };
    const reply = call({ action: 'buyEmail', service_id: 'ig' });
    await inFlight;
    server.clock.advance(reconcileDelayMs(UPSTREAM_TIMEOUT_MS));
    await server.runJobs();
    release();
    assert.deepEqual(await reply, { status: '500', message: 'Database error' });
    assert.equal(provider.cancels, 1);
    assert.equal(await balanceOf(server, accountId), before);
    assert.equal(await orderState(await lastOrderId()), 'failed');
  });

  it('keeps polling through upstream errors and refunds when the upstream ends the mailbox itself', async () => {
    const before = await balanceOf(server, accountId);
    const id = (await call({ action: 'buyEmail', service_id: 'ig' })).email_id as string;
    provider.state = async () => {
      throw new UpstreamError('unavailable', 'HTTP 502');
    };
    await poll(server);
    assert.equal(await orderState(id), 'waiting');
    provider.state = async () => ({ state: 'cancelled' });
    await poll(server);
    assert.equal(await orderState(id), 'expired');
    assert.equal(await balanceOf(server, accountId), before);
  });

  it('answers 500 and keeps the order when the upstream cannot be reached to cancel', async () => {
    const before = await balanceOf(server, accountId);
    const id = (await call({ action: 'buyEmail', service_id: 'ig' })).email_id as string;
    provider.cancelResult = async () => {
      throw new UpstreamError('unavailable', 'HTTP 503');
    };
    assert.deepEqual(await call({ action: 'cancelEmail', email_id: id }), {
      status: '500',
      message: 'API connection error',
    });
    assert.equal(await orderState(id), 'waiting');
    provider.cancelResult = async () => true;
    assert.equal((await call({ action: 'cancelEmail', email_id: id })).status, '200');
    assert.equal(await balanceOf(server, accountId), before);
  });

  it('at expiry delivers a letter the upstream refused to cancel for, and refunds when it keeps refusing', async () => {
    const before = await balanceOf(server, accountId);
    const withLetter = (await call({ action: 'buyEmail', service_id: 'ig' })).email_id as string;
    const empty = (await call({ action: 'buyEmail', service_id: 'ig' })).email_id as string;
    const letterFor = new Set<string>();
    provider.cancelResult = async () => false;
    provider.state = async (upstreamId) =>
      letterFor.has(upstreamId)
        ? {
            state: 'received',
            messages: [{ id: 'm1', text: 'Instagram code 224466', receivedAt: server.clock.now() }],
          }
        : { state: 'waiting' };
    server.clock.advance(1_200_000);
    const upstreamIdOf = async (id: string) =>
      (
        await server.ctx.db
          .selectFrom('email_orders')
          .select('upstream_order_id')
          .where('id', '=', Number(id))
          .executeTakeFirstOrThrow()
      ).upstream_order_id as string;
    letterFor.add(await upstreamIdOf(withLetter));
    await server.runJobs();
    assert.equal(await orderState(withLetter), 'received');
    assert.equal((await call({ action: 'getEmailCode', email_id: withLetter })).code, '224466');
    assert.equal(await orderState(empty), 'waiting');
    server.clock.advance(FORCE_REFUND_AFTER_MS);
    await server.runJobs();
    assert.equal(await orderState(empty), 'expired');
    assert.equal(await balanceOf(server, accountId), before - 12_000);
  });

  it('keeps the ledger consistent', async () => {
    await assertLedgerClean(server);
  });
});
