import type { Executor, Trx } from '../db/database.js';
import { postLedgerEntry } from '../wallet/wallet.repository.js';
import type { OrderRef, OrderStore } from './order-store.js';

export interface Settlement<State extends string> {
  from: readonly (State | 'pending')[];
  to: State | 'failed';
  now: number;
  /** Give the order's price back (under its ledger reference, so at most once). */
  refund: boolean;
  note?: string;
}

export type Settled = { won: false } | { won: true; balanceAfter: number | null };

/**
 * Moves an order by compare-and-set and, for the one caller that won, refunds it — in the caller's
 * transaction. A loser changes nothing and moves no money; it should answer what a sequential
 * repeat of its request would answer (re-read the order and decide again), never "done".
 */
export async function settle<State extends string, Order extends OrderRef>(
  trx: Trx,
  store: OrderStore<State, Order>,
  order: Order,
  move: Settlement<State>,
): Promise<Settled> {
  if (!(await store.transition(trx, order.id, move.from, move.to, move.now))) return { won: false };
  if (!move.refund || order.pricePaisa <= 0) return { won: true, balanceAfter: null };
  const balanceAfter = await postLedgerEntry(trx, {
    accountId: order.accountId,
    amount: order.pricePaisa,
    kind: 'order_refund',
    reference: store.reference(order),
    note: move.note ?? `${store.line} ${move.to}`,
    now: move.now,
  });
  return { won: true, balanceAfter };
}

/** `settle` in a transaction of its own, for callers that have nothing else to commit with it. */
export function settleNow<State extends string, Order extends OrderRef>(
  db: Executor,
  store: OrderStore<State, Order>,
  order: Order,
  move: Settlement<State>,
): Promise<Settled> {
  return db.transaction().execute((trx) => settle(trx, store, order, move));
}
