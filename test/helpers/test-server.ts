import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { createAccount } from '../../src/accounts/accounts.service.js';
import { createApp, createContext } from '../../src/app.js';
import type { AppContext } from '../../src/app-context.js';
import { type Config, loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import type { AdapterFactories } from '../../src/providers/registry.js';
import { ManualClock } from '../../src/shared/clock.js';
import { usePasswordCostForTests } from '../../src/shared/passwords.js';
import type { WebhookNetwork } from '../../src/webhooks/webhook-destination.js';
import { buildJobs } from '../../src/workers/jobs.js';
import { WorkerLoop } from '../../src/workers/worker.js';
import type { TestDatabaseKind } from './databases.js';

/**
 * Test servers hash passwords at a cheap scrypt cost so suites that make many logins stay fast;
 * src/shared/passwords.test.ts asserts the production cost, which it runs without this.
 */
export const TEST_PASSWORD_COST = { N: 1024, r: 8, p: 1 };
usePasswordCostForTests(TEST_PASSWORD_COST);

export interface TestServer {
  url: string;
  /** The Fastify application (its `server` is the node:http server, fast lane included). */
  app: FastifyInstance;
  ctx: AppContext;
  clock: ManualClock;
  /** GET with query parameters; resolves to the body text. */
  get(path: string, params: Record<string, string>): Promise<string>;
  /** POST as an HTML form would. */
  post(path: string, params: Record<string, string>): Promise<string>;
  /** GET and parse JSON. */
  getJson<T = Record<string, unknown>>(path: string, params: Record<string, string>): Promise<T>;
  /** A new account with an API key; balance in paisa. */
  newAccount(balancePaisa?: number): Promise<{ id: number; apiKey: string }>;
  /** Runs every background job once, in order (tests drive time and work explicitly). */
  runJobs(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real otpget server on a random port over a fresh database of the given kind, with a manual
 * clock. The background worker does not run on its own unless `worker: true`; call runJobs().
 */
export async function startTestServer(
  kind: TestDatabaseKind,
  options: {
    env?: Record<string, string>;
    factories?: AdapterFactories;
    worker?: boolean;
    clock?: ManualClock;
    webhookNetwork?: WebhookNetwork;
    /** Where the server logs (silent unless given): tests that check what reaches the log. */
    log?: Logger;
  } = {},
): Promise<TestServer> {
  const database = await kind.createMigrated();
  const config: Config = {
    ...loadConfig({
      OTPGET_SANDBOX_DELAY_MS: 'off',
      OTPGET_RATE_LIMIT_PER_KEY: '0',
      OTPGET_RATE_LIMIT_PER_IP: '0',
      OTPGET_SIGNUP_LIMIT_PER_IP: '0',
      OTPGET_SIGNUP_LIMIT_PER_HOUR: '0',
      ...options.env,
    }),
    databaseUrl: database.url,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent',
  };
  const db = openDatabase(config.databaseUrl, { poolSize: 20 });
  await migrateToLatest(db);
  const clock = options.clock ?? new ManualClock();
  const ctx = createContext(config, db, {
    clock,
    log: options.log ?? pino({ level: 'silent' }),
    ...(options.factories ? { factories: options.factories } : {}),
    ...(options.webhookNetwork ? { webhookNetwork: options.webhookNetwork } : {}),
  });
  const app = await createApp(ctx);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const jobs = buildJobs(ctx);
  const worker = options.worker ? new WorkerLoop(jobs, ctx.log) : null;
  worker?.start();

  const server: TestServer = {
    url,
    app,
    ctx,
    clock,
    async get(path, params) {
      const response = await fetch(`${url}${path}?${new URLSearchParams(params)}`);
      return response.text();
    },
    async post(path, params) {
      const response = await fetch(`${url}${path}`, { method: 'POST', body: new URLSearchParams(params) });
      return response.text();
    },
    async getJson(path, params) {
      return JSON.parse(await server.get(path, params));
    },
    async newAccount(balancePaisa = 0) {
      const created = await createAccount(ctx.db, clock, { name: 'test', openingBalance: balancePaisa });
      return { id: created.account.id, apiKey: created.apiKey };
    },
    async runJobs() {
      const signal = new AbortController().signal;
      for (const job of jobs) await job.run(signal);
    },
    async close() {
      await worker?.stop();
      await app.close();
      await db.close();
      await database.drop();
    },
  };
  return server;
}
