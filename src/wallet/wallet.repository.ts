import { sql, type Transaction } from 'kysely';
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

function guardedUpdate(trx: Executor, entry: LedgerEntryInput) {
  return trx
    .updateTable('accounts')
    .set((eb) => ({ balance: eb('balance', '+', entry.amount), updated_at: entry.now }))
    .where('id', '=', entry.accountId)
    .$if(entry.amount < 0, (qb) => qb.where('balance', '>=', -entry.amount))
    .$if(entry.requireActive === true, (qb) => qb.where('status', '=', 'active'))
    .returning('balance');
}

function ledgerRow(entry: LedgerEntryInput, balanceAfter: number) {
  return {
    account_id: entry.accountId,
    amount: entry.amount,
    balance_after: balanceAfter,
    kind: entry.kind,
    reference: entry.reference,
    note: entry.note ?? null,
    created_at: entry.now,
  };
}

/** SQLite (in-process, no round trips to save): the guarded update, then the ledger row. */
async function moveInTwo(trx: Transaction<Schema>, entry: LedgerEntryInput): Promise<Moved> {
  const updated = await guardedUpdate(trx, entry).executeTakeFirst();
  if (!updated) return undefined;
  const inserted = await trx
    .insertInto('ledger_entries')
    .values(ledgerRow(entry, updated.balance))
    .onConflict((oc) => oc.columns(['kind', 'reference']).doNothing())
    .returning('id')
    .executeTakeFirst();
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
  const row = ledgerRow(entry, 0);
  const result = await trx
    .with('moved', () => guardedUpdate(trx, entry))
    .with('entry', (db) =>
      db
        .insertInto('ledger_entries')
        .columns(['account_id', 'amount', 'balance_after', 'kind', 'reference', 'note', 'created_at'])
        .expression((eb) =>
          eb
            .selectFrom('moved')
            .select([
              sql.val(row.account_id).as('account_id'),
              sql.val(row.amount).as('amount'),
              'moved.balance',
              sql.val(row.kind).as('kind'),
              sql.val(row.reference).as('reference'),
              sql.val(row.note).as('note'),
              sql.val(row.created_at).as('created_at'),
            ]),
        )
        .onConflict((oc) => oc.columns(['kind', 'reference']).doNothing())
        .returning('id'),
    )
    .selectFrom('moved')
    .select(['moved.balance', (eb) => eb.selectFrom('entry').select('entry.id').as('entry_id')])
    .executeTakeFirst();
  if (!result) return undefined;
  return {
    balance: Number(result.balance),
    entryId: result.entry_id === null ? null : Number(result.entry_id),
  };
}

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
  const entry = { ...debit, amount: -debit.pricePaisa, reference: '' };
  const columns = Object.keys(row.values);
  const inserted = await db
    .with('moved', () => guardedUpdate(db, entry))
    .with(
      'pending',
      () => sql<{
        id: number;
      }>`(insert into ${sql.table(row.table)} (${sql.join(columns.map((c) => sql.ref(c)))})
        select ${sql.join(columns.map((c) => sql`${row.values[c]}`))} from moved returning *)`,
    )
    .with(
      'debit',
      () => sql<{ reference: string }>`(insert into ledger_entries
        (account_id, amount, balance_after, kind, reference, note, created_at)
        select ${entry.accountId}, ${entry.amount}, moved.balance, ${entry.kind},
          ${debit.referencePrefix} || pending.id, ${entry.note ?? null}, ${entry.now}
        from moved, pending returning reference)`,
    )
    .selectFrom('pending')
    .selectAll('pending')
    .select([
      sql<number>`(select balance from moved)`.as('debit_balance_after'),
      sql<string>`(select reference from debit)`.as('debit_reference'),
    ])
    .executeTakeFirst();
  if (!inserted) return undefined;
  const { debit_balance_after, debit_reference, ...values } = inserted;
  return { row: values, balanceAfter: Number(debit_balance_after), reference: debit_reference };
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
