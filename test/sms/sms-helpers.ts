import assert from 'node:assert/strict';
import { findAccount } from '../../src/accounts/accounts.repository.js';
import { configureProviderUpstream, upsertPriceRow } from '../../src/catalog/catalog-admin.js';
import { setExchangeRateMicros } from '../../src/pricing/pricing.repository.js';
import { deliverSandboxMessage } from '../../src/providers/sandbox/deliver.js';
import { upstreamOrderResolvers } from '../../src/sandbox-order-resolvers.js';
import { type FakeSmsActivate, startFakeSmsActivate } from '../fakes/sms-activate-fake.js';
import type { TestServer } from '../helpers/test-server.js';

export const SMS = '/stubs/handler_api.php';

/** Calls of the SMS OTP API for one customer key. */
export function smsClient(server: TestServer, apiKey: string) {
  const call = (action: string, params: Record<string, string> = {}) =>
    server.get(SMS, { api_key: apiKey, action, ...params });
  return {
    call,
    post: (action: string, params: Record<string, string> = {}) =>
      server.post(SMS, { api_key: apiKey, action, ...params }),
    /** getNumber that must succeed; returns the id and the phone. */
    async buy(params: Record<string, string> = { service: '101', country: '61', type: '1' }) {
      const reply = await call('getNumber', params);
      const match = /^ACCESS_NUMBER:([1-9]\d{12}):(\d+)$/.exec(reply);
      assert.ok(match, `getNumber answered ${reply}`);
      return { id: match[1] as string, phone: match[2] as string };
    },
    status: (id: string) => call('getStatus', { id }),
    setStatus: (id: string, status: string) => call('setStatus', { id, status }),
  };
}

export async function balanceOf(server: TestServer, accountId: number): Promise<number | undefined> {
  return (await findAccount(server.ctx.db, accountId))?.balance;
}

/** A message on a sandbox order, as `otpget sandbox deliver` puts it there. */
export function deliverToSandbox(server: TestServer, publicId: string, text: string) {
  return deliverSandboxMessage(server.ctx.db, upstreamOrderResolvers, {
    orderId: publicId,
    text,
    now: server.clock.now(),
  });
}

/** Lets a poll interval pass and runs the background jobs once. */
export async function tick(server: TestServer, ms = 1_000): Promise<void> {
  server.clock.advance(ms);
  await server.runJobs();
}

/**
 * Provider type 2 on a scripted SMS-Activate-protocol upstream, through the real adapter:
 * Pakistan (61) Telegram (101) is the upstream's country "0" service "tg" at 0.50 USD; with
 * 280 PKR/USD and no markup the customer pays 140.00 PKR. `stocked` also gives the fake stock,
 * that price and a balance, for tests that only buy.
 */
export async function fakeUpstreamForType2(
  server: TestServer,
  options: { timeoutMs: number; stocked: boolean },
): Promise<FakeSmsActivate> {
  const fake = await startFakeSmsActivate({ now: () => server.clock.now() });
  if (options.stocked) {
    fake.setPrice('0', 'tg', '0.5');
    fake.setStock('0', 'tg', 10_000);
    fake.setBalance('10000');
  }
  const now = server.clock.now();
  await setExchangeRateMicros(server.ctx.db, 'USD', 280_000_000, now);
  await configureProviderUpstream(
    server.ctx.db,
    2,
    {
      protocol: 'sms-activate',
      baseUrl: fake.url,
      apiKey: fake.apiKey,
      currency: 'USD',
      timeoutMs: options.timeoutMs,
    },
    now,
  );
  const priceRow = { type: 2, countryId: 61, serviceId: 101, upstreamCountry: '0', upstreamService: 'tg' };
  await upsertPriceRow(server.ctx.db, { ...priceRow, costMicros: 500_000 }, now);
  return fake;
}
