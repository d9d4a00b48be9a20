import type { Executor } from '../db/database.js';
import { ordersByState } from '../orders/order-counts.js';
import type { ProductLines, StateCount } from '../orders/product-line.js';

/** One row of the orders gauge: the operator overview's count, read by the same query. */
export type OrderCount = StateCount;

/**
 * The counts, cached for `ttlMs` of the app's clock (scrapes from several Prometheus servers share one
 * query); concurrent scrapes share one read.
 */
export function countOrdersByState<Ctx>(
  lines: ProductLines<Ctx>,
  db: Executor,
  now: () => number,
  ttlMs = 3000,
): () => Promise<OrderCount[]> {
  let cached: { at: number; rows: Promise<OrderCount[]> } | null = null;
  return () => {
    const at = now();
    if (!cached || at - cached.at >= ttlMs || at < cached.at) {
      const rows = ordersByState(lines, db);
      cached = { at, rows };
      rows.catch(() => {
        if (cached?.rows === rows) cached = null;
      });
    }
    return cached.rows;
  };
}
