import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../../src/db/database.js';

const dir = mkdtempSync(join(tmpdir(), 'otpget-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Two processes on one SQLite file, as the CLI beside a running server: a transaction that reads
 * before it writes must not fail with "database is locked" because the other process wrote in
 * between. With a deferred BEGIN it would (WAL cannot upgrade a stale snapshot, and the busy
 * handler is not asked); transactions start with BEGIN IMMEDIATE, so the other process waits
 * for the lock instead, and both writes land.
 */
it('a read-then-write transaction and another process writing meanwhile both succeed', async () => {
  const file = join(dir, 'lock.db');
  const database = openDatabase(file);
  await sql`CREATE TABLE t (v integer NOT NULL)`.execute(database.db);
  await sql`INSERT INTO t (v) VALUES (1)`.execute(database.db);

  // The other process: a plain better-sqlite3 writer with the same busy timeout as ours.
  const child = spawn(
    process.execPath,
    [
      '-e',
      `const D = require('better-sqlite3'); const d = new D(${JSON.stringify(file)});
       d.pragma('busy_timeout = 5000'); console.log('ready');
       d.prepare('INSERT INTO t (v) VALUES (2)').run(); console.log('wrote');`,
    ],
    { cwd: process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  let started: () => void = () => {};
  const ready = new Promise<void>((resolve) => {
    started = resolve;
  });
  child.stdout.on('data', (chunk) => {
    out += chunk;
    if (out.includes('ready')) started();
  });
  child.stderr.on('data', (chunk) => {
    out += chunk;
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });

  const seen = await database.db.transaction().execute(async (trx) => {
    const before = await sql<{ n: number }>`SELECT count(*) AS n FROM t`.execute(trx);
    await ready;
    // Time for the other process to try its write while this transaction is open.
    await new Promise((resolve) => setTimeout(resolve, 300));
    await sql`INSERT INTO t (v) VALUES (3)`.execute(trx);
    return Number(before.rows[0]?.n);
  });
  const code = await exited;
  const other = { code, out };
  assert.equal(seen, 1);
  assert.equal(other.code, 0, other.out);
  assert.match(other.out, /wrote/);
  const rows = await sql<{ v: number }>`SELECT v FROM t ORDER BY v`.execute(database.db);
  assert.deepEqual(
    rows.rows.map((r) => Number(r.v)),
    [1, 2, 3],
  );
  await database.close();
});
