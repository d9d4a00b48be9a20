import type { Trx } from '../db/database.js';
import { AccountBlockedError, AccountNotFoundError, postLedgerEntry } from '../wallet/wallet.repository.js';
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
