import type { AppContext } from '../app-context.js';
import { compiledOnce, compiledPerShape } from '../db/compiled-once.js';
import { speaksPostgres, type Trx } from '../db/database.js';
import {
  AccountBlockedError,
  AccountNotFoundError,
  insertWithDebit,
  postLedgerEntry,
  type RowToInsert,
  whyNotDebited,
} from '../wallet/wallet.repository.js';
import type { OrderRef, OrderStore } from './order-store.js';

export interface ReservationInput {
  accountId: number;
  pricePaisa: number;
  now: number;
  /** The ledger entry's note (`email Instagram gmail.com`). */
  note?: string;
}

/**
 * The first phase of every purchase, inside the caller's transaction: insert the `pending` order
 * (the line's insert), then debit its price from the account — guarded in the same statement by
 * `balance >= price AND status = 'active'` — under the order's ledger reference.
 *
 * Throws InsufficientBalanceError or AccountBlockedError, which roll the insert back with it: a
 * refused customer is never charged and leaves no order behind. The insert comes first so that on
 * SQLite the transaction takes the write lock with its first statement.
 */
export async function reserveOrder<O extends OrderRef>(
  trx: Trx,
  store: Pick<OrderStore<string, O>, 'reference'>,
  input: ReservationInput,
  insertPending: (trx: Trx) => Promise<O>,
): Promise<{ order: O; balanceAfter: number }> {
  const order = await insertPending(trx);
  if (input.pricePaisa > 0) {
    const balanceAfter = await postLedgerEntry(trx, {
      accountId: input.accountId,
      amount: -input.pricePaisa,
      kind: 'order_debit',
      reference: store.reference(order),
      note: input.note ?? null,
      now: input.now,
      requireActive: true,
    });
    return { order, balanceAfter };
  }
  // A free offer moves no money, but a blocked account still may not take it.
  const account = await trx
    .selectFrom('accounts')
    .select(['balance', 'status'])
    .where('id', '=', input.accountId)
    .executeTakeFirst();
  if (!account) throw new AccountNotFoundError(`account ${input.accountId} not found`);
  if (account.status !== 'active') throw new AccountBlockedError(input.accountId);
  return { order, balanceAfter: account.balance };
}

/**
 * A pending order that is one plain row of the line's table. Given this rather than an insert of
 * its own, a line's paid reservation on PostgreSQL is one statement (order row, guarded debit and
 * ledger row: one round trip instead of five); on SQLite, or for a free offer, it is the
 * transaction above with this row as the insert.
 */
export interface PendingRow<O extends OrderRef> {
  row: RowToInsert;
  /** The store's ledger reference of the new order is this prefix followed by its row id. */
  referencePrefix: string;
  /** The order as the line sees it, from the inserted row. */
  toOrder(row: Record<string, unknown>): O;
}

/** The pending order: a plain row, or the line's own insert inside the reservation's transaction. */
export type PendingOrder<O extends OrderRef> = PendingRow<O> | ((trx: Trx) => Promise<O>);

/**
 * The first phase of a purchase in the fewest round trips the database allows (see PendingRow).
 * Throws InsufficientBalanceError or AccountBlockedError, having written nothing.
 */
export async function reserve<O extends OrderRef>(
  ctx: Pick<AppContext, 'db' | 'groupCommit'>,
  store: Pick<OrderStore<string, O>, 'reference'>,
  input: ReservationInput,
  pending: PendingOrder<O>,
): Promise<{ order: O; balanceAfter: number }> {
  if (typeof pending === 'function' || input.pricePaisa <= 0 || !speaksPostgres(ctx.db)) {
    const insert = typeof pending === 'function' ? pending : (trx: Trx) => insertPendingRow(trx, pending);
    return ctx.groupCommit.transaction((trx) => reserveOrder(trx, store, input, insert));
  }
  const debit = { ...input, kind: 'order_debit', requireActive: true };
  const done = await insertWithDebit(ctx.db, pending.row, {
    ...debit,
    referencePrefix: pending.referencePrefix,
  });
  if (!done) throw await whyNotDebited(ctx.db, debit);
  const order = pending.toOrder(done.row);
  // The prefix and the store's reference are two spellings of one rule; they must agree.
  if (store.reference(order) !== done.reference)
    throw new Error(`order debited as ${done.reference}, but its reference is ${store.reference(order)}`);
  return { order, balanceAfter: done.balanceAfter };
}

/** Inserts a pending row in the caller's transaction. */
export async function insertPendingRow<O extends OrderRef>(trx: Trx, pending: PendingRow<O>): Promise<O> {
  const { table, values } = pending.row;
  // A column given as undefined is left out, as Kysely's insert leaves it out.
  const columns = Object.keys(values).filter((column) => values[column] !== undefined);
  const row = (await insertReturningAll({ table, columns })(trx, values)).rows[0];
  if (row === undefined) throw new Error(`the pending ${table} row was not inserted`);
  return pending.toOrder(row);
}

/** The insert of a pending row, compiled once per table and column list. */
const insertReturningAll = compiledPerShape(
  ({ table, columns }: { table: RowToInsert['table']; columns: string[] }) =>
    `${table}(${columns.join(',')})`,
  ({ table, columns }) =>
    compiledOnce((db, values: Record<string, unknown>) =>
      db
        .insertInto(table)
        .values(Object.fromEntries(columns.map((column) => [column, values[column]])) as never)
        .returningAll(),
    ),
);
