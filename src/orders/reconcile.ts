import type { AppContext } from '../app-context.js';
import type { Executor } from '../db/database.js';
import type { OrderRef, OrderStore } from './order-store.js';
import { settleNow } from './settlement.js';

/**
 * The one rule for "this purchase's reply is lost": a `pending` order older than this was bought
 * by a call that must have ended (its timeout passed twice over, plus slack for a slow process),
 * so settling it can never race a purchase still in flight. Every line reserves its orders with
 * `reconcileAt = reservedAt + reconcileDelayMs(upstream timeout)`.
 */
export function reconcileDelayMs(upstreamTimeoutMs: number): number {
  return Math.max(120_000, 2 * upstreamTimeoutMs + 30_000);
}

/** A line's pending orders whose reconcile time has come. */
export interface LostPurchaseSource<Order extends OrderRef = OrderRef> {
  store: OrderStore<string, Order>;
  listLost(db: Executor, now: number, limit: number): Promise<Order[]>;
}

/**
 * Refunds purchases that never reported back. The customer was never given such a number or
 * mailbox, so it is refunded, not adopted (and if the purchase path answers after all, it finds the
 * order settled and gives the item back upstream). Returns how many this call refunded.
 */
export async function reconcileLostPurchases<Order extends OrderRef>(
  ctx: Pick<AppContext, 'db' | 'clock' | 'log'>,
  source: LostPurchaseSource<Order>,
  limit = 100,
): Promise<number> {
  const lost = await source.listLost(ctx.db, ctx.clock.now(), limit);
  let refunded = 0;
  for (const order of lost) {
    const settled = await settleNow(ctx.db, source.store, order, {
      from: ['pending'],
      to: 'failed',
      now: ctx.clock.now(),
      refund: true,
      note: 'purchase reply lost; refunded',
    });
    if (settled.won) {
      refunded++;
      ctx.log.warn({ line: source.store.line, order: order.id }, 'lost purchase refunded');
    }
  }
  return refunded;
}
