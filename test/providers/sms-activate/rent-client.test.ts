import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SmsActivateRentProvider } from '../../../src/providers/sms-activate/rent-client.js';
import { parseRentCountries } from '../../../src/providers/sms-activate/rent-replies.js';
import { UpstreamError, type UpstreamFailureKind } from '../../../src/providers/types.js';
import { type FakeSmsActivate, startFakeSmsActivate } from '../../fakes/sms-activate-fake.js';

const START = Date.UTC(2026, 10, 1, 12, 0, 0);
const HOUR = 3_600_000;

async function rejectsWith(promise: Promise<unknown>, kind: UpstreamFailureKind): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UpstreamError, `expected UpstreamError, got ${String(error)}`);
    assert.equal(error.kind, kind, `kind for raw ${JSON.stringify(error.raw)}`);
    return error;
  }
  assert.fail(`expected UpstreamError(${kind})`);
}

describe('SmsActivateRentProvider against the fake upstream', () => {
  let clock = START;
  let fake: FakeSmsActivate;
  let rent: SmsActivateRentProvider;

  before(async () => {
    fake = await startFakeSmsActivate({ now: () => clock });
  });
  after(() => fake.close());
  beforeEach(() => {
    clock = START;
    fake.setBalance('100');
    fake.setRentOffer('0', 'full', { costPerHour: '0.125', stock: 5 });
    fake.setRentOffer('0', 'wa', { costPerHour: '0.05', stock: 2 });
    Object.assign(fake.variants, {
      rentDates: 'moscow',
      rentValues: 'object',
      rentNewestFirst: true,
      rentQuant: 'number',
    });
    rent = new SmsActivateRentProvider({
      baseUrl: fake.url,
      apiKey: fake.apiKey,
      timeoutMs: 2000,
      now: () => clock,
    });
  });

  it('rents, lists arriving messages once each and in order, extends and cancels', async () => {
    const rental = await rent.rentNumber({ country: '0', hours: 4 });
    assert.equal(rental.expiresAt, START + 4 * HOUR, 'naive Moscow endDate read as UTC+3');
    assert.equal(fake.rentals.get(rental.upstreamOrderId)?.phone, rental.phone);
    assert.equal(fake.balanceMicros, 100_000_000 - 500_000);
    const sent = fake.requests.at(-1)?.params;
    assert.equal(sent?.time, '4');
    assert.equal(sent?.rent_time, '4');
    assert.equal(sent?.service, 'full');

    assert.deepEqual(
      await rent.getMessages(rental.upstreamOrderId),
      [],
      'STATUS_WAIT_CODE is an empty inbox',
    );

    clock = START + 60_000;
    fake.deliverSms(rental.upstreamOrderId, 'WhatsApp code 111-222', { sender: 'WhatsApp' });
    const first = await rent.getMessages(rental.upstreamOrderId);
    assert.equal(first.length, 1);
    assert.equal(first[0]?.text, 'WhatsApp code 111-222');
    assert.equal(first[0]?.sender, 'WhatsApp');
    assert.equal(first[0]?.receivedAt, START + 60_000);

    clock = START + 120_000;
    fake.deliverSms(rental.upstreamOrderId, 'Telegram code 33333', { sender: 'Telegram' });
    clock = START + 180_000;
    fake.deliverSms(rental.upstreamOrderId, 'Your Uber code is 4444', { sender: 'Uber' });
    const all = await rent.getMessages(rental.upstreamOrderId);
    assert.deepEqual(
      all.map((m) => m.sender),
      ['WhatsApp', 'Telegram', 'Uber'],
      'oldest first although the upstream lists newest first',
    );
    assert.equal(all[0]?.id, first[0]?.id, 'a message keeps its id across polls');
    assert.equal(new Set(all.map((m) => m.id)).size, 3);
    assert.deepEqual(
      all.map((m) => m.receivedAt),
      [START + 60_000, START + 120_000, START + 180_000],
    );

    const extended = await rent.extend(rental.upstreamOrderId, 24);
    assert.equal(extended.expiresAt, START + 28 * HOUR);
    assert.equal(fake.requests.at(-1)?.params.rent_time, '24');
    assert.equal(fake.balanceMicros, 100_000_000 - 500_000 - 3_000_000);

    assert.equal(await rent.cancel(rental.upstreamOrderId), false, 'an SMS came: the upstream refuses');
    const fresh = await rent.rentNumber({ country: '0', service: 'wa', hours: 12 });
    assert.equal(await rent.cancel(fresh.upstreamOrderId), true);
    assert.equal(fake.rentals.get(fresh.upstreamOrderId)?.state, 'cancelled');
    assert.equal(await rent.cancel(fresh.upstreamOrderId), true, 'ALREADY_CANCEL still means cancelled');
    assert.deepEqual(await rent.getMessages(fresh.upstreamOrderId), []);
  });

  for (const [style, values, newestFirst] of [
    ['offset', 'array', false],
    ['utc', 'object', true],
    ['moscow', 'array', true],
  ] as const) {
    it(`reads ${style} dates and ${values} values (${newestFirst ? 'newest' : 'oldest'} first)`, async () => {
      Object.assign(fake.variants, { rentDates: style, rentValues: values, rentNewestFirst: newestFirst });
      const rental = await rent.rentNumber({ country: '0', hours: 4 });
      assert.equal(rental.expiresAt, START + 4 * HOUR);
      fake.deliverSms(rental.upstreamOrderId, 'first 1111', { at: START + 1000 });
      fake.deliverSms(rental.upstreamOrderId, 'second 2222', { at: START + 5000, smsId: 'sms-77' });
      const messages = await rent.getMessages(rental.upstreamOrderId);
      assert.deepEqual(
        messages.map((m) => [m.text, m.receivedAt]),
        [
          ['first 1111', START + 1000],
          ['second 2222', START + 5000],
        ],
      );
      assert.equal(messages[1]?.id, `sar:${rental.upstreamOrderId}:sms-77`, 'the upstream SMS id is used');
    });
  }

  it('reads naive dates with a configured offset', async () => {
    const utcRent = new SmsActivateRentProvider({
      baseUrl: fake.url,
      apiKey: fake.apiKey,
      timeoutMs: 2000,
      naiveUtcOffsetMinutes: 0,
    });
    const rental = await utcRent.rentNumber({ country: '0', hours: 4 });
    assert.equal(rental.expiresAt, START + 4 * HOUR + 3 * HOUR);
  });

  it('maps rent errors', async () => {
    await rejectsWith(rent.rentNumber({ country: '9', hours: 4 }), 'no_numbers');
    fake.setBalance('0.1');
    await rejectsWith(rent.rentNumber({ country: '0', hours: 4 }), 'no_balance');
    await rejectsWith(rent.getMessages('123'), 'not_found');
    await rejectsWith(rent.extend('123', 4), 'not_found');
    await rejectsWith(rent.cancel('123'), 'not_found');
    fake.failNext('getRentNumber', 'NO_NUMBERS');
    await rejectsWith(rent.rentNumber({ country: '0', hours: 4 }), 'no_numbers');
    fake.failNext('getRentNumber', '{"status":"error","message":"WRONG_COUNTRY_ID"}');
    await rejectsWith(rent.rentNumber({ country: '0', hours: 4 }), 'bad_request');
    fake.failNext('getRentNumber', '{"status":"error","message":"BAD_KEY"}');
    await rejectsWith(rent.rentNumber({ country: '0', hours: 4 }), 'bad_key');
    fake.failNext('continueRentNumber', '{"status":"error","message":"INVALID_TIME"}');
    await rejectsWith(rent.extend('123', 4), 'bad_request');
  });

  it('refuses to extend an expired rental and shows an empty inbox once finished', async () => {
    const rental = await rent.rentNumber({ country: '0', hours: 4 });
    clock = START + 5 * HOUR;
    await rejectsWith(rent.extend(rental.upstreamOrderId, 4), 'bad_request');
    assert.deepEqual(await rent.getMessages(rental.upstreamOrderId), []);
  });

  it('refuses to cancel after the window', async () => {
    const rental = await rent.rentNumber({ country: '0', hours: 4 });
    clock = START + 21 * 60_000;
    assert.equal(await rent.cancel(rental.upstreamOrderId), false);
    assert.deepEqual(fake.requests.at(-1)?.params, { id: rental.upstreamOrderId, status: '2' });
  });

  it('treats lost rent and extend replies as unknown_outcome, sent once', async () => {
    const before = fake.rentals.size;
    fake.loseNextReply('getRentNumber', 'reset');
    await rejectsWith(rent.rentNumber({ country: '0', hours: 4 }), 'unknown_outcome');
    assert.equal(fake.rentals.size, before + 1);
    const rental = await rent.rentNumber({ country: '0', hours: 4 });
    const extends_ = fake.count('continueRentNumber');
    fake.failNext('continueRentNumber', 'reset');
    await rejectsWith(rent.extend(rental.upstreamOrderId, 4), 'unknown_outcome');
    assert.equal(fake.count('continueRentNumber'), extends_ + 1);
    fake.failNext('continueRentNumber', '{"status":"success","phone":{"id":1}}');
    await rejectsWith(rent.extend(rental.upstreamOrderId, 4), 'unknown_outcome');
    fake.failNext('getRentNumber', '{"status":"success","phone":"oops"}');
    await rejectsWith(rent.rentNumber({ country: '0', hours: 4 }), 'unknown_outcome');
  });

  it('maps faults on reads to unavailable', async () => {
    for (const fault of ['http500', 'html', 'garbage', 'reset'] as const) {
      fake.failNext('getRentStatus', fault);
      await rejectsWith(rent.getMessages('1'), 'unavailable');
    }
  });

  it('estimates the expiry when the upstream sends no endDate', async () => {
    fake.failNext('getRentNumber', '{"status":"success","phone":{"id":"55","number":"+7 900 555"}}');
    const rental = await rent.rentNumber({ country: '0', hours: 12 });
    assert.deepEqual(rental, { upstreamOrderId: '55', phone: '7900555', expiresAt: START + 12 * HOUR });
  });

  it('lists the renting countries and quotes the rented service (the default one when none is named)', async () => {
    fake.setRentOffer('36', 'full', { costPerHour: '0.01', stock: 3 });
    assert.deepEqual(await rent.listCountries(), ['0', '36']);
    assert.equal(fake.requests.at(-1)?.params.country, undefined, 'asked without a country');
    assert.deepEqual(await rent.quote({ country: '0', hours: 720 }), { costMicros: 90_000_000, stock: 5 });
    assert.deepEqual(await rent.quote({ country: '0', service: 'wa', hours: 12 }), {
      costMicros: 600_000,
      stock: 2,
    });
    assert.equal(await rent.quote({ country: '36', service: 'wa', hours: 12 }), null);
    fake.failNext('getRentServicesAndCountries', 'html');
    await rejectsWith(rent.listCountries(), 'unavailable');
    fake.removeRentOffer('36', 'full');
  });

  it('reads availability and offers for the default service', async () => {
    assert.equal(await rent.getAvailability('0'), 5);
    fake.variants.rentQuant = 'object';
    fake.variants.pricesAsStrings = true;
    const offers = await rent.getRentOffers('0', 24);
    assert.deepEqual(offers.get('full'), { costMicros: 3_000_000, stock: 5 });
    assert.deepEqual(offers.get('wa'), { costMicros: 1_200_000, stock: 2 });
    fake.variants.pricesAsStrings = false;
    const waOnly = new SmsActivateRentProvider({
      baseUrl: fake.url,
      apiKey: fake.apiKey,
      timeoutMs: 2000,
      defaultService: 'tg',
    });
    assert.equal(await waOnly.getAvailability('0'), 5, 'falls back to the largest stock');
    assert.equal(await rent.getAvailability('7'), 0);
  });
});

it('reads the renting countries of getRentServicesAndCountries as object or array, ids as numbers or text', () => {
  const services = '"services":{"full":{"cost":42.93,"quant":20}}';
  assert.deepEqual(parseRentCountries(`{"countries":{"0":2,"1":36},"operators":{"0":"aiva"},${services}}`), [
    '2',
    '36',
  ]);
  assert.deepEqual(parseRentCountries(`{"countries":[187,"16",187],${services}}`), ['187', '16']);
  assert.deepEqual(parseRentCountries('{"countries":{"0":"x","1":-3,"2":{"id":1}}}'), []);
  assert.equal(parseRentCountries(`{${services}}`), undefined, 'no list is no answer, not an empty one');
  assert.equal(parseRentCountries('BAD_KEY'), undefined);
  assert.equal(parseRentCountries('{"status":"error","message":"NO_NUMBERS"}'), undefined);
});
