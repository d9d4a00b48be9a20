import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import {
  CompiledQuery,
  type DialectAdapter,
  type Driver,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { isPostgresUrl } from '../config.js';
import type { Schema } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

/** The open database: the Kysely handle, which dialect it speaks, and how to close it. */
export interface Database {
  db: Kysely<Schema>;
  dialect: Dialect;
  /** PostgreSQL schema the tables live in (from `?schema=` in the URL); null for the default. */
  schema: string | null;
  /** For LISTEN/NOTIFY and other features outside Kysely; null on SQLite. */
  pgPool: pg.Pool | null;
  /**
   * SQLite only: a second, read-only connection for the hottest single-row reads (row-lookup.ts).
   * It sees committed data only, never a transaction the main connection has open. Null for
   * PostgreSQL and for an in-memory database (which a second connection cannot open).
   */
  sqliteReader(): SqliteDatabase.Database | null;
  /**
   * The schema is final for this process (migrations are done): PostgreSQL statements may now be
   * prepared once per connection. SQLite re-prepares by itself after a schema change.
   */
  settleSchema(): void;
  close(): Promise<void>;
}

// bigint columns hold paisa and epoch milliseconds, both far below 2^53: read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

/**
 * SQLite transactions start with BEGIN IMMEDIATE: they take the write lock first, waiting for it
 * under busy_timeout. A deferred BEGIN reads first and then upgrades; in WAL mode an upgrade from
 * a snapshot another process has since written past fails at once with "database is locked"
 * (the busy handler is not asked), which is what a CLI command beside a busy server would get.
 * Nearly every transaction here writes, and reads that need no lock use the reader connection.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection) => {
      await connection.executeQuery(CompiledQuery.raw('begin immediate'));
    };
    return driver;
  }
}

export function openDatabase(url: string, options: { poolSize?: number } = {}): Database {
  return isPostgresUrl(url) ? openPostgres(url, options.poolSize ?? 10) : openSqlite(url);
}

function openSqlite(path: string): Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const connection = new SqliteDatabase(path);
  connection.pragma('journal_mode = WAL');
  // NORMAL is durable across process crashes in WAL mode; only an OS crash can lose the last commits.
  connection.pragma('synchronous = NORMAL');
  connection.pragma('foreign_keys = ON');
  // A second process (the CLI while the server runs) waits for the write lock instead of failing.
  connection.pragma('busy_timeout = 5000');
  const db = new Kysely<Schema>({
    dialect: new ImmediateSqliteDialect({ database: withStatementCache(connection) }),
  });
  let reader: SqliteDatabase.Database | null = null;
  return {
    db,
    dialect: 'sqlite',
    schema: null,
    pgPool: null,
    sqliteReader() {
      if (reader === null && path !== ':memory:') {
        reader = new SqliteDatabase(path, { readonly: true, fileMustExist: true });
        reader.pragma('busy_timeout = 5000');
        // Status polls hit random orders: read pages through a memory map instead of a read()
        // system call per page missing from SQLite's small default cache.
        reader.pragma(`mmap_size = ${READER_MMAP_BYTES}`);
      }
      return reader;
    },
    settleSchema: () => {},
    close: async () => {
      reader?.close();
      reader = null;
      await db.destroy();
    },
  };
}

/** At most this much of the database file is mapped for the read connection (pages, not a copy). */
const READER_MMAP_BYTES = 256 * 1024 * 1024;

/**
 * Kysely prepares every statement anew; on SQLite preparing costs about as much as running a
 * short query. Queries are built from a bounded set of shapes (values are bound, never inlined),
 * so caching prepared statements by SQL text is safe and bounded. better-sqlite3 runs a statement
 * synchronously to completion, so one cached statement is never used by two queries at once.
 */
function withStatementCache(connection: SqliteDatabase.Database) {
  const cache = new Map<string, SqliteDatabase.Statement>();
  const maxStatements = 2000;
  return {
    close: () => connection.close(),
    prepare(sql: string) {
      let statement = cache.get(sql);
      if (!statement) {
        statement = connection.prepare(sql);
        if (cache.size >= maxStatements) cache.clear();
        cache.set(sql, statement);
      }
      return statement;
    },
  };
}

/** Distinct statement texts given a name; later new texts (an IN list of a new length) stay unnamed. */
const MAX_NAMED_STATEMENTS = 1000;
const statementNames = new Map<string, string>();

function statementName(text: string): string | undefined {
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < MAX_NAMED_STATEMENTS) {
    name = `otpget_${statementNames.size + 1}`;
    statementNames.set(text, name);
  }
  return name;
}

/**
 * PostgreSQL parses and plans every unnamed statement again; for the short statements of the hot
 * paths that is much of the database's work per statement. Once the schema is settled (see
 * Database.settleSchema), this client sends each parameterised statement under a name bound to
 * its text, so each connection parses it once and then only binds and executes (the pg driver
 * remembers what it prepared per connection, after the server confirmed it). Not before: a
 * prepared `select *` fails once a later migration changes the table's columns. Queries are built
 * from a bounded set of shapes with bound values, never inlined; the cap on names bounds what each
 * connection keeps prepared.
 */
function preparingClient(naming: { on: boolean }): typeof pg.Client {
  return class PreparingClient extends pg.Client {
    // biome-ignore lint/suspicious/noExplicitAny: forwards pg's overloaded query() unchanged
    override query(...args: any[]): any {
      const [text, values, callback] = args;
      if (naming.on && typeof text === 'string' && Array.isArray(values) && values.length > 0 && !callback) {
        const name = statementName(text);
        if (name !== undefined) return super.query({ name, text, values });
      }
      // biome-ignore lint/suspicious/noExplicitAny: as above
      return (super.query as (...a: any[]) => any)(...args);
    }
  };
}

/** `?schema=name` puts every table in that schema (created if missing): one database, many installs or tests. */
function openPostgres(url: string, poolSize: number): Database {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`schema "${schema}" in DATABASE_URL must be a lower-case identifier`);
  }
  const naming = { on: false };
  const pool = new pg.Pool({
    Client: preparingClient(naming),
    connectionString: parsed.toString(),
    max: poolSize,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  // An idle client losing its connection must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }) });
  let closed = false;
  return {
    db,
    dialect: 'postgres',
    schema,
    pgPool: pool,
    sqliteReader: () => null,
    settleSchema: () => {
      naming.on = true;
    },
    close: async () => {
      if (closed) return;
      closed = true;
      await db.destroy();
    },
  };
}

export async function ensureSchemaExists(database: Database): Promise<void> {
  if (database.dialect === 'postgres' && database.schema) {
    await sql`CREATE SCHEMA IF NOT EXISTS ${sql.id(database.schema)}`.execute(database.db);
  }
}

/**
 * A Kysely handle that may be a transaction: what a function takes when it runs either alone or
 * inside its caller's transaction. It never opens a transaction of its own on it.
 */
export type Executor = Kysely<Schema>;

/**
 * An open transaction. A function that must run inside one takes `trx: Trx` as its first
 * parameter; Kysely's `Transaction` has private members, so the database handle is not a `Trx`
 * and such a function cannot be handed the bare handle by mistake.
 */
export type Trx = Transaction<Schema>;

/**
 * Whether the handle speaks PostgreSQL, for the few statements only it can run in one round trip
 * (data-modifying CTEs). Read from the handle's own query compiler, which numbers parameters on
 * PostgreSQL (`$1`) and not on SQLite (`?`): a transaction handle has no other public trace of its dialect.
 */
export function speaksPostgres(db: Executor): boolean {
  // Asked twice per purchase: remembered per dialect adapter, which a transaction shares with its database.
  const adapter = db.getExecutor().adapter;
  let postgres = dialectOfAdapter.get(adapter);
  if (postgres === undefined) {
    postgres = sql`${0}`.compile(db).sql === '$1';
    dialectOfAdapter.set(adapter, postgres);
  }
  return postgres;
}

const dialectOfAdapter = new WeakMap<DialectAdapter, boolean>();
