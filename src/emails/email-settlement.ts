import type { Executor, Trx } from '../db/database.js';
import { type Settled, settle } from '../orders/settlement.js';
import type { UpstreamMessage } from '../providers/types.js';
import { toStoredMessage } from './email-messages.js';
import {
  type EmailOrder,
  emailOrderRef,
  emailOrderStore,
  findEmailOrder,
  insertEmailMessages,
  moveEmailOrder,
} from './email-orders.repository.js';
import type { EmailOrderState } from './email-tables.js';

/**
 * The email line's own transitions, which move no money: a letter arriving and the customer (or
 * the mailbox's time) being done. Each is a compare-and-set through the line's store, so
 * whichever path wins (a customer's cancel, the expiry job, a letter arriving) does it alone.
 * Refunds go through the order engine's `settle`.
 */

/** States an operator may still refund: every state that is not an end state. */
export const OPERATOR_REFUNDABLE_EMAIL_STATES: readonly EmailOrderState[] = [
  'pending',
  'waiting',
  'received',
];

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
    const received = await moveEmailOrder(trx, order.id, ['waiting'], 'received', {
      code: first?.code ?? '',
      next_check_at: order.expiresAt ?? now,
      updated_at: now,
    });
    if (received) await insertEmailMessages(trx, order.id, stored);
    return received !== null;
  });
}

/** received → completed: the customer is done (cancelEmail after a code) or the mailbox's time is over. */
export async function completeOrder(db: Executor, orderId: number, now: number): Promise<boolean> {
  return (await moveEmailOrder(db, orderId, ['received'], 'completed', { updated_at: now })) !== null;
}

/**
 * An operator's refund of one order, inside the caller's transaction (which also writes the audit
 * row): from any state that is not an end state to `cancelled`, with the refund under the order's
 * one `order_refund` reference, so it races expiry, the reconciler and the customer safely. Null
 * when there is no such order; `won` false when it had already ended.
 */
export async function refundEmailByOperator(
  trx: Trx,
  orderId: number,
  note: string,
  now: number,
): Promise<{ order: EmailOrder; settled: Settled } | null> {
  const order = await findEmailOrder(trx, orderId);
  if (!order) return null;
  const settled = await settle(trx, emailOrderStore, emailOrderRef(order), {
    from: OPERATOR_REFUNDABLE_EMAIL_STATES,
    to: 'cancelled',
    now,
    refund: true,
    note,
  });
  return { order, settled };
}
