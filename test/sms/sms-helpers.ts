import assert from 'node:assert/strict';
import { findAccount } from '../../src/accounts/accounts.repository.js';
import { deliverSandboxMessage } from '../../src/providers/sandbox/deliver.js';
import { upstreamOrderResolvers } from '../../src/providers/sandbox/resolvers.js';
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
      const match = /^ACCESS_NUMBER:([a-z0-9]{12}):(\d+)$/.exec(reply);
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
