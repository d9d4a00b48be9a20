import type SqliteDatabase from 'better-sqlite3';
import { CompiledQuery } from 'kysely';
import type { Database } from './database.js';

/** One row by a unique text key, or undefined. */
export type RowLookup<Row> = (key: string) => Promise<Row | undefined>;

export interface RowLookupSpec {
  table: string;
  /** A column with a unique index. */
  key: string;
  /** An integer key (a row id) is still looked up by its decimal text; default text. */
  keyType?: 'text' | 'integer';
  columns: readonly string[];
}

/** Keys of one PostgreSQL batch at most; a larger turn's worth is split. */
const MAX_BATCH = 500;

/**
 * Reads one committed row by a unique key, for the reads customers repeat all day (getStatus).
 * They skip Kysely's connection handling, which costs more than the read itself:
 * - SQLite: a prepared statement on the read-only second connection, so a transaction the main
 *   connection has open (between two awaits) is never seen half-done; the lookups of one
 *   event-loop turn share one read transaction (sqliteLookup).
 * - PostgreSQL: lookups that arrive in the same event-loop turn share one query
 *   (`key = any($1)`): with many customers polling at once this turns N round trips into one.
 *   Every lookup is still answered by a query that started after it was asked, so a customer
 *   always reads their own earlier writes.
 * Table and column names come from code, never from input.
 */
export function createRowLookup<Row>(database: Database, spec: RowLookupSpec): RowLookup<Row> {
  const columns = spec.columns.map(quote).join(', ');
  const byKey = `select ${columns} from ${quote(spec.table)} where ${quote(spec.key)} = ?`;
  const reader = database.sqliteReader();
  if (reader) return sqliteLookup<Row>(reader, byKey);
  const pool = database.pgPool;
  if (pool) {
    const keys = spec.keyType === 'integer' ? '$1::bigint[]' : '$1::text[]';
    const text = `select ${quote(spec.key)}::text as "lookup_key", ${columns} from ${quote(spec.table)} where ${quote(spec.key)} = any(${keys})`;
    return batchedLookup<Row>(async (keys) => (await pool.query(text, [keys])).rows);
  }
  // An in-memory SQLite database has one connection: go through Kysely, which serialises its use.
  return async (key) => (await database.db.executeQuery<Row>(CompiledQuery.raw(byKey, [key]))).rows[0];
}

function quote(identifier: string): string {
  return `"${identifier.replaceAll('"', '""')}"`;
}

/**
 * On SQLite the lookups of one event-loop turn share one read transaction: starting and ending a
 * read of a WAL database (its read lock) costs about three times the lookup itself on this
 * path's machines (12 µs alone, 3 µs each with eight in one transaction). The transaction begins
 * after every lookup in it was asked, so each still sees every write committed before.
 */
function sqliteLookup<Row>(reader: SqliteDatabase.Database, text: string): RowLookup<Row> {
  let statements: {
    get: SqliteDatabase.Statement;
    begin: SqliteDatabase.Statement;
    commit: SqliteDatabase.Statement;
  } | null = null;
  return batchPerTurn(async (keys) => {
    statements ??= {
      get: reader.prepare(text),
      begin: reader.prepare('begin'),
      commit: reader.prepare('commit'),
    };
    const { get, begin, commit } = statements;
    const byKey = new Map<string, Row>();
    const read = (key: string) => {
      const row = get.get(key) as Row | undefined;
      if (row !== undefined) byKey.set(key, row);
    };
    if (keys.length === 1) {
      read(keys[0] as string);
      return byKey;
    }
    begin.run();
    try {
      for (const key of keys) read(key);
    } finally {
      commit.run();
    }
    return byKey;
  });
}

type Waiter<Row> = { resolve(row: Row | undefined): void; reject(error: unknown): void };

function batchedLookup<Row>(
  query: (keys: string[]) => Promise<Array<Row & { lookup_key: string }>>,
): RowLookup<Row> {
  return batchPerTurn(async (keys) => {
    const byKey = new Map<string, Row>();
    for (const { lookup_key, ...row } of await query(keys)) byKey.set(lookup_key, row as Row);
    return byKey;
  });
}

/**
 * Answers the lookups asked in one event-loop turn with one call of `query` (per MAX_BATCH keys):
 * N concurrent requests for PostgreSQL rows become one round trip. Every lookup is answered by a
 * query that started after it was asked, so nothing read is older than the question.
 */
export function batchPerTurn<Value>(
  query: (keys: string[]) => Promise<Map<string, Value>>,
): (key: string) => Promise<Value | undefined> {
  let waiting = new Map<string, Waiter<Value>[]>();
  let scheduled = false;

  async function flush(batch: Map<string, Waiter<Value>[]>): Promise<void> {
    const keys = [...batch.keys()];
    for (let start = 0; start < keys.length; start += MAX_BATCH) {
      const slice = keys.slice(start, start + MAX_BATCH);
      try {
        const byKey = await query(slice);
        for (const key of slice) for (const waiter of batch.get(key) ?? []) waiter.resolve(byKey.get(key));
      } catch (error) {
        for (const key of slice) for (const waiter of batch.get(key) ?? []) waiter.reject(error);
      }
    }
  }

  return (key) =>
    new Promise<Value | undefined>((resolve, reject) => {
      const waiters = waiting.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else waiting.set(key, [{ resolve, reject }]);
      if (scheduled) return;
      scheduled = true;
      // After the I/O phase: every request read in this turn joins the batch.
      setImmediate(() => {
        const batch = waiting;
        waiting = new Map();
        scheduled = false;
        void flush(batch);
      });
    });
}
