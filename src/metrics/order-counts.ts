import type { Executor } from '../db/database.js';

/** One row of the orders gauge. */
export interface OrderCount {
  line: string;
  state: string;
  count: number;
}

/** Reads orders per line and state: one GROUP BY per order table, all on indexed-or-small columns. */
async function readCounts(db: Executor): Promise<OrderCount[]> {
  const [activations, rentals, emails] = await Promise.all([
    db
      .selectFrom('activations')
      .select(['line', 'state', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy(['line', 'state'])
      .execute(),
    db
      .selectFrom('rentals')
      .select(['status', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy('status')
      .execute(),
    db
      .selectFrom('email_orders')
      .select(['state', (eb) => eb.fn.countAll<number | string>().as('n')])
      .groupBy('state')
      .execute(),
  ]);
  return [
    ...activations.map((r) => ({ line: r.line, state: r.state, count: Number(r.n) })),
    ...rentals.map((r) => ({ line: 'rental', state: r.status, count: Number(r.n) })),
    ...emails.map((r) => ({ line: 'email', state: r.state, count: Number(r.n) })),
  ];
}

/**
 * The counts, cached for `ttlMs` of the app's clock (scrapes from several Prometheus servers share one
 * query); concurrent scrapes share one read.
 */
export function countOrdersByState(
  db: Executor,
  now: () => number,
  ttlMs = 3000,
): () => Promise<OrderCount[]> {
  let cached: { at: number; rows: Promise<OrderCount[]> } | null = null;
  return () => {
    const at = now();
    if (!cached || at - cached.at >= ttlMs || at < cached.at) {
      const rows = readCounts(db);
      cached = { at, rows };
      rows.catch(() => {
        if (cached?.rows === rows) cached = null;
      });
    }
    return cached.rows;
  };
}
