/**
 * Shared pieces of the temp email API tests: the endpoint, sandbox delivery, a scripted upstream
 * whose every answer a test controls, and ledger helpers.
 */
import assert from 'node:assert/strict';
import { upsertEmailServer } from '../../src/emails/email-catalog.repository.js';
import type { AdapterFactories } from '../../src/providers/registry.js';
import { deliverSandboxMessage } from '../../src/providers/sandbox/deliver.js';
import type {
  EmailActivationState,
  EmailProvider,
  EmailPurchase,
  EmailPurchaseRequest,
} from '../../src/providers/types.js';
import { insertUpstream } from '../../src/providers/upstreams.repository.js';
import { upstreamOrderResolvers } from '../../src/sandbox-order-resolvers.js';
import { defaultAdapterFactories } from '../../src/upstream-adapters.js';
import { assertLedgerClean as assertLedgerCleanIn } from '../helpers/ledger.js';
import type { TestServer } from '../helpers/test-server.js';

export const EMAIL = '/stubs/email_handler.php';

export type Json = Record<string, unknown>;

/** A message on a sandbox email order, as `otpget sandbox deliver` puts it. */
export async function deliver(
  server: TestServer,
  emailId: string,
  text: string,
  sender?: string,
): Promise<void> {
  await deliverSandboxMessage(server.ctx.db, upstreamOrderResolvers, {
    orderId: emailId,
    text,
    now: server.clock.now(),
    ...(sender ? { sender } : {}),
  });
}

/** Lets the worker's next run see the order as due, then runs it. */
export async function poll(server: TestServer): Promise<void> {
  server.clock.advance(5_000);
  await server.runJobs();
}

export async function balanceOf(server: TestServer, accountId: number): Promise<number> {
  const row = await server.ctx.db
    .selectFrom('accounts')
    .select('balance')
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  return row.balance;
}

/** Ledger entries of one email order, by kind. */
export async function orderLedger(server: TestServer, emailId: string): Promise<Array<[string, number]>> {
  const rows = await server.ctx.db
    .selectFrom('ledger_entries')
    .select(['kind', 'amount'])
    .where('reference', '=', `email:${emailId}`)
    .orderBy('id')
    .execute();
  return rows.map((r) => [r.kind, r.amount]);
}

/**
 * An email upstream under the test's control: each call runs the function the test set, so a
 * test can refuse, lose a reply, or hold a call open while something else happens.
 */
export class ScriptedEmailProvider implements EmailProvider {
  buys = 0;
  cancels = 0;
  buy: (request: EmailPurchaseRequest) => Promise<EmailPurchase> = async () => ({
    upstreamOrderId: `up-${++this.buys}`,
    email: `scripted${this.buys}@gmail.com`,
  });
  state: (id: string) => Promise<EmailActivationState> = async () => ({ state: 'waiting' });
  cancelResult: (id: string) => Promise<boolean> = async () => true;

  buyEmail(request: EmailPurchaseRequest): Promise<EmailPurchase> {
    return this.buy(request);
  }
  getActivation(id: string): Promise<EmailActivationState> {
    return this.state(id);
  }
  cancel(id: string): Promise<boolean> {
    this.cancels += 1;
    return this.cancelResult(id);
  }
}

/** Adapter factories with a `scripted` email protocol that always returns the given provider. */
export function scriptedFactories(provider: ScriptedEmailProvider): AdapterFactories {
  const factories = defaultAdapterFactories();
  factories.email.scripted = () => provider;
  return factories;
}

/** Adds an email upstream and serves `server` from it. */
export async function serveFromUpstream(
  server: TestServer,
  emailServer: 1 | 2,
  upstream: { name: string; protocol: string; baseUrl?: string; apiKey?: string; timeoutMs?: number },
): Promise<number> {
  const id = await insertUpstream(
    server.ctx.db,
    {
      name: upstream.name,
      kind: 'email',
      protocol: upstream.protocol,
      baseUrl: upstream.baseUrl ?? null,
      apiKey: upstream.apiKey ?? null,
      timeoutMs: upstream.timeoutMs ?? 5_000,
    },
    server.clock.now(),
  );
  await upsertEmailServer(
    server.ctx.db,
    { server: emailServer, upstreamId: id, enabled: true },
    server.clock.now(),
  );
  return id;
}

/**
 * Asserts an object has exactly these keys with these JSON types ('string', 'number', 'array',
 * 'object', 'boolean'), so a "120" where the reference has 120 fails.
 */
export function assertShape(
  value: unknown,
  shape: Record<string, string>,
  label = 'reply',
): asserts value is Json {
  assert.ok(
    value !== null && typeof value === 'object' && !Array.isArray(value),
    `${label} is not an object`,
  );
  const record = value as Json;
  assert.deepEqual(Object.keys(record).sort(), Object.keys(shape).sort(), `${label} keys`);
  for (const [key, type] of Object.entries(shape)) {
    const actual = Array.isArray(record[key]) ? 'array' : typeof record[key];
    assert.equal(actual, type, `${label}.${key} should be a ${type}, got ${JSON.stringify(record[key])}`);
  }
}

export const ERROR_SHAPE = { status: 'string', message: 'string' };

/** The ledger check over this server's lines (see test/helpers/ledger.ts). */
export const assertLedgerClean = (server: TestServer): Promise<void> => assertLedgerCleanIn(server.ctx);
