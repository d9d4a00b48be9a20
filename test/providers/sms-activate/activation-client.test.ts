import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SmsActivateProvider } from '../../../src/providers/sms-activate/activation-client.js';
import { UpstreamError, type UpstreamFailureKind } from '../../../src/providers/types.js';
import { type FakeSmsActivate, startFakeSmsActivate } from '../../fakes/sms-activate-fake.js';

const NOW = Date.UTC(2026, 10, 1, 12, 0, 0);

async function rejectsWith(
  promise: Promise<unknown>,
  kind: UpstreamFailureKind,
  raw?: string,
): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UpstreamError, `expected UpstreamError, got ${String(error)}`);
    assert.equal(error.kind, kind, `kind for raw ${JSON.stringify(error.raw)}`);
    if (raw !== undefined) assert.equal(error.raw, raw);
    return error;
  }
  assert.fail(`expected UpstreamError(${kind})`);
}

describe('SmsActivateProvider against the fake upstream', () => {
  let fake: FakeSmsActivate;
  let provider: SmsActivateProvider;

  before(async () => {
    fake = await startFakeSmsActivate({ now: () => NOW });
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.setBalance('100');
    fake.setPrice('0', 'tg', '0.155');
    fake.setStock('0', 'tg', 10);
    fake.supportsActiveList = true;
    fake.variants.activeList = 'classic';
    fake.variants.getNumberJson = false;
    fake.variants.pricesAsStrings = false;
    provider = new SmsActivateProvider({
      baseUrl: fake.url,
      apiKey: fake.apiKey,
      timeoutMs: 2000,
      now: () => NOW,
    });
  });

  describe('buyNumber', () => {
    it('buys with ACCESS_NUMBER and keeps ids above 2^31 as strings', async () => {
      const purchase = await provider.buyNumber({ country: '0', service: 'tg' });
      assert.match(purchase.upstreamOrderId, /^\d{10}$/);
      assert.ok(Number(purchase.upstreamOrderId) > 2 ** 31);
      assert.match(purchase.phone, /^79\d{9}$/);
      assert.equal(fake.activations.get(purchase.upstreamOrderId)?.phone, purchase.phone);
      assert.equal(fake.balanceMicros, 100_000_000 - 155_000);
    });

    it('sends maxPrice as an exact decimal', async () => {
      await provider.buyNumber({ country: '0', service: 'tg', maxCostMicros: 155_000 });
      assert.equal(fake.requests.at(-1)?.params.maxPrice, '0.155');
    });

    it('maps WRONG_MAX_PRICE to price_changed with the raw reply', async () => {
      await rejectsWith(
        provider.buyNumber({ country: '0', service: 'tg', maxCostMicros: 100_000 }),
        'price_changed',
        'WRONG_MAX_PRICE:0.155',
      );
    });

    it('reads the getNumberV2 JSON shape with its cost', async () => {
      fake.variants.getNumberJson = true;
      const purchase = await provider.buyNumber({ country: '0', service: 'tg' });
      assert.equal(purchase.costMicros, 155_000);
      assert.ok(fake.activations.has(purchase.upstreamOrderId));
    });

    it('maps out of stock, balance and parameter errors', async () => {
      fake.setStock('0', 'tg', 0);
      await rejectsWith(provider.buyNumber({ country: '0', service: 'tg' }), 'no_numbers', 'NO_NUMBERS');
      fake.setStock('0', 'tg', 5);
      fake.setBalance('0.1');
      await rejectsWith(provider.buyNumber({ country: '0', service: 'tg' }), 'no_balance', 'NO_BALANCE');
      await rejectsWith(provider.buyNumber({ country: '', service: 'tg' }), 'bad_request', 'BAD_COUNTRY');
    });

    it('maps a wrong key to bad_key', async () => {
      const wrong = new SmsActivateProvider({ baseUrl: fake.url, apiKey: 'not-the-key', timeoutMs: 2000 });
      await rejectsWith(wrong.buyNumber({ country: '0', service: 'tg' }), 'bad_key', 'BAD_KEY');
    });

    const replies: Array<[string, UpstreamFailureKind]> = [
      ['NO_NUMBERS', 'no_numbers'],
      ['no_numbers', 'no_numbers'],
      ['\uFEFF NO_BALANCE \r\n', 'no_balance'],
      ['NO_MONEY', 'no_balance'],
      ['BAD_KEY', 'bad_key'],
      ['NO_KEY', 'bad_key'],
      ["BANNED:'2026-2-13 12-00-00'", 'bad_key'],
      ['ACCOUNT_INACTIVE', 'bad_key'],
      ['BAD_SERVICE', 'bad_request'],
      ['BAD_COUNTRY', 'bad_request'],
      ['BAD_ACTION', 'bad_request'],
      ['WRONG_SERVICE', 'bad_request'],
      ['WRONG_COUNTRY', 'bad_request'],
      ['WRONG_OPERATOR', 'bad_request'],
      ['WRONG_EXCEPTION_PHONE', 'bad_request'],
      ['WRONG_MAX_PRICE:12.50', 'price_changed'],
      ['MAX_PRICE_EXCEEDED', 'price_changed'],
      ['ERROR_SQL', 'unavailable'],
      ['CHANNELS_LIMIT', 'unavailable'],
      ['SOMETHING_NEW', 'unavailable'],
      ['{"status":"error","message":"NO_NUMBERS"}', 'no_numbers'],
      ['{"error":"NO_BALANCE","message":"Not enough money"}', 'no_balance'],
    ];
    for (const [reply, kind] of replies) {
      it(`maps the reply ${JSON.stringify(reply)} to ${kind}`, async () => {
        fake.failNext('getNumber', reply);
        const error = await rejectsWith(provider.buyNumber({ country: '0', service: 'tg' }), kind);
        assert.equal(error.raw, reply.replace('\uFEFF', '').trim());
      });
    }

    it('reads HTTP-coded JSON errors (HeroSMS style)', async () => {
      fake.failNext('getNumber', {
        status: 402,
        body: '{"title":"NO_BALANCE","details":"Insufficient funds"}',
      });
      await rejectsWith(provider.buyNumber({ country: '0', service: 'tg' }), 'no_balance');
      fake.failNext('getNumber', { status: 400, body: '{"title":"WRONG_MAX_PRICE","info":{"min":0.3}}' });
      await rejectsWith(provider.buyNumber({ country: '0', service: 'tg' }), 'price_changed');
      fake.failNext('getNumber', { status: 401, body: '' });
      await rejectsWith(provider.buyNumber({ country: '0', service: 'tg' }), 'bad_key');
    });

    it('treats an unreadable success as unknown_outcome (the number may be ours)', async () => {
      fake.failNext('getNumber', 'ACCESS_NUMBER:');
      await rejectsWith(
        provider.buyNumber({ country: '0', service: 'tg' }),
        'unknown_outcome',
        'ACCESS_NUMBER:',
      );
    });

    it('calls getNumber exactly once per purchase, even when it fails', async () => {
      const before = fake.count('getNumber');
      fake.failNext('getNumber', 'reset');
      await rejectsWith(provider.buyNumber({ country: '0', service: 'tg' }), 'unknown_outcome');
      assert.equal(fake.count('getNumber'), before + 1);
    });
  });

  describe('getActivation', () => {
    it('follows an activation from waiting to a code, a retry and a second code', async () => {
      const { upstreamOrderId: id } = await provider.buyNumber({ country: '0', service: 'tg' });
      assert.deepEqual(await provider.getActivation(id), { state: 'waiting' });

      fake.deliverSms(id, 'Telegram code 12345');
      const first = await provider.getActivation(id);
      assert.equal(first.state, 'received');
      assert.ok(first.state === 'received');
      assert.equal(first.messages[0]?.code, '12345');
      assert.equal(first.messages[0]?.receivedAt, NOW);
      const again = await provider.getActivation(id);
      assert.ok(again.state === 'received');
      assert.equal(again.messages[0]?.id, first.messages[0]?.id, 'the same SMS keeps its id');

      const stored = fake.activations.get(id);
      assert.ok(stored);
      stored.state = 'retry';
      const retry = await provider.getActivation(id);
      assert.ok(retry.state === 'received');
      assert.equal(retry.messages[0]?.code, '12345');

      fake.deliverSms(id, 'Telegram code 67890');
      const second = await provider.getActivation(id);
      assert.ok(second.state === 'received');
      assert.equal(second.messages[0]?.code, '67890');
      assert.notEqual(second.messages[0]?.id, first.messages[0]?.id);
    });

    it('splits STATUS_OK at the first colon only', async () => {
      fake.failNext('getStatus', 'STATUS_OK:Your link: https://t.me/login?code=1:2');
      const state = await provider.getActivation('3000000001');
      assert.ok(state.state === 'received');
      assert.equal(state.messages[0]?.code, 'Your link: https://t.me/login?code=1:2');
      assert.equal(state.messages[0]?.text, 'Your link: https://t.me/login?code=1:2');
    });

    const statuses: Array<[string, string]> = [
      ['STATUS_WAIT_CODE', 'waiting'],
      ['status_wait_code', 'waiting'],
      ['\uFEFFSTATUS_WAIT_CODE\n', 'waiting'],
      ['STATUS_WAIT_RESEND', 'waiting'],
      ['STATUS_WAIT_RETRY:4444', 'received'],
      ['STATUS_CANCEL', 'cancelled'],
      ['ACCESS_CANCEL', 'cancelled'],
      ['STATUS_OK:1234', 'received'],
      [' status_ok:AbC:9 ', 'received'],
    ];
    for (const [reply, state] of statuses) {
      it(`reads ${JSON.stringify(reply)} as ${state}`, async () => {
        fake.failNext('getStatus', reply);
        assert.equal((await provider.getActivation('3000000001')).state, state);
      });
    }

    it('keeps the code case and inner colons', async () => {
      fake.failNext('getStatus', ' status_ok:AbC:9 ');
      const state = await provider.getActivation('3000000001');
      assert.ok(state.state === 'received');
      assert.equal(state.messages[0]?.code, 'AbC:9');
    });

    it('maps NO_ACTIVATION to not_found and unknown replies to unavailable', async () => {
      await rejectsWith(provider.getActivation('1'), 'not_found', 'NO_ACTIVATION');
      fake.failNext('getStatus', 'STATUS_SOMETHING');
      await rejectsWith(provider.getActivation('1'), 'unavailable', 'STATUS_SOMETHING');
    });
  });

  describe('listActivations', () => {
    for (const variant of ['classic', 'object', 'rows', 'data'] as const) {
      it(`reads the ${variant} getActiveActivations shape`, async () => {
        fake.variants.activeList = variant;
        const waiting = await provider.buyNumber({ country: '0', service: 'tg' });
        const received = await provider.buyNumber({ country: '0', service: 'tg' });
        fake.deliverSms(received.upstreamOrderId, 'Your code is 555111');
        const list = await provider.listActivations();
        assert.deepEqual(list.get(waiting.upstreamOrderId), { state: 'waiting', phone: waiting.phone });
        const got = list.get(received.upstreamOrderId);
        assert.ok(got?.state === 'received');
        assert.equal(got.phone, received.phone);
        assert.equal(got.messages[0]?.code, '555111');
        assert.equal(got.messages[0]?.text, 'Your code is 555111');
        // The same SMS read through getStatus gets the same id, so callers dedupe across both paths.
        const single = await provider.getActivation(received.upstreamOrderId);
        assert.ok(single.state === 'received');
        assert.equal(single.messages[0]?.id, got.messages[0]?.id);
      });
    }

    it('omits cancelled activations and reads NO_ACTIVATIONS as empty', async () => {
      for (const activation of fake.activations.values()) activation.state = 'cancelled';
      assert.equal((await provider.listActivations()).size, 0);
      fake.failNext('getActiveActivations', '{"status":"error","error":"NO_ACTIVATIONS"}');
      assert.equal((await provider.listActivations()).size, 0);
    });

    it('reads activationStatus, string and scalar smsCode variants', async () => {
      fake.failNext(
        'getActiveActivations',
        JSON.stringify({
          status: 'success',
          activeActivations: [
            {
              activationId: 11,
              phoneNumber: '+7 900 111',
              activationStatus: '4',
              smsCode: null,
              smsText: null,
            },
            {
              activationId: '12',
              phoneNumber: '7900222',
              activationStatus: 2,
              smsCode: '7777',
              smsText: 'code 7777',
            },
            { activationId: '13', phoneNumber: '7900333', activationStatus: '8' },
          ],
        }),
      );
      const list = await provider.listActivations();
      assert.deepEqual(list.get('11'), { state: 'waiting', phone: '7900111' });
      const received = list.get('12');
      assert.ok(received?.state === 'received');
      assert.equal(received.messages[0]?.text, 'code 7777');
      assert.equal(list.get('13')?.state, 'cancelled');
    });

    it('stops asking once the upstream does not know the action', async () => {
      fake.supportsActiveList = false;
      const before = fake.count('getActiveActivations');
      await rejectsWith(provider.listActivations(), 'bad_request', 'BAD_ACTION');
      await rejectsWith(provider.listActivations(), 'bad_request');
      assert.equal(await provider.supportsListing(), false);
      assert.equal(fake.count('getActiveActivations'), before + 1);
    });

    it('probes support once', async () => {
      const before = fake.count('getActiveActivations');
      assert.equal(await provider.supportsListing(), true);
      assert.equal(await provider.supportsListing(), true);
      assert.equal(fake.count('getActiveActivations'), before + 1);
    });

    it('does not give up listing on a transport failure', async () => {
      fake.failNext('getActiveActivations', 'http500');
      await rejectsWith(provider.supportsListing(), 'unavailable');
      assert.equal(await provider.supportsListing(), true);
    });
  });

  describe('cancel and finish', () => {
    it('cancels (refunds once) and answers true again for a repeated cancel', async () => {
      const { upstreamOrderId: id } = await provider.buyNumber({ country: '0', service: 'tg' });
      assert.equal(fake.balanceMicros, 100_000_000 - 155_000);
      assert.equal(await provider.cancel(id), true);
      assert.equal(fake.balanceMicros, 100_000_000);
      assert.equal(await provider.cancel(id), true);
      assert.equal(fake.balanceMicros, 100_000_000);
      assert.deepEqual(fake.requests.at(-1)?.params, { id, status: '8' });
      assert.equal((await provider.getActivation(id)).state, 'cancelled');
    });

    it('answers false when the upstream refuses', async () => {
      const { upstreamOrderId: id } = await provider.buyNumber({ country: '0', service: 'tg' });
      fake.deliverSms(id, 'code 1234');
      assert.equal(await provider.cancel(id), false);
      for (const refusal of [
        'EARLY_CANCEL_DENIED',
        'BAD_STATUS',
        '{"title":"OTP_RECEIVED","details":"Cannot terminate activation"}',
      ]) {
        fake.failNext('setStatus', refusal.startsWith('{') ? { status: 409, body: refusal } : refusal);
        assert.equal(await provider.cancel(id), false, refusal);
      }
    });

    it('refuses early cancels as the upstream does', async () => {
      const early = await startFakeSmsActivate({ now: () => NOW, cancelDeniedForMs: 120_000 });
      try {
        early.setPrice('0', 'tg', '1');
        early.setStock('0', 'tg', 1);
        const client = new SmsActivateProvider({ baseUrl: early.url, apiKey: early.apiKey, timeoutMs: 2000 });
        const { upstreamOrderId } = await client.buyNumber({ country: '0', service: 'tg' });
        assert.equal(await client.cancel(upstreamOrderId), false);
        assert.equal(early.activations.get(upstreamOrderId)?.state, 'waiting');
      } finally {
        await early.close();
      }
    });

    it('maps NO_ACTIVATION on cancel to not_found', async () => {
      await rejectsWith(provider.cancel('42'), 'not_found');
    });

    it('finishes with setStatus 6', async () => {
      const { upstreamOrderId: id } = await provider.buyNumber({ country: '0', service: 'tg' });
      fake.deliverSms(id, 'code 4321');
      await provider.finish(id);
      assert.equal(fake.activations.get(id)?.state, 'finished');
      assert.deepEqual(fake.requests.at(-1)?.params, { id, status: '6' });
      await provider.finish(id);
      await rejectsWith(provider.finish('42'), 'not_found');
    });
  });

  describe('getPrices and getBalance', () => {
    it('parses prices exactly, from numbers and from strings', async () => {
      fake.setPrice('6', 'wa', '1.005');
      fake.setStock('6', 'wa', 3);
      for (const asStrings of [false, true]) {
        fake.variants.pricesAsStrings = asStrings;
        const prices = await provider.getPrices();
        assert.deepEqual(prices.get('0/tg'), { costMicros: 155_000, stock: 10 });
        assert.deepEqual(prices.get('6/wa'), { costMicros: 1_005_000, stock: 3 });
      }
    });

    it('prefers physicalCount and reads quant when count is missing', async () => {
      fake.failNext(
        'getPrices',
        '{"0":{"tg":{"cost":21.00,"count":56964,"physicalCount":0}},"1":{"wa":{"cost":"0.29","quant":"7"}}}',
      );
      const prices = await provider.getPrices();
      assert.deepEqual(prices.get('0/tg'), { costMicros: 21_000_000, stock: 0 });
      assert.deepEqual(prices.get('1/wa'), { costMicros: 290_000, stock: 7 });
    });

    it('does not mistake an error envelope for an empty price list', async () => {
      fake.failNext('getPrices', '{"status":"error","message":"BAD_KEY"}');
      await rejectsWith(provider.getPrices(), 'bad_key');
    });

    it('reads the balance in micros', async () => {
      fake.setBalance('12.34');
      assert.equal(await provider.getBalance(), 12_340_000);
      fake.failNext('getBalance', 'access_balance: 17.154 ');
      assert.equal(await provider.getBalance(), 17_154_000);
      fake.failNext('getBalance', 'ACCESS_BALANCE:abc');
      await rejectsWith(provider.getBalance(), 'unavailable', 'ACCESS_BALANCE:abc');
    });
  });
});
