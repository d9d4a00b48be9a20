/**
 * Fresh databases for one benchmark run: a SQLite file in a temporary directory, or a new schema
 * in the PostgreSQL database named by BENCH_DATABASE_URL (default the CI test database), dropped
 * afterwards.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

export type BenchDatabaseName = 'sqlite' | 'postgres';

export interface BenchDatabase {
  name: BenchDatabaseName;
  url: string;
  drop(): Promise<void>;
}

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

export async function createBenchDatabase(name: BenchDatabaseName): Promise<BenchDatabase> {
  if (name === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'otpget-bench-'));
    return {
      name,
      url: join(dir, 'otpget.db'),
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const base = process.env.BENCH_DATABASE_URL ?? DEFAULT_PG_URL;
  const schema = `bench_${randomBytes(5).toString('hex')}`;
  const separator = base.includes('?') ? '&' : '?';
  return {
    name,
    url: `${base}${separator}schema=${schema}`,
    drop: async () => {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}
