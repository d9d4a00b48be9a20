import assert from 'node:assert/strict';
import { after, before, beforeEach, it } from 'node:test';
import { productLines } from '../../src/app.js';
import { ledgerInvariants } from '../../src/wallet/invariants.js';
import { runInvariantChecks } from '../../src/wallet/ledger-check.js';
import type { FakeSmsActivate } from '../fakes/sms-activate-fake.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { balanceOf, fakeUpstreamForType2, smsClient, tick } from './sms-helpers.js';

/**
 * Provider type 2 on a scripted SMS-Activate-protocol upstream, through the real adapter:
 * Pakistan (61) Telegram (101) is the upstream's country "0" service "tg" at 0.50 USD; with
 * 280 PKR/USD and no markup the customer pays 140.00 PKR.
 */
describeEachDatabase('SMS OTP API on an SMS-Activate-protocol upstream', (kind) => {
  let server: TestServer;
  let fake: FakeSmsActivate;
  const BUY = { service: '101', country: '61', type: '2' };
  const PRICE = 14_000;

  before(async () => {
    server = await startTestServer(kind);
    fake = await fakeUpstreamForType2(server, { timeoutMs: 1_000, stocked: false });
  });
  after(async () => {
    await server.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.clearFaults();
    fake.supportsActiveList = true;
    fake.setBalance('100');
    fake.setPrice('0', 'tg', '0.5');
    fake.setStock('0', 'tg', 1_000);
  });

  async function customer(balancePaisa = 100_000) {
    const account = await server.newAccount(balancePaisa);
    return { ...account, sms: smsClient(server, account.apiKey) };
  }
  const upstreamIdOf = async (publicId: string) =>
    (
      await server.ctx.db
        .selectFrom('activations')
        .select('upstream_order_id')
        .where('public_id', '=', publicId)
        .executeTakeFirstOrThrow()
    ).upstream_order_id as string;

  it('prices the offer from the upstream cost, sells its number, and shows a code that arrives', async () => {
    const { id, sms } = await customer();
    assert.match(await sms.call('getServices', { country: '61', type: '2' }), /"101":"Telegram - 140 PKR"/);
    const order = await sms.buy(BUY);
    assert.match(order.phone, /^79\d{9}$/);
    assert.equal(await balanceOf(server, id), 100_000 - PRICE);
    const getNumber = fake.requests.filter((r) => r.action === 'getNumber').at(-1);
    assert.equal(getNumber?.params.maxPrice, '0.5');
    assert.equal(getNumber?.params.country, '0');
    assert.equal(getNumber?.params.service, 'tg');

    await tick(server);
    assert.equal(await sms.status(order.id), 'STATUS_WAIT_CODE');
    fake.deliverSms(await upstreamIdOf(order.id), 'Your Telegram code: 48213. Do not share it.');
    await tick(server);
    assert.equal(await sms.status(order.id), 'STATUS_OK:48213');
    assert.equal(await sms.setStatus(order.id, '6'), 'ACCESS_FINISH');
    assert.equal(fake.activations.get(await upstreamIdOf(order.id))?.state, 'finished');
  });

  it('polls with one list call per interval however many orders are live', async () => {
    const { sms } = await customer();
    const orders = await Promise.all(Array.from({ length: 6 }, () => sms.buy(BUY)));
    const listBefore = fake.count('getActiveActivations');
    const statusBefore = fake.count('getStatus');
    await tick(server);
    await tick(server);
    assert.equal(fake.count('getActiveActivations') - listBefore, 2);
    assert.equal(fake.count('getStatus') - statusBefore, 0);
    fake.deliverSms(await upstreamIdOf(orders[3]?.id as string), 'code 1234-56 for Telegram', {
      code: '123456',
    });
    await tick(server);
    assert.equal(await sms.status(orders[3]?.id as string), 'STATUS_OK:123456');
    assert.equal(await sms.status(orders[2]?.id as string), 'STATUS_WAIT_CODE');
  });

  it('polls order by order where the upstream cannot list', async () => {
    const { sms } = await customer();
    fake.supportsActiveList = false;
    const order = await sms.buy(BUY);
    // A fresh adapter each time the upstream row changes; make sure this process forgets "can list".
    await tick(server, 4_000);
    fake.deliverSms(await upstreamIdOf(order.id), 'Telegram code 70415');
    await tick(server, 4_000);
    assert.equal(await sms.status(order.id), 'STATUS_OK:70415');
    assert.ok(fake.count('getStatus') > 0);
  });

  it('answers NO_NUMBERS and refunds when the upstream has no stock', async () => {
    const { id, sms } = await customer();
    fake.setStock('0', 'tg', 0);
    assert.equal(await sms.call('getNumber', BUY), 'NO_NUMBERS');
    assert.equal(await balanceOf(server, id), 100_000);
  });

  it('answers ERROR_PROVIDER_2:raw and refunds for NO_BALANCE upstream, HTTP 500 and garbage', async () => {
    const { id, sms } = await customer();
    fake.setBalance('0');
    assert.equal(await sms.call('getNumber', BUY), 'ERROR_PROVIDER_2:NO_BALANCE');
    fake.setBalance('100');
    fake.failNext('getNumber', 'http500');
    assert.equal(await sms.call('getNumber', BUY), 'ERROR_PROVIDER_2:Internal Server Error');
    fake.failNext('getNumber', 'garbage');
    const garbage = await sms.call('getNumber', BUY);
    assert.match(garbage, /^ERROR_PROVIDER_2:[^\n\r\0]+$/);
    fake.failNext('getNumber', 'html');
    assert.match(await sms.call('getNumber', BUY), /^ERROR_PROVIDER_2:/);
    assert.equal(await balanceOf(server, id), 100_000);
  });

  it('answers ERROR_PRICE_CHANGE and refunds when the upstream price rose above what the price covers', async () => {
    const { id, sms } = await customer();
    fake.setPrice('0', 'tg', '0.51');
    assert.equal(await sms.call('getNumber', BUY), 'ERROR_PRICE_CHANGE');
    assert.equal(await balanceOf(server, id), 100_000);
  });

  for (const how of ['timeout', 'reset'] as const) {
    it(`settles a getNumber whose reply was lost (${how}): refunded once, never also charged`, async () => {
      const { id, sms } = await customer();
      fake.loseNextReply('getNumber', how);
      const bought = fake.activations.size;
      assert.equal(await sms.call('getNumber', BUY), 'ERROR_PROVIDER_2:NO_REPLY');
      assert.equal(fake.activations.size, bought + 1, 'the upstream did sell a number');
      assert.equal(await balanceOf(server, id), 100_000 - PRICE, 'held until reconciled');
      await tick(server, 60_000);
      assert.equal(await balanceOf(server, id), 100_000 - PRICE, 'not before the reconcile delay');
      await tick(server, 61_000);
      assert.equal(await balanceOf(server, id), 100_000);
      await tick(server, 600_000);
      assert.equal(await balanceOf(server, id), 100_000);
      const pending = await server.ctx.db
        .selectFrom('activations')
        .select(['state'])
        .where('account_id', '=', id)
        .execute();
      assert.deepEqual(
        pending.map((r) => r.state),
        ['failed'],
      );
    });
  }

  it('cancels upstream first and refunds once it confirms', async () => {
    const { id, sms } = await customer();
    const order = await sms.buy(BUY);
    server.clock.advance(121_000);
    assert.equal(await sms.setStatus(order.id, '8'), 'ACCESS_READY');
    assert.equal(fake.activations.get(await upstreamIdOf(order.id))?.state, 'cancelled');
    assert.equal(await balanceOf(server, id), 100_000);
  });

  it('keeps the money when the upstream cannot confirm a cancel, and cancels on retry', async () => {
    const { id, sms } = await customer();
    const order = await sms.buy(BUY);
    server.clock.advance(121_000);
    fake.failNext('setStatus', 'http500');
    assert.equal(await sms.setStatus(order.id, '8'), 'ERROR_PROVIDER_2:Internal Server Error');
    assert.equal(await balanceOf(server, id), 100_000 - PRICE);
    assert.equal(await sms.status(order.id), 'STATUS_WAIT_CODE');
    fake.failNext('setStatus', 'EARLY_CANCEL_DENIED');
    assert.equal(await sms.setStatus(order.id, '8'), 'EARLY_CANCEL_DENIED');
    assert.equal(await sms.setStatus(order.id, '8'), 'ACCESS_READY');
    assert.equal(await balanceOf(server, id), 100_000);
  });

  it('answers a cancel refused because a code came with STATUS_ALREADY_CHANGED and shows the code', async () => {
    const { id, sms } = await customer();
    const order = await sms.buy(BUY);
    server.clock.advance(121_000);
    fake.deliverSms(await upstreamIdOf(order.id), 'Telegram code 55120');
    assert.equal(await sms.setStatus(order.id, '8'), 'STATUS_ALREADY_CHANGED');
    assert.equal(await sms.status(order.id), 'STATUS_OK:55120');
    assert.equal(await balanceOf(server, id), 100_000 - PRICE);
  });

  it('refunds an order the upstream cancelled by itself, and expires the rest with an upstream cancel', async () => {
    const { id, sms } = await customer();
    const dropped = await sms.buy(BUY);
    const silent = await sms.buy(BUY);
    const droppedUpstream = fake.activations.get(await upstreamIdOf(dropped.id));
    assert.ok(droppedUpstream);
    droppedUpstream.state = 'cancelled';
    await tick(server, 4_000);
    await tick(server, 4_000);
    assert.equal(await sms.status(dropped.id), 'STATUS_CANCEL');
    assert.equal(await balanceOf(server, id), 100_000 - PRICE);
    await tick(server, 1_200_000);
    assert.equal(await sms.status(silent.id), 'STATUS_CANCEL');
    assert.equal(fake.activations.get(await upstreamIdOf(silent.id))?.state, 'cancelled');
    assert.equal(await balanceOf(server, id), 100_000);
  });

  it('refunds at expiry even when the upstream stays unreachable, after a grace period', async () => {
    const { id, sms } = await customer();
    const order = await sms.buy(BUY);
    fake.failNext('setStatus', 'http500', 100);
    fake.failNext('getActiveActivations', 'http500', 100);
    await tick(server, 1_200_000);
    assert.equal(await sms.status(order.id), 'STATUS_WAIT_CODE');
    assert.equal(await balanceOf(server, id), 100_000 - PRICE);
    await tick(server, 11 * 60_000);
    assert.equal(await sms.status(order.id), 'STATUS_CANCEL');
    assert.equal(await balanceOf(server, id), 100_000);
  });

  it('follows upstream cost changes through the price sync', async () => {
    const { sms } = await customer();
    fake.setPrice('0', 'tg', '0.6');
    server.clock.advance(11 * 60_000);
    await server.runJobs();
    // 0.6 USD × 280 = 168 PKR.
    assert.match(await sms.call('getServices', { country: '61', type: '2' }), /"101":"Telegram - 168 PKR"/);
    const order = await sms.buy(BUY);
    assert.match(order.id, /^[1-9]\d{12}$/);
  });

  it('keeps every ledger invariant', async () => {
    assert.deepEqual(await runInvariantChecks(server.ctx.db, ledgerInvariants(productLines())), []);
  });
});
