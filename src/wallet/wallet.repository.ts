import type { Transaction } from 'kysely';
import type { Executor } from '../db/database.js';
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
  const updated = await trx
    .updateTable('accounts')
    .set((eb) => ({ balance: eb('balance', '+', entry.amount), updated_at: entry.now }))
    .where('id', '=', entry.accountId)
    .$if(entry.amount < 0, (qb) => qb.where('balance', '>=', -entry.amount))
    .$if(entry.requireActive === true, (qb) => qb.where('status', '=', 'active'))
    .returning('balance')
    .executeTakeFirst();
  if (!updated) {
    const account = await trx
      .selectFrom('accounts')
      .select(['balance', 'status'])
      .where('id', '=', entry.accountId)
      .executeTakeFirst();
    if (!account) throw new AccountNotFoundError(`account ${entry.accountId} not found`);
    if (entry.requireActive === true && account.status !== 'active')
      throw new AccountBlockedError(entry.accountId);
    throw new InsufficientBalanceError(-entry.amount, account.balance);
  }
  const inserted = await trx
    .insertInto('ledger_entries')
    .values({
      account_id: entry.accountId,
      amount: entry.amount,
      balance_after: updated.balance,
      kind: entry.kind,
      reference: entry.reference,
      note: entry.note ?? null,
      created_at: entry.now,
    })
    .onConflict((oc) => oc.columns(['kind', 'reference']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (!inserted) throw new DuplicateLedgerEntryError(entry.kind, entry.reference);
  return updated.balance;
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
