import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import pg from 'pg';
import { type Database, ensureSchemaExists, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';

/** A database the suite runs against: SQLite always, PostgreSQL when TEST_DATABASE_URL is set (CI always sets it). */
export interface TestDatabaseKind {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty database URL and a function that removes it. */
  create(): Promise<{ url: string; drop(): Promise<void> }>;
  /**
   * A fresh database already at the latest schema. Under `npm test` it is a copy of one database
   * migrated once per run (scripts/run-tests.mjs names the run and removes the template after):
   * a copy takes tens of milliseconds where 27 migrations take hundreds. Run any other way, it
   * is created and migrated here.
   */
  createMigrated(): Promise<{ url: string; drop(): Promise<void> }>;
}

const pgUrl = process.env.TEST_DATABASE_URL;
/** Set by scripts/run-tests.mjs: the name of this test run, which its templates carry. */
const testRun = process.env.OTPGET_TEST_RUN;
if (testRun !== undefined && !/^[a-z0-9]{1,16}$/.test(testRun)) throw new Error('bad OTPGET_TEST_RUN');

async function migrated<T extends { url: string }>(created: T): Promise<T> {
  const database = openDatabase(created.url, { poolSize: 2 });
  try {
    await migrateToLatest(database);
  } finally {
    await database.close();
  }
  return created;
}

export const sqliteKind: TestDatabaseKind = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'otpget-test-'));
    return { url: join(dir, 'otpget.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
  async createMigrated() {
    const created = await sqliteKind.create();
    if (testRun === undefined) return migrated(created);
    const template = join(sqliteTemplateDir(testRun), 'template.db');
    if (!existsSync(template)) {
      // Built beside it and renamed into place: a process that finds it finds it whole. Two
      // processes that both build it rename identical files.
      const building = `${template}.${process.pid}.building`;
      await migrated({ url: building });
      renameSync(building, template);
    }
    copyFileSync(template, created.url);
    return created;
  },
};

/** Where a test run's SQLite template lives (scripts/run-tests.mjs removes it). */
export function sqliteTemplateDir(run: string): string {
  const dir = join(tmpdir(), `otpget-test-template-${run}`);
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function withPgClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** The URL of another database on TEST_DATABASE_URL's server. */
function pgDatabaseUrl(name: string): string {
  const url = new URL(pgUrl as string);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The run's migrated PostgreSQL template database, built once under an advisory lock. */
async function pgTemplate(run: string): Promise<string> {
  const name = `otpget_tpl_${run}`;
  await withPgClient(async (client) => {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    try {
      const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (rowCount) return;
      const building = `${name}_building`;
      await client.query(`DROP DATABASE IF EXISTS ${building}`);
      await client.query(`CREATE DATABASE ${building}`);
      await migrated({ url: pgDatabaseUrl(building) });
      await client.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [name]);
    }
  });
  return name;
}

export const postgresKind: TestDatabaseKind = {
  name: 'postgres',
  async create() {
    if (!pgUrl) throw new Error('TEST_DATABASE_URL is not set');
    // One schema per test database: isolated, and cheap to create and drop.
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const separator = pgUrl.includes('?') ? '&' : '?';
    return {
      url: `${pgUrl}${separator}schema=${schema}`,
      drop: () =>
        withPgClient((client) => client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)).then(() => {}),
    };
  },
  async createMigrated() {
    if (!pgUrl) throw new Error('TEST_DATABASE_URL is not set');
    if (testRun === undefined) return migrated(await postgresKind.create());
    // A database copied from the run's template (PostgreSQL copies schemas only as databases).
    const template = await pgTemplate(testRun);
    const name = `t_${testRun}_${randomBytes(6).toString('hex')}`;
    await withPgClient((client) => client.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
    return {
      url: pgDatabaseUrl(name),
      drop: () =>
        withPgClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
    };
  },
};

export const testDatabaseKinds: TestDatabaseKind[] = [sqliteKind, postgresKind];

/**
 * Runs the same suite on SQLite and on PostgreSQL. Without TEST_DATABASE_URL the PostgreSQL run
 * is reported as skipped with the reason, never silently left out.
 */
export function describeEachDatabase(name: string, suite: (kind: TestDatabaseKind) => void): void {
  for (const kind of testDatabaseKinds) {
    const skip =
      kind.name === 'postgres' && !pgUrl ? 'set TEST_DATABASE_URL to run the PostgreSQL suite' : false;
    describe(`${name} [${kind.name}]`, { skip }, () => suite(kind));
  }
}

/**
 * An empty, unmigrated database of this kind, open, for tests of the database layer that create
 * their own tables; `close` closes it and drops it.
 */
export async function openScratchDatabase(
  kind: TestDatabaseKind,
): Promise<{ database: Database; url: string; close(): Promise<void> }> {
  const created = await kind.create();
  const database = openDatabase(created.url);
  await ensureSchemaExists(database);
  return {
    database,
    url: created.url,
    close: async () => {
      await database.close();
      await created.drop();
    },
  };
}
