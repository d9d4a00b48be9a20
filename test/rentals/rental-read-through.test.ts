import assert from 'node:assert/strict';
import { after, before, beforeEach, it } from 'node:test';
import { findRentalCountry, updateRentalCountry } from '../../src/rentals/catalog.repository.js';
import { INBOX_FRESH_MS, READ_THROUGH_TIMEOUT_MS } from '../../src/rentals/rental-read-through.js';
import { ManualClock } from '../../src/shared/clock.js';
import { type FakeSmsActivate, startFakeSmsActivate } from '../fakes/sms-activate-fake.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { deliverToSandbox } from '../sms/sms-helpers.js';
import { call, rent, rentalRow, rentFromFake } from './rental-helpers.js';

/**
 * getRentalSMS reads through: a message the upstream already holds is in the very next answer,
 * without waiting for the pull job (no runJobs in these tests). One upstream read per rental
 * however many customers read at once, none while the inbox is fresh, and a slow or failing
 * upstream only means the answer is what is stored.
 */
describeEachDatabase('Rental inbox read-through', (kind) => {
  let server: TestServer;
  let fake: FakeSmsActivate;
  const clock = new ManualClock(Date.parse('2026-06-01T10:00:00Z'));

  before(async () => {
    fake = await startFakeSmsActivate({ now: () => clock.now(), balance: '1000' });
    server = await startTestServer(kind, { clock });
    // A generous upstream timeout, so the read-through's own bound is what a slow reply meets.
    await rentFromFake(server, 2, fake, { name: 'fake-rent', timeoutMs: 10_000 });
    const canada = await findRentalCountry(server.ctx.db, 2, 'ca');
    assert.ok(canada);
    await updateRentalCountry(server.ctx.db, canada.id, { upstreamCountry: '36' }, clock.now());
  });
  after(async () => {
    await server.close();
    await fake.close();
  });
  beforeEach(() => {
    fake.clearFaults();
    fake.setRentOffer('36', 'full', { costPerHour: '0.0025', stock: 50 });
  });

  async function rentOne() {
    const { apiKey } = await server.newAccount(200_000);
    const rented = await rent(server, apiKey);
    const orderId = rented.order_id as string;
    const upstreamOrderId = (await rentalRow(server, orderId)).upstream_order_id as string;
    const inbox = () => call(server, { api_key: apiKey, action: 'getRentalSMS', order_id: orderId });
    return { apiKey, orderId, upstreamOrderId, inbox };
  }

  it('shows a message the upstream holds in the very next getRentalSMS, then reads again only once the inbox is stale', async () => {
    const rental = await rentOne();
    fake.deliverSms(rental.upstreamOrderId, 'Your WhatsApp code 740-279', { sender: 'WhatsApp' });
    const calls = fake.count('getRentStatus');
    const first = await rental.inbox();
    assert.equal(first.total, 1);
    assert.equal((first.messages as Array<{ code: string }>)[0]?.code, '740279');
    assert.equal(fake.count('getRentStatus'), calls + 1, 'one upstream read');

    // Fresh: answered from the database, no upstream call.
    fake.deliverSms(rental.upstreamOrderId, 'Telegram code 81234', { sender: 'Telegram' });
    clock.advance(INBOX_FRESH_MS - 1_000);
    assert.equal((await rental.inbox()).total, 1);
    assert.equal(fake.count('getRentStatus'), calls + 1);

    clock.advance(1_001);
    assert.equal((await rental.inbox()).total, 2);
    assert.equal(fake.count('getRentStatus'), calls + 2);
  });

  it('reads the upstream once for many customers reading at the same moment', async () => {
    const rental = await rentOne();
    clock.advance(INBOX_FRESH_MS + 1);
    fake.deliverSms(rental.upstreamOrderId, 'Your code is 5521');
    const calls = fake.count('getRentStatus');
    // A slow reply keeps the first read in flight while the others arrive.
    fake.failNext('getRentStatus', { slowMs: 300 });
    const answers = await Promise.all(Array.from({ length: 10 }, () => rental.inbox()));
    assert.deepEqual(
      answers.map((a) => a.total),
      Array(10).fill(1),
    );
    assert.equal(fake.count('getRentStatus'), calls + 1);
  });

  it('answers from storage when the upstream is slow or failing, and tries again on the next read', async () => {
    const rental = await rentOne();
    fake.deliverSms(rental.upstreamOrderId, 'Your code is 1001');
    assert.equal((await rental.inbox()).total, 1);

    clock.advance(INBOX_FRESH_MS + 1);
    fake.deliverSms(rental.upstreamOrderId, 'Your code is 1002');
    fake.failNext('getRentStatus', { slowMs: READ_THROUGH_TIMEOUT_MS + 3_000 });
    const started = Date.now();
    const slow = await rental.inbox();
    const waited = Date.now() - started;
    assert.equal(slow.status, '200');
    assert.equal(slow.total, 1, 'what is stored');
    assert.ok(
      waited < READ_THROUGH_TIMEOUT_MS + 2_000,
      `answered after ${waited} ms, not the upstream's 5 s`,
    );

    fake.failNext('getRentStatus', 'http500');
    const failing = await rental.inbox();
    assert.equal(failing.status, '200');
    assert.ok((failing.total as number) >= 1);

    // Once the slow read is over and its claim released, a later read brings the message. (Under
    // load the failing read may have found the slow one's claim still held and never called the
    // upstream: its queued fault must not answer this read.)
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    fake.clearFaults();
    clock.advance(INBOX_FRESH_MS + 1);
    assert.equal((await rental.inbox()).total, 2);
  });

  it('stores a pushed rental SMS without a customer read or a poll, and ignores pushes it cannot match', async () => {
    const { setUpstreamPush } = await import('../../src/admin/upstreams-admin.service.js');
    const { pushPath } = await import('../../src/providers/push-tokens.js');
    const upstream = await server.ctx.db
      .selectFrom('upstreams')
      .select('id')
      .where('name', '=', 'fake-rent')
      .executeTakeFirstOrThrow();
    const issued = await setUpstreamPush(
      server.ctx.db,
      server.clock,
      { operatorId: null, name: 'cli:test' },
      upstream.id,
      false,
    );
    assert.ok(issued.token);
    const url = `${server.url}${pushPath(upstream.id, issued.token)}`;
    const rental = await rentOne();
    const row = await rentalRow(server, rental.orderId);
    // Read once now, so the inbox is fresh and only the push can bring the next message early.
    assert.equal((await rental.inbox()).total, 0);
    const stored = () =>
      server.ctx.db.selectFrom('rental_messages').select('code').where('rental_id', '=', row.id).execute();
    // Running servers pick a new token up within 2 s (the registry re-reads upstream rows).
    for (let waited = 0; waited < 3_000; waited += 100) {
      if ((await fetch(url, { method: 'POST', body: '{}' })).status === 200) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    fake.setPushUrl(url);
    try {
      fake.deliverSms(rental.upstreamOrderId, 'Your Telegram code 90210', { sender: 'Telegram' });
      let codes: string[] = [];
      for (let waited = 0; waited < 2_000 && codes.length === 0; waited += 10) {
        codes = (await stored()).map((m) => m.code);
        if (codes.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      assert.deepEqual(codes, ['90210']);
      const unknown = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rentId: 123456789, sms: { phoneFrom: 'X', text: 'forged 1111', date: '' } }),
      });
      assert.equal(unknown.status, 200);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.deepEqual(
        (await stored()).map((m) => m.code),
        ['90210'],
      );
    } finally {
      fake.setPushUrl(null);
    }
  });

  it('shows a sandbox delivery on the next call, however recently the inbox was read', async () => {
    const { apiKey } = await server.newAccount(200_000);
    // Provider 1 is the sandbox rental upstream.
    const rented = await rent(server, apiKey, { provider: '1', country_code: 'gb' });
    const orderId = rented.order_id as string;
    const inbox = () => call(server, { api_key: apiKey, action: 'getRentalSMS', order_id: orderId });
    assert.equal((await inbox()).total, 0);
    await deliverToSandbox(server, orderId, 'Your Google code is G-482913');
    const after = await inbox();
    assert.equal(after.total, 1);
    assert.equal((after.messages as Array<{ code: string }>)[0]?.code, '482913');
  });
});
