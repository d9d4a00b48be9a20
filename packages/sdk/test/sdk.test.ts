import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { deliverSandboxMessage } from '../../../src/providers/sandbox/deliver.js';
import { upstreamOrderResolvers } from '../../../src/sandbox-order-resolvers.js';
import { describeEachDatabase } from '../../../test/helpers/databases.js';
import { startTestServer, type TestServer } from '../../../test/helpers/test-server.js';
import {
  createOtpget,
  type Otpget,
  OtpgetCancelledError,
  OtpgetJsonApiError,
  OtpgetNetworkError,
  OtpgetTextApiError,
} from '../src/index.js';

/** Delivers a sandbox message and lets the worker record it (the code then wakes long-polls). */
async function deliverCode(server: TestServer, orderId: string, text: string): Promise<void> {
  await deliverSandboxMessage(server.ctx.db, upstreamOrderResolvers, {
    orderId,
    text,
    now: server.clock.now(),
  });
  server.clock.advance(5_000);
  await server.runJobs();
}

/** A fetch that lets the request reach the server, then loses the reply the first `lose` times. */
function lossyFetch(lose: number): { fetch: typeof fetch; calls: () => number } {
  let calls = 0;
  const lossy: typeof fetch = async (input, init) => {
    calls++;
    const response = await fetch(input, init);
    await response.text();
    if (calls <= lose) throw new TypeError('socket hang up (reply lost)');
    return fetch(input, init);
  };
  return { fetch: lossy, calls: () => calls };
}

describeEachDatabase('@otpget/sdk against a real server', (kind) => {
  let server: TestServer;
  let otp: Otpget;
  let apiKey: string;
  let accountId: number;
  before(async () => {
    server = await startTestServer(kind);
    ({ apiKey, id: accountId } = await server.newAccount(1_000_000));
    otp = createOtpget({ baseUrl: server.url, apiKey });
  });
  after(() => server.close());

  it('reads the balance as PKR text and integer paisa, and lists the SMS catalogue', async () => {
    assert.deepEqual(await otp.sms.getBalance(), { pkr: '10000.00', paisa: 1_000_000 });
    const countries = await otp.sms.getCountries(1);
    assert.ok(countries['1']?.some((c) => c.id === '61'));
    const services = await otp.sms.getServices(61, 1);
    assert.equal(typeof services['101'], 'string');
  });

  it('buys a number and waits for its code by long-poll', async () => {
    const { id, phone } = await otp.sms.getNumber({ service: 101, country: 61, type: 1 });
    assert.match(phone, /^\d{6,15}$/);
    assert.deepEqual(await otp.sms.getStatus(id), { state: 'waiting' });
    const started = Date.now();
    const waiting = otp.sms.waitForCode(id, { longPollSeconds: 10 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await deliverCode(server, id, 'Your Telegram code is 48213');
    assert.equal(await waiting, '48213');
    assert.ok(Date.now() - started < 5_000, 'answered by the long-poll, not after its deadline');
    assert.equal(await otp.sms.complete(id), 'finished');
  });

  it('falls back to polling with backoff when the server answers at once (no long-poll)', async () => {
    const noWait: typeof fetch = (input, init) => {
      const url = new URL(String(input));
      url.searchParams.delete('wait');
      return fetch(url, init);
    };
    const client = createOtpget({ baseUrl: server.url, apiKey, fetch: noWait });
    const { id } = await client.sms.getNumber({ service: 101, country: 61, type: 1 });
    const waiting = client.sms.waitForCode(id, { timeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await deliverCode(server, id, 'Telegram code 77120');
    assert.equal(await waiting, '77120');
  });

  it('turns documented failure words into typed errors', async () => {
    await assert.rejects(otp.sms.getNumber({ service: 999_999, country: 61, type: 1 }), (error) => {
      assert.ok(error instanceof OtpgetTextApiError);
      assert.equal(error.code, 'BAD_SERVICE');
      return true;
    });
    await assert.rejects(otp.sms.getStatus('nosuchorder1'), { code: 'NO_ACTIVATION' });
    const poor = await server.newAccount(0);
    const broke = createOtpget({ baseUrl: server.url, apiKey: poor.apiKey });
    await assert.rejects(broke.sms.getNumber({ service: 101, country: 61, type: 1 }), { code: 'NO_BALANCE' });
    await assert.rejects(
      broke.rental.rentNumber({ countryCode: 'ca', provider: 2, durationHours: 720 }),
      (error) => {
        assert.ok(error instanceof OtpgetJsonApiError);
        assert.equal(error.status, '402');
        assert.equal(error.code, 'insufficient_balance');
        assert.equal(error.apiMessage, 'Insufficient balance.');
        return true;
      },
    );
    const badKey = createOtpget({ baseUrl: server.url, apiKey: 'og_wrong' });
    await assert.rejects(badKey.cheap.getBalance(), { code: 'BAD_KEY' });
    await assert.rejects(badKey.email.getEmailHistory(), { status: '401', code: 'bad_key' });
  });

  it('never retries a purchase without an idempotency key, and retries one with a key without paying twice', async () => {
    const before = (await otp.sms.getBalance()).paisa;
    const once = lossyFetch(1);
    const unsafe = createOtpget({ baseUrl: server.url, apiKey, fetch: once.fetch });
    await assert.rejects(unsafe.sms.getNumber({ service: 101, country: 61, type: 1 }), OtpgetNetworkError);
    assert.equal(once.calls(), 1, 'sent exactly once');
    const afterLost = (await otp.sms.getBalance()).paisa;
    assert.ok(afterLost < before, 'the lost purchase did happen on the server');

    const twice = lossyFetch(1);
    const safe = createOtpget({ baseUrl: server.url, apiKey, fetch: twice.fetch });
    const bought = await safe.sms.getNumber(
      { service: 101, country: 61, type: 1 },
      { idempotencyKey: 'sdk-test-1' },
    );
    assert.ok(twice.calls() >= 2, 'retried after the lost reply');
    const price = afterLost - (await otp.sms.getBalance()).paisa;
    assert.equal(price, before - afterLost, 'charged once for the keyed purchase');
    const again = await otp.sms.getNumber(
      { service: 101, country: 61, type: 1 },
      { idempotencyKey: 'sdk-test-1' },
    );
    assert.deepEqual(again, bought);
  });

  it('stops waiting when the AbortSignal fires', async () => {
    const { id } = await otp.sms.getNumber({ service: 101, country: 61, type: 1 });
    const controller = new AbortController();
    const started = Date.now();
    const waiting = otp.sms.waitForCode(id, { signal: controller.signal, longPollSeconds: 20 });
    setTimeout(() => controller.abort(new Error('stop')), 200);
    await assert.rejects(waiting, /stop/);
    assert.ok(Date.now() - started < 3_000);
  });

  it('rents a number, lists it and reads its inbox with the wire types', async () => {
    const rented = await otp.rental.rentNumber({ countryCode: 'ca', provider: 2, durationHours: 720 });
    assert.equal(rented.status, '200');
    assert.equal(typeof rented.duration_hours, 'number');
    assert.match(rented.price_paid, /^\d+\.\d\d$/);
    const mine = await otp.rental.getMyRentals();
    assert.ok(mine.rentals.some((r) => r.order_id === rented.order_id));
    const inbox = await otp.rental.getRentalSMS(rented.order_id);
    assert.equal(inbox.total, 0);
    await assert.rejects(otp.rental.getRentalSMS('1'), { status: '404', code: 'not_found' });
  });

  it('buys an email, waits for its code, and reports a cancelled mailbox as OtpgetCancelledError', async () => {
    const bought = await otp.email.buyEmail({ server: 1, serviceId: 'ig' });
    assert.equal(typeof bought.price, 'number');
    assert.equal(typeof bought.email_id, 'string');
    const waiting = otp.email.waitForCode(bought.email_id, { longPollSeconds: 10 });
    await new Promise((resolve) => setTimeout(resolve, 150));
    await deliverCode(server, bought.email_id, 'Your Instagram code is 556677');
    assert.equal(await waiting, '556677');

    const other = await otp.email.buyEmail({ server: 1, serviceId: 'ig' });
    server.clock.advance(10 * 60_000);
    const cancelled = await otp.email.cancelEmail(other.email_id);
    assert.equal(cancelled.status, '200');
    await assert.rejects(otp.email.waitForCode(other.email_id, { timeoutMs: 5_000 }), OtpgetCancelledError);
    assert.ok(accountId > 0);
  });
});
