import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { SmsActivateProvider } from '../../src/providers/sms-activate/activation-client.js';
import { SmsActivateRentProvider } from '../../src/providers/sms-activate/rent-client.js';
import { UpstreamError, type UpstreamFailureKind } from '../../src/providers/types.js';
import { type FakeFault, type FakeSmsActivate, startFakeSmsActivate } from '../fakes/sms-activate-fake.js';

const API_KEY = 'secret-Key_9f8e7d6c5b4a';

async function caught(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UpstreamError, `expected UpstreamError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the call to fail');
}

function assertNoKey(error: UpstreamError): void {
  for (const text of [error.message, error.raw, error.stack ?? '', JSON.stringify(error)]) {
    assert.ok(!text.includes(API_KEY), `API key leaked: ${text}`);
  }
}

describe('transport failures', () => {
  let fake: FakeSmsActivate;
  /** Patient client: only faults that hang may make it give up, so load on the test machine cannot. */
  let provider: SmsActivateProvider;
  /** Impatient client for the faults that hang (timeout, slow, lost replies). */
  let hasty: SmsActivateProvider;
  const hangs = (fault: FakeFault) => fault === 'timeout' || (typeof fault === 'object' && 'slowMs' in fault);

  before(async () => {
    fake = await startFakeSmsActivate({ apiKey: API_KEY });
  });
  after(() => fake.close());
  beforeEach(() => {
    fake.clearFaults();
    fake.setBalance('100');
    fake.setPrice('0', 'tg', '0.5');
    fake.setStock('0', 'tg', 100);
    provider = new SmsActivateProvider({ baseUrl: fake.url, apiKey: API_KEY, timeoutMs: 5000 });
    hasty = new SmsActivateProvider({ baseUrl: fake.url, apiKey: API_KEY, timeoutMs: 250 });
  });

  const faults: Array<[FakeFault, purchase: UpstreamFailureKind, read: UpstreamFailureKind]> = [
    ['http500', 'unavailable', 'unavailable'],
    ['garbage', 'unavailable', 'unavailable'],
    ['html', 'unavailable', 'unavailable'],
    ['timeout', 'unknown_outcome', 'unavailable'],
    ['reset', 'unknown_outcome', 'unavailable'],
    [{ slowMs: 1500 }, 'unknown_outcome', 'unavailable'],
    [{ status: 503, body: 'Service Unavailable' }, 'unavailable', 'unavailable'],
    [{ status: 504, body: 'Gateway Timeout' }, 'unknown_outcome', 'unavailable'],
    [{ status: 404, body: '<html><body>Not Found</body></html>' }, 'unavailable', 'unavailable'],
    ['', 'unavailable', 'unavailable'],
  ];
  for (const [fault, purchaseKind, readKind] of faults) {
    const name = JSON.stringify(fault);
    it(`maps ${name} on a purchase to ${purchaseKind}`, async () => {
      const before = fake.count('getNumber');
      fake.failNext('getNumber', fault);
      const client = hangs(fault) ? hasty : provider;
      const error = await caught(client.buyNumber({ country: '0', service: 'tg' }));
      assert.equal(error.kind, purchaseKind, error.raw);
      assert.ok(error.raw.length <= 200);
      assertNoKey(error);
      assert.equal(fake.count('getNumber'), before + 1, 'a purchase is sent exactly once');
    });

    it(`maps ${name} on a read to ${readKind}`, async () => {
      fake.failNext('getBalance', fault);
      const error = await caught((hangs(fault) ? hasty : provider).getBalance());
      assert.equal(error.kind, readKind, error.raw);
      assertNoKey(error);
    });
  }

  it('keeps raw replies on one line without control characters', async () => {
    fake.failNext('getBalance', 'garbage');
    const error = await caught(provider.getBalance());
    assert.equal(error.raw, '\u00ff}{ not a reply ]]');
    fake.failNext('getBalance', 'SOME\r\nTHING');
    assert.equal((await caught(provider.getBalance())).raw, 'SOME THING');
  });

  it('keeps the raw body of a 5xx, trimmed and clipped to 200 chars', async () => {
    fake.failNext('getBalance', { status: 500, body: `  ${'x'.repeat(500)}  ` });
    const error = await caught(provider.getBalance());
    assert.equal(error.raw, 'x'.repeat(200));
    fake.failNext('getBalance', 'http500');
    assert.equal((await caught(provider.getBalance())).raw, 'Internal Server Error');
  });

  it('removes the key when an upstream echoes it', async () => {
    fake.failNext('getNumber', `BAD_KEY:${API_KEY}`);
    const error = await caught(provider.buyNumber({ country: '0', service: 'tg' }));
    assert.equal(error.kind, 'bad_key');
    assert.equal(error.raw, 'BAD_KEY:***');
    assertNoKey(error);
  });

  it('answers a slow upstream within the timeout', async () => {
    fake.failNext('getNumber', { slowMs: 50 });
    const purchase = await provider.buyNumber({ country: '0', service: 'tg' });
    assert.ok(fake.activations.has(purchase.upstreamOrderId));
  });

  for (const how of ['timeout', 'reset'] as const) {
    it(`reports a purchase whose reply was lost (${how}) as unknown_outcome, and the list finds it`, async () => {
      const known = new Set(fake.activations.keys());
      fake.loseNextReply('getNumber', how);
      const error = await caught(hasty.buyNumber({ country: '0', service: 'tg' }));
      assert.equal(error.kind, 'unknown_outcome');
      const bought = [...fake.activations.values()].filter((a) => !known.has(a.id));
      const [sold, ...more] = bought;
      assert.ok(sold && more.length === 0, 'the upstream did sell exactly one number');
      const list = await provider.listActivations();
      assert.equal(list.get(sold.id)?.phone, sold.phone);
    });
  }

  it('treats a lost cancel reply as unknown_outcome (it may have refunded)', async () => {
    const { upstreamOrderId } = await provider.buyNumber({ country: '0', service: 'tg' });
    fake.loseNextReply('setStatus', 'reset');
    assert.equal((await caught(provider.cancel(upstreamOrderId))).kind, 'unknown_outcome');
    assert.equal(await provider.cancel(upstreamOrderId), true, 'a repeated cancel still says cancelled');
  });

  it('uses purchaseTimeoutMs for purchases only', async () => {
    const patient = new SmsActivateProvider({
      baseUrl: fake.url,
      apiKey: API_KEY,
      timeoutMs: 150,
      purchaseTimeoutMs: 5000,
    });
    fake.failNext('getNumber', { slowMs: 400 });
    await patient.buyNumber({ country: '0', service: 'tg' });
    fake.failNext('getBalance', { slowMs: 1500 });
    assert.equal((await caught(patient.getBalance())).kind, 'unavailable');
  });

  it("honours the caller's signal: not sent when already aborted, unknown outcome mid-purchase", async () => {
    const before = fake.count('getNumber');
    const error = await caught(provider.buyNumber({ country: '0', service: 'tg' }, AbortSignal.abort()));
    assert.equal(error.kind, 'unavailable');
    assert.equal(fake.count('getNumber'), before);

    fake.failNext('getNumber', 'timeout');
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const midway = await caught(provider.buyNumber({ country: '0', service: 'tg' }, controller.signal));
    assert.equal(midway.kind, 'unknown_outcome');
  });

  it('maps a refused connection to unavailable even for a purchase, without the key', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const { port } = closed.address() as AddressInfo;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const nowhere = new SmsActivateProvider({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: API_KEY,
      timeoutMs: 1000,
    });
    const error = await caught(nowhere.buyNumber({ country: '0', service: 'tg' }));
    assert.equal(error.kind, 'unavailable');
    assert.match(error.raw, /ECONNREFUSED/);
    assertNoKey(error);
    const rent = new SmsActivateRentProvider({
      baseUrl: `http://127.0.0.1:${port}`,
      apiKey: API_KEY,
      timeoutMs: 1000,
    });
    assert.equal((await caught(rent.rentNumber({ country: '0', hours: 4 }))).kind, 'unavailable');
  });

  it('accepts the full handler URL as baseUrl', async () => {
    const direct = new SmsActivateProvider({ baseUrl: fake.handlerUrl, apiKey: API_KEY, timeoutMs: 1000 });
    fake.setBalance('3.5');
    assert.equal(await direct.getBalance(), 3_500_000);
  });

  it('rejects an invalid base URL at construction', () => {
    assert.throws(() => new SmsActivateProvider({ baseUrl: 'not a url', apiKey: API_KEY, timeoutMs: 1000 }));
  });
});
