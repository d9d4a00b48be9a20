import pino from 'pino';
import { createContext, productLines } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { Database } from '../../src/db/database.js';
import { ManualClock } from '../../src/shared/clock.js';
import { ledgerInvariants } from '../../src/wallet/invariants.js';
import { type LedgerProblem, runInvariantChecks } from '../../src/wallet/ledger-check.js';
import { buildJobs } from '../../src/workers/jobs.js';
import { ENDPOINTS, keepAliveClient } from './hardening-support.js';

/**
 * Runs the real background jobs over `database` with the clock `hoursLater` ahead, `rounds` times:
 * what the worker would do once every reconcile delay and lifetime has passed.
 */
export async function runJobsLater(database: Database, hoursLater: number, rounds = 3): Promise<void> {
  const config = loadConfig({ OTPGET_SANDBOX_DELAY_MS: 'off', LOG_LEVEL: 'silent' });
  const clock = new ManualClock(Date.now() + hoursLater * 3_600_000);
  const ctx = createContext({ ...config, databaseUrl: '' }, database, {
    clock,
    log: pino({ level: 'silent' }),
  });
  const jobs = buildJobs(ctx);
  const signal = new AbortController().signal;
  for (let round = 0; round < rounds; round++) {
    for (const job of jobs) await job.run(signal);
    clock.advance(3_600_000);
  }
  await ctx.rateLimiter.close();
}

/** Orders still waiting for an outcome, per table. */
export async function pendingCounts(database: Database): Promise<Record<string, number>> {
  const { db } = database;
  const count = async (query: Promise<{ n: string | number | bigint } | undefined>) =>
    Number((await query)?.n ?? 0);
  return {
    activations: await count(
      db
        .selectFrom('activations')
        .where('state', '=', 'pending')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst(),
    ),
    email_orders: await count(
      db
        .selectFrom('email_orders')
        .where('state', '=', 'pending')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst(),
    ),
    rentals: await count(
      db
        .selectFrom('rentals')
        .where('state', '=', 'pending')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst(),
    ),
    rental_renewals: await count(
      db
        .selectFrom('rental_renewals')
        .where('state', '=', 'pending')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirst(),
    ),
  };
}

/**
 * Money per order reference across every line: each debited order has at most one refund, and a
 * refund is never larger than its debit nor without one (never refunded twice, never paid out).
 */
export async function orderMoneyProblems(database: Database): Promise<string[]> {
  const rows = await database.db
    .selectFrom('ledger_entries')
    .where('kind', 'in', ['order_debit', 'order_refund'])
    .select(['kind', 'reference', 'amount', 'account_id'])
    .execute();
  const byRef = new Map<string, { debit: number; refund: number; debits: number; refunds: number }>();
  for (const row of rows) {
    const entry = byRef.get(row.reference) ?? { debit: 0, refund: 0, debits: 0, refunds: 0 };
    if (row.kind === 'order_debit') {
      entry.debit += Number(row.amount);
      entry.debits++;
    } else {
      entry.refund += Number(row.amount);
      entry.refunds++;
    }
    byRef.set(row.reference, entry);
  }
  const problems: string[] = [];
  for (const [ref, e] of byRef) {
    if (e.debits !== 1) problems.push(`${ref}: ${e.debits} debits`);
    if (e.refunds > 1) problems.push(`${ref}: ${e.refunds} refunds`);
    if (e.refunds === 1 && e.refund !== -e.debit)
      problems.push(`${ref}: refund ${e.refund} for debit ${e.debit}`);
  }
  return problems;
}

/** Every order outcome as (state → count), for the printed figures. */
export async function outcomeSummary(database: Database): Promise<Record<string, number>> {
  const { db } = database;
  const summary: Record<string, number> = {};
  for (const row of await db.selectFrom('activations').select(['state']).execute())
    summary[`activation:${row.state}`] = (summary[`activation:${row.state}`] ?? 0) + 1;
  for (const row of await db.selectFrom('email_orders').select(['state']).execute())
    summary[`email:${row.state}`] = (summary[`email:${row.state}`] ?? 0) + 1;
  for (const row of await db.selectFrom('rentals').select(['state']).execute())
    summary[`rental:${row.state}`] = (summary[`rental:${row.state}`] ?? 0) + 1;
  return summary;
}

export async function ledgerProblems(database: Database): Promise<LedgerProblem[]> {
  return runInvariantChecks(database.db, ledgerInvariants(productLines()));
}

type Op = 'sms' | 'cheap' | 'email' | 'rent' | 'cancel' | 'poll' | 'complete';

/**
 * A customer mix against `url` until `stop()`: buys on every line, cancels, polls and completes
 * what it bought. Transport errors (the server being killed) are counted, never thrown.
 */
export function customerLoad(url: string | string[], apiKeys: string[], ids: string[][]) {
  // Several servers: each request goes to one at random, so an order bought on one is polled and
  // cancelled on another.
  const clients = (Array.isArray(url) ? url : [url]).map((u) => keepAliveClient(u, 64));
  const stats = { sent: 0, answered: 0, transportErrors: 0, bought: 0 };
  let running = true;
  const ops: Op[] = ['sms', 'sms', 'cheap', 'email', 'rent', 'cancel', 'cancel', 'poll', 'poll', 'complete'];
  async function one(customer: number): Promise<void> {
    const key = apiKeys[customer] as string;
    const mine = ids[customer] as string[];
    const op = ops[Math.floor(Math.random() * ops.length)] as Op;
    const id = mine[Math.floor(Math.random() * mine.length)];
    let path: string = ENDPOINTS.sms;
    let query = `api_key=${key}`;
    switch (op) {
      case 'sms':
        query += '&action=getNumber&service=101&country=61&type=1';
        break;
      case 'cheap':
        path = ENDPOINTS.cheap;
        query += '&action=buyNumber&type=1&server=1';
        break;
      case 'email':
        path = ENDPOINTS.email;
        query += '&action=buyEmail&service_id=tg';
        break;
      case 'rent':
        path = ENDPOINTS.rental;
        query += '&action=rentNumber&provider=1&country_code=gb&duration_hours=720';
        break;
      default: {
        if (!id) return;
        const [line, raw] = id.split(' ') as [string, string];
        if (line === 'email') {
          path = ENDPOINTS.email;
          query += `&action=${op === 'cancel' ? 'cancelEmail' : 'getEmailCode'}&email_id=${raw}`;
        } else {
          if (line === 'cheap') path = ENDPOINTS.cheap;
          const status = op === 'cancel' ? '8' : '6';
          query +=
            op === 'poll' ? `&action=getStatus&id=${raw}` : `&action=setStatus&id=${raw}&status=${status}`;
        }
      }
    }
    stats.sent++;
    const client = clients[Math.floor(Math.random() * clients.length)] as (typeof clients)[number];
    try {
      const reply = await client.get(path, query);
      stats.answered++;
      const sms = /^ACCESS_NUMBER:([1-9]\d{12}):/.exec(reply.body);
      const cheap = /^(ORD_[A-Za-z0-9_]+),/.exec(reply.body);
      const email = /"email_id":"(\d+)"/.exec(reply.body);
      if (sms) mine.push(`sms ${sms[1]}`);
      else if (cheap) mine.push(`cheap ${cheap[1]}`);
      else if (email && op === 'email') mine.push(`email ${email[1]}`);
      if (sms || cheap || (email && op === 'email') || reply.body.includes('Number rented')) stats.bought++;
    } catch {
      stats.transportErrors++;
    }
  }
  const loops = apiKeys.map(async (_key, customer) => {
    while (running) await one(customer);
  });
  return {
    stats,
    async stop() {
      running = false;
      await Promise.all(loops);
      for (const client of clients) client.close();
    },
  };
}
