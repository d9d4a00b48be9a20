import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createAccount } from '../../src/accounts/accounts.service.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { systemClock } from '../../src/shared/clock.js';
import { postgresKind } from '../helpers/databases.js';
import { hardeningScale } from './hardening-support.js';
import { startServerProcess } from './server-process.js';
import {
  customerLoad,
  ledgerProblems,
  orderMoneyProblems,
  outcomeSummary,
  pendingCounts,
  runJobsLater,
} from './settle.js';

/**
 * Two otpget processes (API and worker each) on one PostgreSQL schema, many accounts buying,
 * polling, completing and cancelling through both at random, with lifetimes short enough that
 * orders expire while both workers run. Then: the ledger check is clean, each debited order has
 * one debit and at most one refund of the same amount (so no order was refunded by both
 * workers), no order is pending, and neither process logged an error (a worker losing a race it
 * should have lost by compare-and-set logs nothing; a double refund attempt would hit the unique
 * ledger key and log one).
 */
const skip = process.env.TEST_DATABASE_URL ? false : 'set TEST_DATABASE_URL to run the PostgreSQL suite';
const LOAD_MS = Math.round(8_000 * hardeningScale());
const CUSTOMERS = 12;

describe('hardening: two processes on one PostgreSQL', { skip }, () => {
  let created: { url: string; drop(): Promise<void> };
  let database: Database;
  before(async () => {
    created = await postgresKind.create();
    database = openDatabase(created.url);
    await migrateToLatest(database);
  });
  after(async () => {
    await database.close();
    await created.drop();
  });

  it('settles every order once with both workers running', { timeout: 600_000 }, async () => {
    const keys: string[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      keys.push(
        (await createAccount(database.db, systemClock, { name: `two-${i}`, openingBalance: 1_000_000 }))
          .apiKey,
      );
    }
    const dir = mkdtempSync(join(tmpdir(), 'otpget-two-'));
    const env = {
      DATABASE_URL: created.url,
      OTPGET_WORKER_INTERVAL_MS: '100',
      OTPGET_SANDBOX_DELAY_MS: '5000',
      OTPGET_ACTIVATION_TTL_SECONDS: '2',
      OTPGET_CHEAP_TTL_SECONDS: '2',
      OTPGET_EMAIL_TTL_SECONDS: '2',
      OTPGET_CANCEL_LOCK_SECONDS: '0',
      LOG_LEVEL: 'warn',
    };
    const logs = [join(dir, 'a.log'), join(dir, 'b.log')];
    const servers = await Promise.all(logs.map((log) => startServerProcess(env, log)));
    const ids: string[][] = keys.map(() => []);
    const load = customerLoad(
      servers.map((s) => s.url),
      keys,
      ids,
    );
    await new Promise((resolve) => setTimeout(resolve, LOAD_MS));
    await load.stop();
    // Both workers keep running past every lifetime: expiries race between them.
    await new Promise((resolve) => setTimeout(resolve, 4_000));
    await Promise.all(servers.map((s) => s.stop()));
    const pendingBefore = await pendingCounts(database);
    await runJobsLater(database, 2);
    const pending = await pendingCounts(database);
    const money = await orderMoneyProblems(database);
    const invariants = await ledgerProblems(database);
    const outcomes = await outcomeSummary(database);
    const errorLines = logs
      .flatMap((log) => readFileSync(log, 'utf8').split('\n'))
      .filter((line) => /"level":(50|60)/.test(line));
    console.log(
      `[two processes postgres] ${CUSTOMERS} accounts, ${load.stats.sent} requests over ${LOAD_MS} ms through both ` +
        `(${load.stats.bought} purchases, ${load.stats.transportErrors} transport errors); pending before reconcile ` +
        `${JSON.stringify(pendingBefore)}; outcomes ${JSON.stringify(outcomes)}; found ${money.length} per-order money ` +
        `problems, ${invariants.length} invariant problems, ${errorLines.length} error log lines`,
    );
    assert.ok(load.stats.bought > 10, 'the load bought enough to race on');
    assert.equal(load.stats.transportErrors, 0);
    assert.deepEqual(pending, { activations: 0, email_orders: 0, rentals: 0, rental_renewals: 0 });
    assert.deepEqual(money, []);
    assert.deepEqual(invariants, []);
    assert.deepEqual(errorLines.slice(0, 5), []);
    const expired = Object.entries(outcomes)
      .filter(([k]) => k.endsWith(':expired'))
      .reduce((n, [, v]) => n + v, 0);
    assert.ok(expired > 0, 'orders expired while both workers ran');
  });
});
