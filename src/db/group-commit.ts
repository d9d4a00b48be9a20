import { CompiledQuery, type Transaction } from 'kysely';
import type { Database, Executor } from './database.js';
import type { Schema } from './schema.js';

/**
 * Writes on the purchase path, committed together with the other writes of the same event-loop
 * turn on SQLite.
 *
 * SQLite has one writer and each commit appends every page the transaction touched to the WAL:
 * on a virtual disk that is ~100 µs of system calls, more than the statements themselves. Under
 * load many purchases are in flight at once, so their writes are run one after another inside one
 * transaction, each under its own savepoint (one failing rolls back only itself), and committed
 * once. Nobody is answered before that commit: durability is as before, only shared.
 * PostgreSQL already shares WAL flushes between concurrent commits, so there each write runs
 * alone, as it would without this module.
 *
 * A work function must use only the executor it is given: on SQLite the batch holds the one
 * connection, so a query on another handle would wait for the batch forever.
 */
export interface GroupCommit {
  /** Runs `work` atomically (a transaction of its own on PostgreSQL). */
  transaction<T>(work: (trx: Transaction<Schema>) => Promise<T>): Promise<T>;
  /** Runs a single statement (autocommit on PostgreSQL). */
  statement<T>(work: (db: Executor) => Promise<T>): Promise<T>;
}

export function createGroupCommit(database: Database): GroupCommit {
  if (database.dialect === 'postgres') {
    return {
      transaction: (work) => database.db.transaction().execute(work),
      statement: (work) => work(database.db),
    };
  }
  const batcher = sqliteBatcher(database);
  return { transaction: batcher, statement: batcher };
}

type Item = {
  work: (trx: Transaction<Schema>) => Promise<unknown>;
  outcome?: { ok: true; value: unknown } | { ok: false; error: unknown };
  resolve(value: unknown): void;
  reject(error: unknown): void;
};

/**
 * The savepoint statements, compiled once: each purchase runs three works, so six of these, and
 * building and compiling them through the query builder each time cost more than SQLite running them.
 */
const SAVEPOINT = CompiledQuery.raw('savepoint group_item');
const RELEASE = CompiledQuery.raw('release group_item');
const ROLLBACK_TO = CompiledQuery.raw('rollback to group_item');

/** Works in one batch at most; a turn with more runs several batches. */
const MAX_BATCH = 200;

function sqliteBatcher(database: Database) {
  let queue: Item[] = [];
  let scheduled = false;
  let running = false;

  async function runBatch(batch: Item[]): Promise<void> {
    try {
      await database.db.transaction().execute(async (trx: Transaction<Schema>) => {
        for (const item of batch) {
          await trx.executeQuery(SAVEPOINT);
          try {
            item.outcome = { ok: true, value: await item.work(trx) };
            await trx.executeQuery(RELEASE);
          } catch (error) {
            item.outcome = { ok: false, error };
            // If even this fails, SQLite ended the whole transaction: the batch fails below.
            await trx.executeQuery(ROLLBACK_TO);
            await trx.executeQuery(RELEASE);
          }
        }
      });
    } catch (error) {
      // Nothing of the batch was committed: every work fails, with its own error when it had one.
      for (const item of batch) item.reject(item.outcome?.ok === false ? item.outcome.error : error);
      return;
    }
    for (const item of batch) {
      if (item.outcome?.ok) item.resolve(item.outcome.value);
      else item.reject(item.outcome?.error);
    }
  }

  /**
   * One batch at a time: what arrives while a batch runs waits for the next one, so the batch
   * size follows the load (one work alone when idle, many under load).
   */
  async function drain(): Promise<void> {
    scheduled = false;
    running = true;
    while (queue.length > 0) {
      const batch = queue.slice(0, MAX_BATCH);
      queue = queue.slice(batch.length);
      await runBatch(batch);
    }
    running = false;
  }

  return <T>(work: (trx: Transaction<Schema>) => Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (scheduled || running) return;
      scheduled = true;
      // After the I/O phase: the writes of every request read in this turn share the first commit.
      setImmediate(() => void drain());
    });
}
