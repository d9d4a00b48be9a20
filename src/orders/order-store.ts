import type { Trx } from '../db/database.js';

/**
 * What the order engine needs to know of a product line's order table. Every line's orders start
 * `pending` (reserved and paid, the upstream not yet answered) and a purchase that did not go
 * through ends `failed` (refunded); the other states are the line's own.
 */
export interface OrderStore<State extends string = string, Order extends OrderRef = OrderRef> {
  /** Names the line in logs and errors: `sms`, `cheap`, `email`, `rental`, `rental-renewal`. */
  readonly line: string;
  /**
   * The ledger reference of the order's debit and refund (`activation:12`). The ledger's unique
   * (kind, reference) makes "debit this order" and "refund this order" each happen at most once.
   * It is built from the order itself: a renewal's names its rental and number, not its row id.
   */
  reference(order: Order): string;
  /**
   * The compare-and-set every state change goes through: `UPDATE … SET state = to WHERE id = ? AND
   * state IN (from)`, also clearing the line's due/lease columns when `to` is an end state. True
   * for the one caller whose update won.
   */
  transition(
    trx: Trx,
    orderId: number,
    from: readonly (State | 'pending')[],
    to: State | 'failed',
    now: number,
  ): Promise<boolean>;
}

/** The money side of an order: whose it is and what it cost. */
export interface OrderRef {
  id: number;
  accountId: number;
  /** What was debited at reservation, in paisa (0 for a free offer: nothing to debit or refund). */
  pricePaisa: number;
}
