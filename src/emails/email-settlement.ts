import type { Transaction } from 'kysely';
import type { Executor, InTransaction } from '../db/database.js';
import type { Schema } from '../db/schema.js';
import type { UpstreamMessage } from '../providers/types.js';
import { postLedgerEntry } from '../wallet/wallet.repository.js';
import { toStoredMessage } from './email-messages.js';
import {
  type EmailOrder,
  emailLedgerReference,
  insertEmailMessages,
  transitionOrder,
} from './email-orders.repository.js';
import type { EmailOrderState } from './email-tables.js';

/**
 * The order transitions that move money or deliver a code. Each is a compare-and-set inside one
 * transaction with its side effect, so whichever path wins (a customer's cancel, the expiry job,
 * a letter arriving) does it alone, and the ledger's unique (kind, reference) backs that up.
 */

/** States an operator may still refund: every state that is not an end state. */
export const OPERATOR_REFUNDABLE_EMAIL_STATES: EmailOrderState[] = ['pending', 'waiting', 'received'];

/**
 * Closes an order in a refunding state and gives the price back; false when another path got
 * there first. `alsoInTransaction` runs after a won change, inside the same transaction.
 */
export async function refundAndClose(
  db: Executor,
  order: Pick<EmailOrder, 'id' | 'accountId' | 'price'>,
  from: EmailOrderState | EmailOrderState[],
  to: 'cancelled' | 'expired' | 'failed',
  now: number,
  alsoInTransaction?: InTransaction,
): Promise<{ refunded: boolean; balance: number | null }> {
  return db.transaction().execute(async (trx) => {
    const settled = await refundAndCloseInTransaction(trx, order, from, to, now);
    if (settled.refunded && alsoInTransaction) await alsoInTransaction(trx);
    return settled;
  });
}

/** `refundAndClose` inside the caller's transaction (an operator's refund and its audit row). */
export async function refundAndCloseInTransaction(
  trx: Transaction<Schema>,
  order: Pick<EmailOrder, 'id' | 'accountId' | 'price'>,
  from: EmailOrderState | EmailOrderState[],
  to: 'cancelled' | 'expired' | 'failed',
  now: number,
): Promise<{ refunded: boolean; balance: number | null }> {
  const won = await transitionOrder(trx, order.id, from, to, {
    next_check_at: null,
    lease_until: null,
    updated_at: now,
  });
  if (!won) return { refunded: false, balance: null };
  const balance = await postLedgerEntry(trx, {
    accountId: order.accountId,
    amount: order.price,
    kind: 'order_refund',
    reference: emailLedgerReference(order.id),
    note: `email ${to}`,
    now,
  });
  return { refunded: true, balance };
}

/**
 * Records the letters of a waiting order and makes it `received` with the first code. The order
 * stays due at its expiry, when the worker completes it.
 */
export async function recordReceived(
  db: Executor,
  order: Pick<EmailOrder, 'id' | 'serviceCode' | 'expiresAt'>,
  messages: UpstreamMessage[],
  now: number,
): Promise<boolean> {
  const stored = messages.map((m) => toStoredMessage(m, order.serviceCode));
  const first = stored.find((m) => m.code !== '') ?? stored[0];
  return db.transaction().execute(async (trx) => {
    const won = await transitionOrder(trx, order.id, 'waiting', 'received', {
      code: first?.code ?? '',
      next_check_at: order.expiresAt ?? now,
      updated_at: now,
    });
    if (won) await insertEmailMessages(trx, order.id, stored);
    return won;
  });
}

/** received → completed: the customer is done (cancelEmail after a code) or the mailbox's time is over. */
export async function completeOrder(db: Executor, orderId: number, now: number): Promise<boolean> {
  return transitionOrder(db, orderId, 'received', 'completed', {
    next_check_at: null,
    lease_until: null,
    updated_at: now,
  });
}
