import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe } from 'node:test';
import pg from 'pg';

/** A database the suite runs against: SQLite always, PostgreSQL when TEST_DATABASE_URL is set (CI always sets it). */
export interface TestDatabaseKind {
  name: 'sqlite' | 'postgres';
  /** A fresh, empty database URL and a function that removes it. */
  create(): Promise<{ url: string; drop(): Promise<void> }>;
}

const pgUrl = process.env.TEST_DATABASE_URL;

export const sqliteKind: TestDatabaseKind = {
  name: 'sqlite',
  async create() {
    const dir = mkdtempSync(join(tmpdir(), 'otpget-test-'));
    return { url: join(dir, 'otpget.db'), drop: async () => rmSync(dir, { recursive: true, force: true }) };
  },
};

export const postgresKind: TestDatabaseKind = {
  name: 'postgres',
  async create() {
    if (!pgUrl) throw new Error('TEST_DATABASE_URL is not set');
    // One schema per test database: isolated, and cheap to create and drop.
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const separator = pgUrl.includes('?') ? '&' : '?';
    return {
      url: `${pgUrl}${separator}schema=${schema}`,
      drop: async () => {
        const client = new pg.Client({ connectionString: pgUrl });
        await client.connect();
        try {
          await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        } finally {
          await client.end();
        }
      },
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
