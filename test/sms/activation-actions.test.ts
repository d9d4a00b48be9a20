import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { productLines } from '../../src/app.js';
import { findSandboxOrder } from '../../src/providers/sandbox/sandbox.repository.js';
import { ledgerInvariants } from '../../src/wallet/invariants.js';
import { runInvariantChecks } from '../../src/wallet/ledger-check.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { balanceOf, deliverToSandbox, smsClient, tick } from './sms-helpers.js';

describeEachDatabase('SMS OTP API: getNumber, getStatus, setStatus', (kind) => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer(kind);
  });
  after(() => server.close());

  async function customer(balancePaisa = 10_000) {
    const account = await server.newAccount(balancePaisa);
    return { ...account, sms: smsClient(server, account.apiKey) };
  }

  const upstreamOrderOf = async (publicId: string) => {
    const row = await server.ctx.db
      .selectFrom('activations')
      .select('upstream_order_id')
      .where('public_id', '=', publicId)
      .executeTakeFirstOrThrow();
    return findSandboxOrder(server.ctx.db, Number(row.upstream_order_id));
  };

  it('sells a number: ACCESS_NUMBER:id:phone (no "+"), charging the listed price', async () => {
    const { id, sms } = await customer(30_000);
    const { id: orderId, phone } = await sms.buy();
    assert.match(phone, /^92555\d{7}$/);
    assert.equal(await balanceOf(server, id), 30_000 - 4_500);
    assert.equal(await sms.call('getBalance'), 'ACCESS_BALANCE:255.00');
    assert.equal(await sms.status(orderId), 'STATUS_WAIT_CODE');
    // POST forms work the same way.
    const posted = await sms.post('getNumber', { service: '102', country: '12', type: '1' });
    assert.match(posted, /^ACCESS_NUMBER:[1-9]\d{12}:1555\d{7}$/);
    assert.equal(await balanceOf(server, id), 30_000 - 4_500 - 15_000);
  });

  it('answers NO_BALANCE when the wallet does not cover the price, and takes nothing', async () => {
    const { id, sms } = await customer(4_499);
    assert.equal(await sms.call('getNumber', { service: '101', country: '61', type: '1' }), 'NO_BALANCE');
    assert.equal(await balanceOf(server, id), 4_499);
  });

  it('answers BAD_SERVICE, BAD_COUNTRY and BAD_TYPE for what the catalog does not have', async () => {
    const { id, sms } = await customer();
    const cases: Array<[Record<string, string>, string]> = [
      [{ country: '61', type: '1' }, 'BAD_SERVICE'],
      [{ service: '', country: '61', type: '1' }, 'BAD_SERVICE'],
      // SMS-Activate codes (tg, wa, …) are accepted (sms-activate-compat.ts); an unknown code is not.
      [{ service: 'zz', country: '61', type: '1' }, 'BAD_SERVICE'],
      [{ service: '999', country: '61', type: '1' }, 'BAD_SERVICE'],
      [{ service: '104', country: '61', type: '1' }, 'BAD_SERVICE'],
      [{ service: '101', type: '1' }, 'BAD_COUNTRY'],
      [{ service: '101', country: '9999', type: '1' }, 'BAD_COUNTRY'],
      [{ service: '101', country: '6', type: '2' }, 'BAD_COUNTRY'],
      [{ service: '101', country: '61', type: '0' }, 'BAD_TYPE'],
      [{ service: '101', country: '61', type: '7' }, 'BAD_TYPE'],
      [{ service: '101', country: '61', type: 'x' }, 'BAD_TYPE'],
    ];
    for (const [params, expected] of cases) {
      assert.equal(await sms.call('getNumber', params), expected, JSON.stringify(params));
    }
    assert.equal(await balanceOf(server, id), 10_000);
    // No type: type 1.
    assert.match(await sms.call('getNumber', { service: '101', country: '61' }), /^ACCESS_NUMBER:/);
  });

  it('shows the code after delivery: STATUS_OK:code, then ACCESS_FINISH on 6 (and on 3)', async () => {
    const { id, sms } = await customer();
    const first = await sms.buy();
    const second = await sms.buy();
    assert.equal(await sms.setStatus(first.id, '6'), 'NO_SMS_RECEIVED');
    assert.equal(await sms.setStatus(first.id, '3'), 'NO_SMS_RECEIVED');
    await deliverToSandbox(server, first.id, 'Telegram code: 52917. Do not give this code to anyone.');
    await deliverToSandbox(server, second.id, 'Your Telegram code is 841-320');
    await tick(server);
    assert.equal(await sms.status(first.id), 'STATUS_OK:52917');
    assert.equal(await sms.status(second.id), 'STATUS_OK:841320');
    assert.equal(await sms.setStatus(first.id, '6'), 'ACCESS_FINISH');
    assert.equal(await sms.setStatus(second.id, '3'), 'ACCESS_FINISH');
    assert.equal(await sms.status(first.id), 'STATUS_OK:52917');
    assert.equal(await sms.setStatus(first.id, '6'), 'STATUS_ALREADY_CHANGED');
    assert.equal(await sms.setStatus(first.id, '8'), 'STATUS_ALREADY_CHANGED');
    assert.equal((await upstreamOrderOf(first.id))?.status, 'finished');
    assert.equal(await balanceOf(server, id), 10_000 - 9_000);
  });

  it('delivers the sandbox code by itself after OTPGET_SANDBOX_DELAY_MS', async () => {
    const auto = await startTestServer(kind, { env: { OTPGET_SANDBOX_DELAY_MS: '5000' } });
    try {
      const { apiKey } = await auto.newAccount(10_000);
      const sms = smsClient(auto, apiKey);
      const { id } = await sms.buy();
      await tick(auto, 1_000);
      assert.equal(await sms.status(id), 'STATUS_WAIT_CODE');
      await tick(auto, 5_000);
      assert.match(await sms.status(id), /^STATUS_OK:\d{6}$/);
    } finally {
      await auto.close();
    }
  });

  it('cancels with 8 only after two minutes: EARLY_CANCEL_DENIED, then ACCESS_READY and a refund', async () => {
    const { id, sms } = await customer();
    const order = await sms.buy();
    assert.equal(await sms.setStatus(order.id, '8'), 'EARLY_CANCEL_DENIED');
    server.clock.advance(119_000);
    assert.equal(await sms.setStatus(order.id, '8'), 'EARLY_CANCEL_DENIED');
    server.clock.advance(1_000);
    assert.equal(await sms.setStatus(order.id, '8'), 'ACCESS_READY');
    assert.equal(await balanceOf(server, id), 10_000);
    assert.equal(await sms.status(order.id), 'STATUS_CANCEL');
    assert.equal(await sms.setStatus(order.id, '8'), 'STATUS_ALREADY_CHANGED');
    assert.equal(await sms.setStatus(order.id, '6'), 'STATUS_ALREADY_CHANGED');
    assert.equal(await balanceOf(server, id), 10_000);
    assert.equal((await upstreamOrderOf(order.id))?.status, 'cancelled');
  });

  it('refuses a cancel once a code came, even one not yet polled, and shows the code', async () => {
    const { id, sms } = await customer();
    const order = await sms.buy();
    server.clock.advance(180_000);
    await deliverToSandbox(server, order.id, 'Your Telegram code is 662301');
    assert.equal(await sms.setStatus(order.id, '8'), 'STATUS_ALREADY_CHANGED');
    assert.equal(await sms.status(order.id), 'STATUS_OK:662301');
    assert.equal(await balanceOf(server, id), 5_500);
  });

  it('expires after the lifetime: no code → STATUS_CANCEL and refunded; code → kept and charged', async () => {
    const { id, sms } = await customer(20_000);
    const silent = await sms.buy();
    const answered = await sms.buy();
    await deliverToSandbox(server, answered.id, 'Telegram code 90210');
    await tick(server);
    await tick(server, 1_200_000);
    assert.equal(await sms.status(silent.id), 'STATUS_CANCEL');
    assert.equal(await sms.status(answered.id), 'STATUS_OK:90210');
    assert.equal(await sms.setStatus(answered.id, '6'), 'STATUS_ALREADY_CHANGED');
    assert.equal(await balanceOf(server, id), 20_000 - 4_500);
  });

  it("answers BAD_ID, BAD_STATUS and NO_ACTIVATION, also for another customer's id", async () => {
    const owner = await customer();
    const stranger = await customer();
    const order = await owner.sms.buy();
    assert.equal(await stranger.sms.call('getStatus'), 'BAD_ID');
    assert.equal(await stranger.sms.call('getStatus', { id: '  ' }), 'BAD_ID');
    assert.equal(await stranger.sms.call('setStatus', { status: '8' }), 'BAD_ID');
    for (const status of ['', '1', '2', '9', '-1', '6.0', 'x']) {
      assert.equal(await stranger.sms.setStatus(order.id, status), 'BAD_STATUS', status);
    }
    assert.equal(await stranger.sms.call('setStatus', { id: order.id }), 'BAD_STATUS');
    assert.equal(await stranger.sms.status(order.id), 'NO_ACTIVATION');
    assert.equal(await stranger.sms.status('abc123xyz'), 'NO_ACTIVATION');
    assert.equal(await stranger.sms.status("1' OR '1'='1"), 'NO_ACTIVATION');
    server.clock.advance(300_000);
    assert.equal(await stranger.sms.setStatus(order.id, '8'), 'NO_ACTIVATION');
    assert.equal(await stranger.sms.setStatus(order.id, '6'), 'NO_ACTIVATION');
    assert.equal(await owner.sms.status(order.id), 'STATUS_WAIT_CODE');
    assert.equal(await balanceOf(server, owner.id), 5_500);
  });

  it('keeps every ledger invariant', async () => {
    assert.deepEqual(await runInvariantChecks(server.ctx.db, ledgerInvariants(productLines())), []);
  });
});
