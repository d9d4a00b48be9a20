/**
 * The bare minimum of a purchase on one database: the one transaction a paid order must commit
 * (guarded debit, order row, ledger row) and nothing else: no HTTP, no catalogue read, no
 * upstream, no state change to active. It runs on otpget's own tables and indexes (a freshly
 * migrated database), so the purchases/s figure can be read as a fraction of it.
 * - PostgreSQL: pgbench when installed (C, so the client costs little of the two cores), with
 *   --connections clients; otherwise the same transaction from a `pg` loop, said in the note.
 * - SQLite: a better-sqlite3 loop on one connection with otpget's pragmas, one commit each.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import type { BenchDatabase } from './databases.js';

export interface BarePurchase {
  transactionsPerSec: number;
  /** How it was measured (pgbench, a pg loop, better-sqlite3). */
  how: string;
}

const ACCOUNTS = 200;
const PRICE = 100;

/** The three writes, with each client's own placeholders (pgbench's :aid, SQLite's ?, pg's $1). */
const debitSql = (account: string) =>
  `UPDATE accounts SET balance = balance - ${PRICE}, updated_at = 1 WHERE id = ${account} AND balance >= ${PRICE} AND status = 'active' RETURNING balance`;
const orderSql = (publicId: string, account: string, upstreamId: number) =>
  `INSERT INTO activations (public_id, line, account_id, upstream_id, upstream_country, upstream_service, catalog_ref, state, price_paisa, created_at, expires_at, cancel_allowed_at, next_check_at, updated_at) VALUES (${publicId}, 'sms', ${account}, ${upstreamId}, '0', 'tg', 'type:1/country:0/service:1', 'pending', ${PRICE}, 1, 2, 2, 2, 1) RETURNING id`;
const ledgerSql = (account: string, balance: string, reference: string) =>
  `INSERT INTO ledger_entries (account_id, amount, balance_after, kind, reference, note, created_at) VALUES (${account}, -${PRICE}, ${balance}, 'order_debit', ${reference}, NULL, 1)`;

const PGBENCH_SCRIPT = (upstreamId: number) => `\\set aid random(1, ${ACCOUNTS})
BEGIN;
${debitSql(':aid')} \\gset
${orderSql('md5(random()::text)', ':aid', upstreamId)} \\gset
${ledgerSql(':aid', ':balance', "'activation:' || :id")};
END;
`;

export async function measureBarePurchase(
  database: BenchDatabase,
  connections: number,
  durationSec: number,
): Promise<BarePurchase> {
  const upstreamId = await prepare(database.url);
  if (database.name === 'sqlite') return sqliteLoop(database.url, upstreamId, durationSec);
  const { base, schema } = splitSchema(database.url);
  if (spawnSync('pgbench', ['--version']).status === 0) {
    const dir = mkdtempSync(join(tmpdir(), 'otpget-bench-pgbench-'));
    try {
      const script = join(dir, 'purchase.sql');
      writeFileSync(script, PGBENCH_SCRIPT(upstreamId));
      const threads = String(Math.min(connections, 2));
      const run = spawnSync(
        'pgbench',
        ['-n', '-c', String(connections), '-j', threads, '-T', String(durationSec), '-f', script, base],
        { encoding: 'utf8', env: { ...process.env, PGOPTIONS: `-c search_path=${schema}` } },
      );
      const tps = /tps = ([\d.]+)/.exec(run.stdout);
      if (run.status !== 0 || !tps) throw new Error(`pgbench failed: ${run.stderr || run.stdout}`);
      return { transactionsPerSec: Number(tps[1]), how: `pgbench, ${connections} clients` };
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return pgLoop(base, schema, upstreamId, connections, durationSec);
}

/** Migrates the database and gives it the accounts; returns an upstream id for the order rows. */
async function prepare(url: string): Promise<number> {
  const database = openDatabase(url, { poolSize: 2 });
  try {
    await migrateToLatest(database);
    await database.db
      .insertInto('accounts')
      .values(
        Array.from({ length: ACCOUNTS }, (_, i) => ({
          name: `bare ${i + 1}`,
          email: null,
          status: 'active' as const,
          balance: 1_000_000_000_000,
          created_at: 1,
          updated_at: 1,
        })),
      )
      .execute();
    const upstream = await database.db
      .selectFrom('upstreams')
      .select('id')
      .orderBy('id')
      .executeTakeFirstOrThrow();
    return upstream.id;
  } finally {
    await database.close();
  }
}

function splitSchema(url: string): { base: string; schema: string } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? 'public';
  parsed.searchParams.delete('schema');
  return { base: parsed.toString(), schema };
}

function sqliteLoop(path: string, upstreamId: number, durationSec: number): BarePurchase {
  const db = new SqliteDatabase(path);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    const debit = db.prepare(debitSql('?'));
    const order = db.prepare(orderSql('?', '?', upstreamId));
    const entry = db.prepare(ledgerSql('?', '?', '?'));
    const purchase = db.transaction((aid: number, n: number) => {
      const { balance } = debit.get(aid) as { balance: number };
      const { id } = order.get(`bare-${n}`, aid) as { id: number };
      entry.run(aid, balance, `activation:${id}`);
    });
    const until = performance.now() + durationSec * 1000;
    const started = performance.now();
    let n = 0;
    while (performance.now() < until) {
      purchase.immediate((n % ACCOUNTS) + 1, n);
      n++;
    }
    const seconds = (performance.now() - started) / 1000;
    return { transactionsPerSec: n / seconds, how: 'better-sqlite3 loop, one connection, one commit each' };
  } finally {
    db.close();
  }
}

async function pgLoop(
  base: string,
  schema: string,
  upstreamId: number,
  connections: number,
  durationSec: number,
): Promise<BarePurchase> {
  const pool = new pg.Pool({ connectionString: base, max: connections, options: `-c search_path=${schema}` });
  let done = 0;
  const until = performance.now() + durationSec * 1000;
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: connections }, async (_, worker) => {
        const client = await pool.connect();
        try {
          for (let n = 0; performance.now() < until; n++) {
            const aid = ((worker * 7919 + n) % ACCOUNTS) + 1;
            await client.query('BEGIN');
            const { rows } = await client.query(debitSql('$1'), [aid]);
            const order = await client.query(orderSql('md5(random()::text)', '$1', upstreamId), [aid]);
            await client.query(ledgerSql('$1', '$2', '$3'), [
              aid,
              rows[0].balance,
              `activation:${order.rows[0].id}`,
            ]);
            await client.query('COMMIT');
            done++;
          }
        } finally {
          client.release();
        }
      }),
    );
  } finally {
    await pool.end();
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    transactionsPerSec: done / seconds,
    how: `pg loop, ${connections} clients (pgbench not installed)`,
  };
}
