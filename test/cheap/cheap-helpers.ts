import { findAccount } from '../../src/accounts/accounts.repository.js';
import { productLines } from '../../src/app.js';
import { deliverSandboxMessage } from '../../src/providers/sandbox/deliver.js';
import { upstreamOrderResolvers } from '../../src/sandbox-order-resolvers.js';
import { ledgerInvariants } from '../../src/wallet/invariants.js';
import { runInvariantChecks } from '../../src/wallet/ledger-check.js';
import type { TestServer } from '../helpers/test-server.js';

export const CHEAP = '/stubs/cheap_handler.php';

/** A cheap-API call as a customer's client makes it (GET, query string). */
export function cheap(server: TestServer, apiKey: string, params: Record<string, string>): Promise<string> {
  return server.get(CHEAP, { api_key: apiKey, ...params });
}

/** The account's balance in paisa, read from the database. */
export async function balanceOf(server: TestServer, accountId: number): Promise<number> {
  const account = await findAccount(server.ctx.db, accountId);
  if (!account) throw new Error(`no account ${accountId}`);
  return account.balance;
}

/** A message on the sandbox order behind a customer order id, as `otpget sandbox deliver` puts it. */
export async function deliver(server: TestServer, orderId: string, text: string): Promise<void> {
  await deliverSandboxMessage(server.ctx.db, upstreamOrderResolvers, {
    orderId,
    text,
    now: server.clock.now(),
  });
}

/** Ledger entries of one account by kind, oldest first. */
export async function ledgerKinds(server: TestServer, accountId: number): Promise<Array<[string, number]>> {
  const rows = await server.ctx.db
    .selectFrom('ledger_entries')
    .select(['kind', 'amount'])
    .where('account_id', '=', accountId)
    .orderBy('id')
    .execute();
  return rows.map((r) => [r.kind, r.amount]);
}

/** `otpget ledger check`'s findings; empty when every balance and order is settled. */
export async function ledgerProblems(server: TestServer): Promise<string[]> {
  return (await runInvariantChecks(server.ctx.db, ledgerInvariants(productLines()))).map((p) => p.message);
}

/** Splits a buyNumber success line into its three fields. */
export function parseBought(reply: string): { orderId: string; phone: string; expiresIn: string } {
  const [orderId, phone, expiresIn, ...rest] = reply.split(',');
  if (!orderId || !phone || !expiresIn || rest.length > 0) throw new Error(`not a purchase: ${reply}`);
  return { orderId, phone, expiresIn };
}
