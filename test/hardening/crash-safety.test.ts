import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createAccount } from '../../src/accounts/accounts.service.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { systemClock } from '../../src/shared/clock.js';
import { runOtpget } from '../helpers/cli.js';
import { describeEachDatabase, type TestDatabaseKind } from '../helpers/databases.js';
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
 * Crash safety: the real server as a child process under a purchase/cancel/poll/complete load on
 * every line, killed with SIGKILL at a random moment and restarted, again and again. Then the
 * reconciler gets its turn (the real jobs, run with the clock past every reconcile delay and
 * lifetime), and: `otpget ledger check` is clean, no order is pending, and every debited order
 * has exactly one debit and at most one refund of the same amount (the product's invariants say
 * which states must have the refund and which must not: never both, never neither).
 * 10 kills per database by default, times OTPGET_HARDENING_SCALE.
 */
const KILLS = Math.max(2, Math.round(10 * hardeningScale()));
const CUSTOMERS = 6;

const childEnv = {
  OTPGET_WORKER_INTERVAL_MS: '100',
  OTPGET_SANDBOX_DELAY_MS: '300',
  OTPGET_ACTIVATION_TTL_SECONDS: '3',
  OTPGET_CHEAP_TTL_SECONDS: '3',
  OTPGET_EMAIL_TTL_SECONDS: '3',
  OTPGET_CANCEL_LOCK_SECONDS: '0',
};

describeEachDatabase('hardening: kill -9 under load', (kind: TestDatabaseKind) => {
  let created: { url: string; drop(): Promise<void> };
  let database: Database;

  before(async () => {
    created = await kind.create();
    database = openDatabase(created.url);
    await migrateToLatest(database);
  });
  after(async () => {
    await database.close();
    await created.drop();
  });

  it(`survives ${KILLS} kills with every order settled once`, { timeout: 900_000 }, async () => {
    const keys: string[] = [];
    for (let i = 0; i < CUSTOMERS; i++) {
      const account = await createAccount(database.db, systemClock, {
        name: `crash-${i}`,
        openingBalance: 2_000_000,
      });
      keys.push(account.apiKey);
    }
    const ids: string[][] = keys.map(() => []);
    const env = { ...childEnv, DATABASE_URL: created.url };
    const totals = { sent: 0, answered: 0, transportErrors: 0, bought: 0 };
    let survived = 0;
    for (let round = 0; round < KILLS; round++) {
      const server = await startServerProcess(env);
      const load = customerLoad(server.url, keys, ids);
      // A random moment: anywhere from just after start to a second and a half into the load.
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 1_400));
      await server.kill9();
      await load.stop();
      for (const k of Object.keys(totals) as Array<keyof typeof totals>) totals[k] += load.stats[k];
      survived++;
    }
    // One clean run after the last crash: the worker recovers what it can on its own.
    const server = await startServerProcess(env);
    const health = await fetch(`${server.url}/healthz`);
    assert.equal(health.status, 200);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await server.stop();
    const pendingBefore = await pendingCounts(database);
    // The reconciler's turn: the real jobs with the clock past every reconcile delay and lifetime.
    await runJobsLater(database, 2);
    const pending = await pendingCounts(database);
    const moneyProblems = await orderMoneyProblems(database);
    const invariants = await ledgerProblems(database);
    const cli = await runOtpget(['ledger', 'check'], { DATABASE_URL: created.url });
    const outcomes = await outcomeSummary(database);
    console.log(
      `[crash ${kind.name}] tried ${KILLS} kill -9 under load (${totals.sent} requests, ${totals.answered} answered, ` +
        `${totals.transportErrors} cut by the kills, ${totals.bought} purchases); survived ${survived} restarts. ` +
        `Pending before reconcile ${JSON.stringify(pendingBefore)}, after ${JSON.stringify(pending)}. ` +
        `Outcomes ${JSON.stringify(outcomes)}. Found ${moneyProblems.length} per-order money problems, ` +
        `${invariants.length} invariant problems; otpget ledger check: ${cli.stdout.trim() || cli.stderr.trim()}`,
    );
    assert.equal(survived, KILLS);
    assert.ok(totals.bought > 0, 'the load bought something');
    assert.deepEqual(pending, { activations: 0, email_orders: 0, rentals: 0, rental_renewals: 0 });
    assert.deepEqual(moneyProblems, []);
    assert.deepEqual(invariants, []);
    assert.equal(cli.code, 0, cli.stderr);
  });
});
