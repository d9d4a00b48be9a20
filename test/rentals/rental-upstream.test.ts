import assert from 'node:assert/strict';
import { after, before, beforeEach, it } from 'node:test';
import { reconcileDelayMs } from '../../src/orders/reconcile.js';
import { setExchangeRateMicros, setMarkupBasisPoints } from '../../src/pricing/pricing.repository.js';
import {
  findRentalCountry,
  updateRentalCountry,
  upsertPriceTier,
} from '../../src/rentals/catalog.repository.js';
import { formatDateTime, formatIsoSeconds, ManualClock } from '../../src/shared/clock.js';
import { type FakeSmsActivate, startFakeSmsActivate } from '../fakes/sms-activate-fake.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  assertError,
  assertFields,
  assertLedgerClean,
  balanceOf,
  call,
  HOUR,
  rent,
  rentalRow,
  rentFromFake,
  SHAPES,
} from './rental-helpers.js';

/**
 * The rental line against a scripted SMS-Activate-protocol upstream on 127.0.0.1, through the real
 * rent adapter: Server 2 buys Canada ("36" upstream) from it.
 */
describeEachDatabase('Rental API through the SMS-Activate rent protocol', (kind) => {
  let server: TestServer;
  let fake: FakeSmsActivate;
  const clock = new ManualClock(Date.parse('2026-03-09T20:00:00Z'));

  before(async () => {
    fake = await startFakeSmsActivate({ now: () => clock.now(), balance: '1000' });
    server = await startTestServer(kind, { clock });
    await rentFromFake(server, 2, fake, { name: 'fake-rent', timeoutMs: 1_000 });
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
    fake.setBalance('1000');
    fake.setRentOffer('36', 'full', { costPerHour: '0.0025', stock: 50 });
  });

  it('rents through getRentNumber once, with both duration spellings, and lists SMS arriving over time once each in order', async () => {
    const { apiKey } = await server.newAccount(200_000);
    const before = fake.count('getRentNumber');
    const rented = await rent(server, apiKey);
    assert.equal(fake.count('getRentNumber'), before + 1, 'one purchase call');
    const sent = fake.requests.findLast((r) => r.action === 'getRentNumber')?.params;
    assert.deepEqual(
      [sent?.country, sent?.service, sent?.time, sent?.rent_time],
      ['36', 'full', '720', '720'],
    );
    const upstream = [...fake.rentals.values()].find((r) => r.phone === rented.phone);
    assert.ok(upstream, 'the phone is the upstream rental’s number');
    assert.equal(rented.expires, formatDateTime(clock.now() + 720 * HOUR));

    const orderId = rented.order_id as string;
    const deliveries = [
      { text: 'Your WhatsApp code 740-279', sender: 'WhatsApp' },
      { text: 'Telegram code 81234', sender: 'Telegram' },
      { text: 'Your WhatsApp code 740-279', sender: 'WhatsApp' },
      { text: 'G-482913 is your Google verification code.', sender: 'Google' },
    ];
    const times: number[] = [];
    await call(server, { api_key: apiKey, action: 'getRentalSMS', order_id: orderId });
    for (const [index, sms] of deliveries.entries()) {
      clock.advance(37_000);
      times.push(clock.now());
      fake.deliverSms(upstream.id, sms.text, {
        sender: sms.sender,
        ...(index === 3 ? { smsId: 'sms-9' } : {}),
      });
      if (index % 2 === 1) {
        await server.runJobs();
        await server.runJobs();
      }
    }
    clock.advance(6_000);
    await server.runJobs();
    const inbox = await call(server, { api_key: apiKey, action: 'getRentalSMS', order_id: orderId });
    assertFields(inbox, SHAPES.inbox, 'getRentalSMS');
    assert.equal(inbox.phone_number, rented.phone);
    assert.equal(inbox.total, 4, 'the same text twice is two messages; nothing doubled by repeated polls');
    const messages = inbox.messages as Array<Record<string, unknown>>;
    for (const m of messages) assertFields(m, SHAPES.message, 'message');
    assert.deepEqual(
      messages.map((m) => [m.from, m.text, m.code, m.timestamp]),
      deliveries.map((d, i) => [
        d.sender,
        d.text,
        ['740279', '81234', '740279', '482913'][i],
        formatIsoSeconds(times[i] as number),
      ]),
    );
    await assertLedgerClean(server.ctx);
  });

  it('maps upstream refusals and faults to 502 with nothing charged', async () => {
    const { id, apiKey } = await server.newAccount(200_000);
    const attempt = () =>
      call(server, {
        api_key: apiKey,
        action: 'rentNumber',
        country_code: 'ca',
        provider: '2',
        duration_hours: '720',
      });
    fake.setRentOffer('36', 'full', { costPerHour: '0.0025', stock: 0 });
    assertError(
      await attempt(),
      '502',
      'Server 2 error: no numbers available for this country right now. Nothing was charged.',
    );
    fake.setRentOffer('36', 'full', { costPerHour: '0.0025', stock: 5 });
    fake.setBalance('0.01');
    assertError(
      await attempt(),
      '502',
      'Server 2 error: the provider cannot fill orders right now. Nothing was charged.',
    );
    fake.setBalance('1000');
    for (const fault of ['http500', 'html', '{"status":"error","message":"WRONG_COUNTRY_ID"}', 'BAD_KEY']) {
      fake.failNext('getRentNumber', fault);
      const reply = await attempt();
      assert.equal(reply.status, '502', `${fault}: ${JSON.stringify(reply)}`);
      assert.match(reply.message as string, /^Server 2 error: .*\. Nothing was charged\.$/);
      assert.doesNotMatch(
        reply.message as string,
        /WRONG_COUNTRY_ID|BAD_KEY|nginx|500/,
        'our words, not the upstream’s',
      );
    }
    assert.equal(await balanceOf(server, id), 200_000);
    assert.equal((await call(server, { api_key: apiKey, action: 'getMyRentals' })).total, 0);
    await assertLedgerClean(server.ctx);
  });

  it('holds a purchase whose reply was lost and refunds it once the reconciler runs', async () => {
    const { id, apiKey } = await server.newAccount(200_000);
    const rentalsBefore = fake.rentals.size;
    const callsBefore = fake.count('getRentNumber');
    fake.loseNextReply('getRentNumber', 'reset');
    const reply = await call(server, {
      api_key: apiKey,
      action: 'rentNumber',
      country_code: 'ca',
      provider: '2',
      duration_hours: '720',
    });
    assertError(reply, '502', /^Server 2 error: no answer from the provider\./);
    assert.equal(fake.rentals.size, rentalsBefore + 1, 'the upstream did rent it');
    assert.equal(fake.count('getRentNumber'), callsBefore + 1, 'a purchase is never retried');
    assert.equal(await balanceOf(server, id), 116_000);
    clock.advance(reconcileDelayMs(1_000)); // the engine's rule for this upstream's 1 s timeout
    await server.runJobs();
    assert.equal(await balanceOf(server, id), 200_000);
    await assertLedgerClean(server.ctx);
  });

  it('renews with one continueRentNumber call, from our current expiry, and refunds a refused or lost extension', async () => {
    const { id, apiKey } = await server.newAccount(400_000);
    const rented = await rent(server, apiKey);
    const row = await rentalRow(server, rented.order_id as string);
    const upstream = fake.rentals.get(row.upstream_order_id as string);
    assert.ok(upstream);
    clock.advance(200 * HOUR);
    const before = fake.count('continueRentNumber');
    const renewed = await call(server, {
      api_key: apiKey,
      action: 'renewRental',
      rental_id: String(row.id),
      duration_hours: '720',
    });
    assert.equal(renewed.status, '200', JSON.stringify(renewed));
    assert.equal(renewed.new_expiry, formatDateTime((row.expiry_time as number) + 720 * HOUR));
    assert.equal(fake.count('continueRentNumber'), before + 1);
    assert.equal(fake.requests.findLast((r) => r.action === 'continueRentNumber')?.params.rent_time, '720');
    assert.equal(upstream.endsAt, (row.expiry_time as number) + 720 * HOUR, 'upstream and our expiry agree');

    fake.failNext('continueRentNumber', '{"status":"error","message":"RENT_DIE"}');
    assertError(
      await call(server, {
        api_key: apiKey,
        action: 'renewRental',
        rental_id: String(row.id),
        duration_hours: '720',
      }),
      '502',
      'Server 2 error: the provider refused the request. Nothing was charged.',
    );
    const sentBefore = fake.count('continueRentNumber');
    fake.failNext('continueRentNumber', 'timeout');
    assertError(
      await call(server, {
        api_key: apiKey,
        action: 'renewRental',
        rental_id: String(row.id),
        duration_hours: '720',
      }),
      '502',
      'Server 2 error: no answer from the provider. Nothing was charged.',
    );
    assert.equal(fake.count('continueRentNumber'), sentBefore + 1, 'a paid extension is never retried');
    assert.equal(await balanceOf(server, id), 400_000 - 2 * 84_000);
    await assertLedgerClean(server.ctx);
  });

  it('keeps the inbox after the upstream ends the rental, and takes no message dated after expiry', async () => {
    const { apiKey } = await server.newAccount(200_000);
    const rented = await rent(server, apiKey);
    const row = await rentalRow(server, rented.order_id as string);
    const upstreamId = row.upstream_order_id as string;
    clock.advance(10 * HOUR);
    fake.deliverSms(upstreamId, 'Your code is 1234');
    clock.advance(720 * HOUR - 10 * HOUR - 60_000);
    fake.deliverSms(upstreamId, 'Last minute code 5678');
    clock.advance(120_000);
    fake.deliverSms(upstreamId, 'Too late 9999', { at: clock.now() });
    const upstream = fake.rentals.get(upstreamId);
    assert.ok(upstream);
    // The upstream still shows its messages until it ends the rental; our pull comes after expiry.
    upstream.endsAt += 3_600_000;
    await server.runJobs();
    const inbox = await call(server, {
      api_key: apiKey,
      action: 'getRentalSMS',
      order_id: rented.order_id as string,
    });
    assert.deepEqual(
      (inbox.messages as Array<{ code: string }>).map((m) => m.code),
      ['1234', '5678'],
    );
    const mine = await call(server, { api_key: apiKey, action: 'getMyRentals' });
    assert.equal((mine.rentals as Array<{ status: string }>)[0]?.status, 'expired');
    clock.advance(2 * HOUR);
    await server.runJobs();
    const later = await call(server, {
      api_key: apiKey,
      action: 'getRentalSMS',
      order_id: rented.order_id as string,
    });
    assert.equal(later.total, 2, 'served from our database after the upstream forgot it');
  });

  it('prices a tier from the upstream cost × exchange rate × markup', async () => {
    const canada = await findRentalCountry(server.ctx.db, 2, 'ca');
    assert.ok(canada);
    await upsertPriceTier(
      server.ctx.db,
      { countryId: canada.id, durationHours: 8640, pricePaisa: null, costMicros: 25_000_000 },
      clock.now(),
    );
    const { apiKey } = await server.newAccount(0);
    const pricing = () =>
      call(server, { api_key: apiKey, action: 'getRentalPricing', country_code: 'ca', provider: '2' });
    assert.deepEqual(
      ((await pricing()).pricing as Array<{ duration_hours: string }>).map((p) => p.duration_hours),
      ['720', '4320'],
      'no exchange rate yet: the cost-priced tier is not offered',
    );
    await setExchangeRateMicros(server.ctx.db, 'USD', 280_500_000, clock.now());
    await setMarkupBasisPoints(server.ctx.db, 'rental', 2000, clock.now());
    const priced = ((await pricing()).pricing as Array<{ duration_hours: string; price: string }>).at(-1);
    assert.deepEqual(
      priced && [priced.duration_hours, priced.price],
      ['8640', '8415.00'],
      '25 × 280.5 × 1.2',
    );
    await setMarkupBasisPoints(server.ctx.db, 'rental:server:2:country:ca', 0, clock.now());
    const specific = ((await pricing()).pricing as Array<{ price: string }>).at(-1);
    assert.equal(specific?.price, '7012.50', 'the most specific markup wins');
  });
});
