/**
 * Seeding for the benchmarks. Accounts are created through the same service the CLI's
 * `otpget account create --balance` uses (one transaction per account, opening balance through
 * the ledger), in this process because 200 CLI processes would take minutes; orders are bought
 * through the real HTTP API (getNumber) so they go through the real purchase path.
 */
import { spawn } from 'node:child_process';
import { createAccount } from '../src/accounts/accounts.service.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { systemClock } from '../src/shared/clock.js';
import { type LoadResult, runLoad } from './load.js';
import { benchEnv, CLI_ENTRY, ROOT } from './server-process.js';
import type { SmsProduct } from './sms-product.js';

export interface SeededAccount {
  id: number;
  apiKey: string;
}

/** Migrates the database and creates `count` accounts with `balancePaisa` each. */
export async function seedAccounts(
  databaseUrl: string,
  count: number,
  balancePaisa: number,
): Promise<SeededAccount[]> {
  const database = openDatabase(databaseUrl, { poolSize: 4 });
  try {
    await migrateToLatest(database);
    const accounts: SeededAccount[] = [];
    for (let i = 0; i < count; i++) {
      const created = await createAccount(database.db, systemClock, {
        name: `bench ${i + 1}`,
        openingBalance: balancePaisa,
      });
      accounts.push({ id: created.account.id, apiKey: created.apiKey });
    }
    return accounts;
  } finally {
    await database.close();
  }
}

/** A live order a customer can poll. */
export interface LiveOrder {
  apiKey: string;
  id: string;
  phone: string;
}

export const SMS_PATH = '/stubs/handler_api.php';

export function smsPath(apiKey: string, params: Record<string, string>): string {
  return `${SMS_PATH}?${new URLSearchParams({ api_key: apiKey, ...params }).toString()}`;
}

/**
 * Buys orders with getNumber through the load generator: `amount` requests (or `durationSec`)
 * cycling through the accounts, returning the measured run, how many it sold, and the live
 * orders. With `wrk` (a timed run only) the replies are only checked, not kept, so the orders are
 * read back from the database, each with its account's key: wrk takes a fraction of autocannon's
 * CPU, which on two cores the server would otherwise share with it.
 */
export async function buyOrders(
  url: string,
  accounts: SeededAccount[],
  product: SmsProduct,
  length: { amount?: number; durationSec?: number },
  connections = 64,
  wrk?: { databaseUrl: string },
): Promise<{ load: LoadResult; sold: number; orders: LiveOrder[] }> {
  const paths = accounts.map((a) =>
    smsPath(a.apiKey, {
      action: 'getNumber',
      service: product.service,
      country: product.country,
      type: product.type,
    }),
  );
  if (wrk && length.durationSec !== undefined) {
    const expect = 'ACCESS_NUMBER:';
    const load = await runLoad({
      url,
      paths,
      connections,
      durationSec: length.durationSec,
      generator: 'wrk',
      expect,
    });
    return { load, sold: load.replies[expect] ?? 0, orders: await liveOrders(wrk.databaseUrl, accounts) };
  }
  const load = await runLoad({ url, paths, connections, ...length, collectPrefix: 'ACCESS_NUMBER:' });
  const orders: LiveOrder[] = [];
  for (const [pathIndex, body] of load.collected) {
    const [, id, phone] = body.trim().split(':');
    const account = accounts[pathIndex % accounts.length];
    if (id && phone && account) orders.push({ apiKey: account.apiKey, id, phone });
  }
  load.collected = [];
  return { load, sold: orders.length, orders };
}

/** The active SMS orders of these accounts, oldest first, as their customers would poll them. */
async function liveOrders(databaseUrl: string, accounts: SeededAccount[]): Promise<LiveOrder[]> {
  const keys = new Map(accounts.map((a) => [a.id, a.apiKey]));
  const database = openDatabase(databaseUrl, { poolSize: 1 });
  try {
    const rows = await database.db
      .selectFrom('activations')
      .select(['public_id', 'phone', 'account_id'])
      .where('state', '=', 'active')
      .orderBy('id')
      .execute();
    return rows.flatMap((r) => {
      const apiKey = keys.get(r.account_id);
      return apiKey && r.phone ? [{ apiKey, id: r.public_id, phone: r.phone }] : [];
    });
  } finally {
    await database.close();
  }
}

/** Runs an `otpget` command against the database, as an operator would; its exit code and output. */
export async function runOtpget(
  databaseUrl: string,
  args: string[],
  timeoutMs = 600_000,
): Promise<{ code: number | null; stdout: string; stderr: string; timedOut: boolean; seconds: number }> {
  const started = performance.now();
  const child = spawn(process.execPath, [CLI_ENTRY, ...args], {
    cwd: ROOT,
    env: benchEnv(databaseUrl),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (c: string) => {
    stdout += c;
  });
  child.stderr.setEncoding('utf8').on('data', (c: string) => {
    stderr += c;
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  clearTimeout(timer);
  const seconds = (performance.now() - started) / 1000;
  return { code, stdout: stdout.trim(), stderr: stderr.trim(), timedOut, seconds };
}

/** Runs `otpget ledger check --json` against the database, as an operator would. */
export async function ledgerCheck(
  databaseUrl: string,
  timeoutMs = 600_000,
): Promise<{ ok: boolean; problems: unknown[]; output: string; seconds: number; timedOut: boolean }> {
  const { stdout, stderr, seconds, timedOut } = await runOtpget(
    databaseUrl,
    ['ledger', 'check', '--json'],
    timeoutMs,
  );
  if (timedOut) {
    const output = `did not finish within ${Math.round(timeoutMs / 1000)} s`;
    return { ok: false, problems: [output], output, seconds, timedOut };
  }
  try {
    const parsed = JSON.parse(stdout.split('\n').at(-1) ?? '') as { ok: boolean; problems: unknown[] };
    return { ...parsed, output: stdout, seconds, timedOut };
  } catch {
    return {
      ok: false,
      problems: [stderr || stdout],
      output: `${stdout}\n${stderr}`.trim(),
      seconds,
      timedOut,
    };
  }
}
