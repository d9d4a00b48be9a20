import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { setUpstreamPush } from '../../src/admin/upstreams-admin.service.js';
import { pushPath } from '../../src/providers/push-tokens.js';
import { findUpstreamByName } from '../../src/providers/upstreams.repository.js';
import type { FakeSmsActivate } from '../fakes/sms-activate-fake.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { assertLedgerClean, ledgerOf } from '../helpers/ledger.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { fakeUpstreamForType2, smsClient } from '../sms/sms-helpers.js';

const ACTOR = { operatorId: null, name: 'cli:test' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Upstream push: the fake SMS-Activate upstream POSTs to our push URL when an SMS lands. No
 * background job runs in these tests (the test server runs jobs only when told), so a code that
 * reaches the customer got there by the push, read back from the upstream.
 */
describeEachDatabase('Upstream push of SMS-Activate activations', (kind) => {
  let server: TestServer;
  let fake: FakeSmsActivate;
  let upstreamId: number;
  let pushUrl: string;
  let sms: ReturnType<typeof smsClient>;
  let accountId: number;

  before(async () => {
    server = await startTestServer(kind);
    fake = await fakeUpstreamForType2(server, { timeoutMs: 2_000, stocked: true });
    const upstream = await findUpstreamByName(server.ctx.db, 'sms-type-2');
    assert.ok(upstream);
    upstreamId = upstream.id;
    const issued = await setUpstreamPush(server.ctx.db, server.clock, ACTOR, upstreamId, false);
    assert.ok(issued.token);
    pushUrl = `${server.url}${pushPath(upstreamId, issued.token)}`;
    fake.setPushUrl(pushUrl);
    const account = await server.newAccount(1_000_000);
    accountId = account.id;
    sms = smsClient(server, account.apiKey);
  });
  after(async () => {
    await server.close();
    await fake.close();
  });

  async function buy() {
    const { id, phone } = await sms.buy({ service: '101', country: '61', type: '2' });
    const upstream = [...fake.activations.values()].find((a) => a.phone === phone);
    assert.ok(upstream);
    return { id, upstreamOrderId: upstream.id };
  }

  /** getStatus until it stops waiting, for at most `ms` of real time. */
  async function statusWithin(id: string, ms: number): Promise<string> {
    const started = Date.now();
    for (;;) {
      const reply = await sms.status(id);
      if (reply !== 'STATUS_WAIT_CODE' || Date.now() - started > ms) return reply;
      await sleep(10);
    }
  }

  const post = (url: string, body: unknown) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });

  it('brings a pushed code to getStatus without any poll, read back from the upstream', async () => {
    const order = await buy();
    const reads = fake.count('getStatus');
    fake.deliverSms(order.upstreamOrderId, 'Your Telegram code is 52917');
    assert.equal(await statusWithin(order.id, 2_000), 'STATUS_OK:52917');
    assert.equal(fake.count('getStatus'), reads + 1, 'the push was confirmed by one read of that order');
  });

  it('answers 404 to a wrong token or upstream, and 200 at once to a good one', async () => {
    const wrongToken = `${server.url}${pushPath(upstreamId, 'not-the-token')}`;
    const body = { activationId: 1, service: 'tg', text: 'x', code: '1', country: 0, receivedAt: '' };
    assert.equal((await post(wrongToken, body)).status, 404);
    assert.equal(
      (await post(pushUrl.replace(`/upstream/${upstreamId}/`, '/upstream/9999/'), body)).status,
      404,
    );
    const good = await post(pushUrl, body);
    assert.equal(good.status, 200);
    assert.deepEqual(await good.json(), { status: 'accepted' });
    const junk = await fetch(pushUrl, { method: 'POST', body: 'not json at all' });
    assert.equal(junk.status, 200);
    assert.deepEqual(await junk.json(), { status: 'ignored' });
  });

  it('changes nothing for a forged push: wrong token, or a right token naming a code the upstream does not have', async () => {
    const order = await buy();
    const forged = {
      activationId: Number(order.upstreamOrderId),
      service: 'tg',
      text: 'Your Telegram code is 11111',
      code: '11111',
      country: 0,
      receivedAt: '2026-03-09 20:57:32',
    };
    await post(`${server.url}${pushPath(upstreamId, 'guessed')}`, forged);
    const reads = fake.count('getStatus');
    // Right token, but the upstream holds no SMS: the read-back says "waiting", and so do we.
    assert.equal((await post(pushUrl, forged)).status, 200);
    for (let waited = 0; waited < 1_000 && fake.count('getStatus') === reads; waited += 10) await sleep(10);
    assert.equal(fake.count('getStatus'), reads + 1);
    await sleep(50);
    assert.equal(await sms.status(order.id), 'STATUS_WAIT_CODE');
  });

  it('ignores a push for an order we do not have, and a replay changes nothing', async () => {
    const reads = fake.count('getStatus');
    const unknown = { activationId: 987654321, service: 'tg', text: 'code 1', code: '1', country: 0 };
    assert.equal((await post(pushUrl, unknown)).status, 200);
    await sleep(100);
    assert.equal(fake.count('getStatus'), reads, 'no upstream read for an order we do not have');

    const order = await buy();
    fake.deliverSms(order.upstreamOrderId, 'Your Telegram code is 60606');
    assert.equal(await statusWithin(order.id, 2_000), 'STATUS_OK:60606');
    assert.equal(await sms.setStatus(order.id, '6'), 'ACCESS_FINISH');
    const lines = (await ledgerOf(server.ctx, accountId)).length;
    const replay = {
      activationId: Number(order.upstreamOrderId),
      service: 'tg',
      text: 'Your Telegram code is 70707',
      code: '70707',
      country: 0,
    };
    for (let i = 0; i < 5; i++) assert.equal((await post(pushUrl, replay)).status, 200);
    await sleep(200);
    assert.equal(await sms.status(order.id), 'STATUS_OK:60606');
    assert.equal((await ledgerOf(server.ctx, accountId)).length, lines);
    await assertLedgerClean(server.ctx);
  });

  it('stops accepting the old URL once push is turned off or the token is replaced', async () => {
    const renewed = await setUpstreamPush(server.ctx.db, server.clock, ACTOR, upstreamId, false);
    assert.ok(renewed.token);
    const body = { activationId: 1, code: '1', text: 'x' };
    // The registry re-reads upstream rows every 2 s.
    server.clock.advance(3_000);
    await sleep(0);
    const fresh = `${server.url}${pushPath(upstreamId, renewed.token)}`;
    let old = 0;
    for (let waited = 0; waited < 3_000; waited += 100) {
      old = (await post(pushUrl, body)).status;
      if (old === 404) break;
      await sleep(100);
    }
    assert.equal(old, 404, 'the replaced URL');
    assert.equal((await post(fresh, body)).status, 200);
    await setUpstreamPush(server.ctx.db, server.clock, ACTOR, upstreamId, true);
    let off = 0;
    for (let waited = 0; waited < 3_000; waited += 100) {
      off = (await post(fresh, body)).status;
      if (off === 404) break;
      await sleep(100);
    }
    assert.equal(off, 404, 'push turned off');
    pushUrl = fresh;
  });
});
