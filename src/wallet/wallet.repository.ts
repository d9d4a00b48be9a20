import { sql, type Transaction } from 'kysely';
import { compiledOnce, compiledPerShape } from '../db/compiled-once.js';
import { type Executor, speaksPostgres } from '../db/database.js';
import type { Schema } from '../db/schema.js';

export class InsufficientBalanceError extends Error {
  override name = 'InsufficientBalanceError';
  constructor(
    readonly needed: number,
    readonly balance: number,
  ) {
    super(`insufficient balance: need ${needed} paisa, have ${balance}`);
  }
}

/** The (kind, reference) pair was used before: this money movement already happened. */
export class DuplicateLedgerEntryError extends Error {
  override name = 'DuplicateLedgerEntryError';
  constructor(
    readonly kind: string,
    readonly reference: string,
  ) {
    super(`ledger entry ${kind}/${reference} already exists`);
  }
}

/** The account is blocked: it may not buy (checked in the same statement as the debit). */
export class AccountBlockedError extends Error {
  override name = 'AccountBlockedError';
  constructor(readonly accountId: number) {
    super(`account ${accountId} is blocked`);
  }
}

export class AccountNotFoundError extends Error {
  override name = 'AccountNotFoundError';
}

export interface LedgerEntryInput {
  accountId: number;
  /** Signed paisa: negative debits, positive credits. Never zero. */
  amount: number;
  kind: string;
  reference: string;
  note?: string | null;
  now: number;
  /** Refuse (AccountBlockedError) unless the account is active: purchases pass true. */
  requireActive?: boolean;
}

/**
 * Moves money on one account and records it, inside the caller's transaction. A debit is guarded
 * in SQL (`balance >= amount`), never read-modify-written; the ledger row's unique (kind, reference)
 * makes a second debit or refund of the same order fail, so the caller's whole transaction rolls back.
 * Returns the balance after the change.
 */
export async function postLedgerEntry(trx: Transaction<Schema>, entry: LedgerEntryInput): Promise<number> {
  if (!Number.isSafeInteger(entry.amount) || entry.amount === 0) {
    throw new RangeError(`ledger amount must be a non-zero whole number of paisa, got ${entry.amount}`);
  }
  const moved = speaksPostgres(trx) ? await moveInOneStatement(trx, entry) : await moveInTwo(trx, entry);
  if (moved === undefined) throw await whyNotMoved(trx, entry);
  if (moved.entryId === null) throw new DuplicateLedgerEntryError(entry.kind, entry.reference);
  return moved.balance;
}

/** The balance after the guarded update, and the new ledger row's id (null: the pair existed). */
type Moved = { balance: number; entryId: number | null } | undefined;

/**
 * The bound values of one money movement. `cover` is the balance a debit needs (-amount): the
 * statements are compiled once (compiledOnce), so nothing is computed inside them.
 */
type Movement = {
  accountId: number;
  amount: number;
  cover: number;
  kind: string;
  reference: string;
  note: string | null;
  now: number;
};

/** What shapes a movement's guarded update: a debit is guarded by the balance, a purchase by the status. */
type Guard = { debit: boolean; requireActive: boolean };

function movementOf(entry: LedgerEntryInput): Movement {
  return {
    accountId: entry.accountId,
    amount: entry.amount,
    cover: -entry.amount,
    kind: entry.kind,
    reference: entry.reference,
    note: entry.note ?? null,
    now: entry.now,
  };
}

function guardOf(entry: Pick<LedgerEntryInput, 'amount' | 'requireActive'>): Guard {
  return { debit: entry.amount < 0, requireActive: entry.requireActive === true };
}

/** A statement per guard shape: four at most. */
function perGuard<Run>(make: (guard: Guard) => Run): (guard: Guard) => Run {
  return compiledPerShape((guard) => `${guard.debit}/${guard.requireActive}`, make);
}

function guardedUpdate(db: Executor, guard: Guard, m: Movement) {
  return db
    .updateTable('accounts')
    .set((eb) => ({ balance: eb('balance', '+', m.amount), updated_at: m.now }))
    .where('id', '=', m.accountId)
    .$if(guard.debit, (qb) => qb.where('balance', '>=', m.cover))
    .$if(guard.requireActive, (qb) => qb.where('status', '=', 'active'))
    .returning('balance');
}

const updateGuarded = perGuard((guard) => compiledOnce((db, m: Movement) => guardedUpdate(db, guard, m)));

const insertLedgerRow = compiledOnce((db, m: Movement & { balanceAfter: number }) =>
  db
    .insertInto('ledger_entries')
    .values({
      account_id: m.accountId,
      amount: m.amount,
      balance_after: m.balanceAfter,
      kind: m.kind,
      reference: m.reference,
      note: m.note,
      created_at: m.now,
    })
    .onConflict((oc) => oc.columns(['kind', 'reference']).doNothing())
    .returning('id'),
);

/** SQLite (in-process, no round trips to save): the guarded update, then the ledger row. */
async function moveInTwo(trx: Transaction<Schema>, entry: LedgerEntryInput): Promise<Moved> {
  const movement = movementOf(entry);
  const updated = (await updateGuarded(guardOf(entry))(trx, movement)).rows[0];
  if (!updated) return undefined;
  const inserted = (await insertLedgerRow(trx, { ...movement, balanceAfter: updated.balance })).rows[0];
  return { balance: updated.balance, entryId: inserted?.id ?? null };
}

/**
 * PostgreSQL: the same two writes as one statement (one round trip instead of two, on the path of
 * every purchase). The ledger row is inserted only from the update's returned row, so a refused
 * debit writes nothing. A duplicate (kind, reference) still lets the update happen in the
 * statement; the caller's transaction rolls it back when DuplicateLedgerEntryError is thrown, as
 * it does on SQLite.
 */
async function moveInOneStatement(trx: Transaction<Schema>, entry: LedgerEntryInput): Promise<Moved> {
  const result = (await moveGuarded(guardOf(entry))(trx, movementOf(entry))).rows[0];
  if (!result) return undefined;
  return {
    balance: Number(result.balance),
    entryId: result.entry_id === null ? null : Number(result.entry_id),
  };
}

const moveGuarded = perGuard((guard) =>
  compiledOnce((db, m: Movement) =>
    db
      .with('moved', () => guardedUpdate(db, guard, m))
      .with('entry', (db) =>
        db
          .insertInto('ledger_entries')
          .columns(['account_id', 'amount', 'balance_after', 'kind', 'reference', 'note', 'created_at'])
          .expression((eb) =>
            eb
              .selectFrom('moved')
              .select([
                sql.val(m.accountId).as('account_id'),
                sql.val(m.amount).as('amount'),
                'moved.balance',
                sql.val(m.kind).as('kind'),
                sql.val(m.reference).as('reference'),
                sql.val(m.note).as('note'),
                sql.val(m.now).as('created_at'),
              ]),
          )
          .onConflict((oc) => oc.columns(['kind', 'reference']).doNothing())
          .returning('id'),
      )
      .selectFrom('moved')
      .select(['moved.balance', (eb) => eb.selectFrom('entry').select('entry.id').as('entry_id')]),
  ),
);

/** A new row of some table, to be inserted only if its debit goes through. */
export interface RowToInsert {
  table: keyof Schema;
  values: Record<string, unknown>;
}

/**
 * PostgreSQL only: inserts `row` and debits the account for it under `<referencePrefix><new id>`
 * in one statement: one round trip, and no transaction to open and commit around three writes.
 * The row is inserted only from the guarded update's returned row, so a refused debit writes
 * nothing; the ledger insert has no ON CONFLICT, so a duplicate reference fails the whole
 * statement. Undefined when the guard refused: `whyNotDebited` then says why.
 */
export async function insertWithDebit(
  db: Executor,
  row: RowToInsert,
  debit: Omit<LedgerEntryInput, 'amount' | 'reference'> & { pricePaisa: number; referencePrefix: string },
): Promise<{ row: Record<string, unknown>; balanceAfter: number; reference: string } | undefined> {
  if (!Number.isSafeInteger(debit.pricePaisa) || debit.pricePaisa <= 0) {
    throw new RangeError(`a debit must be a positive whole number of paisa, got ${debit.pricePaisa}`);
  }
  const entry = { ...debit, amount: -debit.pricePaisa, reference: debit.referencePrefix };
  const columns = Object.keys(row.values);
  const args: Record<string, unknown> = movementOf(entry);
  for (const column of columns) args[`row.${column}`] = row.values[column];
  const statement = insertAndDebit({ table: row.table, columns, guard: guardOf(entry) });
  const inserted = (await statement(db, args)).rows[0];
  if (!inserted) return undefined;
  const { debit_balance_after, debit_reference, ...values } = inserted;
  return { row: values, balanceAfter: Number(debit_balance_after), reference: debit_reference };
}

/** insertWithDebit's statement, compiled once per table, column list and guard. */
const insertAndDebit = compiledPerShape(
  ({ table, columns, guard }: { table: keyof Schema; columns: string[]; guard: Guard }) =>
    `${table}(${columns.join(',')})/${guard.debit}/${guard.requireActive}`,
  ({ table, columns, guard }) => compileInsertAndDebit(table, columns, guard),
);

function compileInsertAndDebit(table: keyof Schema, columns: string[], guard: Guard) {
  return compiledOnce((db, args: Record<string, unknown>) => {
    const m = args as unknown as Movement;
    return db
      .with('moved', () => guardedUpdate(db, guard, m))
      .with(
        'pending',
        () => sql<{
          id: number;
        }>`(insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
          select ${sql.join(columns.map((c) => sql`${args[`row.${c}`]}`))} from moved returning *)`,
      )
      .with(
        'debit',
        () => sql<{ reference: string }>`(insert into ledger_entries
          (account_id, amount, balance_after, kind, reference, note, created_at)
          select ${m.accountId}, ${m.amount}, moved.balance, ${m.kind},
            ${m.reference} || pending.id, ${m.note}, ${m.now}
          from moved, pending returning reference)`,
      )
      .selectFrom('pending')
      .selectAll('pending')
      .select([
        sql<number>`(select balance from moved)`.as('debit_balance_after'),
        sql<string>`(select reference from debit)`.as('debit_reference'),
      ]);
  });
}

/** Why a guarded debit of `pricePaisa` did not go through. */
export function whyNotDebited(
  db: Executor,
  debit: { accountId: number; pricePaisa: number; requireActive?: boolean },
): Promise<Error> {
  return whyNotMoved(db, { ...debit, amount: -debit.pricePaisa });
}

/** Why the guarded update matched no row: no such account, blocked, or not enough money. */
async function whyNotMoved(
  db: Executor,
  entry: Pick<LedgerEntryInput, 'accountId' | 'amount' | 'requireActive'>,
): Promise<Error> {
  const account = await db
    .selectFrom('accounts')
    .select(['balance', 'status'])
    .where('id', '=', entry.accountId)
    .executeTakeFirst();
  if (!account) return new AccountNotFoundError(`account ${entry.accountId} not found`);
  if (entry.requireActive === true && account.status !== 'active')
    return new AccountBlockedError(entry.accountId);
  return new InsufficientBalanceError(-entry.amount, account.balance);
}

/** Whether a movement with this (kind, reference) exists, e.g. "was this order refunded". */
export async function hasLedgerEntry(db: Executor, kind: string, reference: string): Promise<boolean> {
  const row = await db
    .selectFrom('ledger_entries')
    .select('id')
    .where('kind', '=', kind)
    .where('reference', '=', reference)
    .executeTakeFirst();
  return row !== undefined;
}

export interface StatementLine {
  id: number;
  amount: number;
  balanceAfter: number;
  kind: string;
  reference: string;
  note: string | null;
  createdAt: number;
}

/** An account's ledger, newest first. */
export async function listLedgerEntries(
  db: Executor,
  accountId: number,
  options: { limit: number; beforeId?: number },
): Promise<StatementLine[]> {
  const rows = await db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('account_id', '=', accountId)
    .$if(options.beforeId !== undefined, (qb) => qb.where('id', '<', options.beforeId as number))
    .orderBy('id', 'desc')
    .limit(options.limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    amount: r.amount,
    balanceAfter: r.balance_after,
    kind: r.kind,
    reference: r.reference,
    note: r.note,
    createdAt: r.created_at,
  }));
}
