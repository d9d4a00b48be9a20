import { sql } from 'kysely';
import type { Executor } from '../db/database.js';

const DAY_MS = 86_400_000;

/** One UTC day of money movements, in paisa. */
export interface DayFigures {
  /** Epoch ms of 00:00 UTC. */
  day: number;
  /** Order debits less order refunds: what customers actually paid for. */
  sales: number;
  refunds: number;
  topups: number;
}

export interface Overview {
  days: DayFigures[];
  totals: { sales: number; refunds: number; topups: number; customerBalances: number; accounts: number };
  pendingTopups: number;
}

/**
 * Figures from the ledger, which every product line writes with the shared kinds
 * (`order_debit`, `order_refund`, `topup`), so the overview covers every line without knowing them.
 */
export async function readOverview(db: Executor, options: { now: number; days: number }): Promise<Overview> {
  const firstDay = Math.floor(options.now / DAY_MS) * DAY_MS - (options.days - 1) * DAY_MS;
  const dayExpr = sql<number>`(created_at / ${sql.lit(DAY_MS)})`;
  const rows = await db
    .selectFrom('ledger_entries')
    .select([dayExpr.as('day_index'), 'kind', (eb) => eb.fn.sum<number | string>('amount').as('total')])
    .where('created_at', '>=', firstDay)
    .where('kind', 'in', ['order_debit', 'order_refund', 'topup'])
    .groupBy([dayExpr, 'kind'])
    .execute();
  const byDay = new Map<number, DayFigures>();
  for (let i = 0; i < options.days; i++) {
    const day = firstDay + i * DAY_MS;
    byDay.set(day, { day, sales: 0, refunds: 0, topups: 0 });
  }
  for (const r of rows) {
    const figures = byDay.get(Math.floor(Number(r.day_index)) * DAY_MS);
    if (!figures) continue;
    const total = Number(r.total);
    if (r.kind === 'order_debit') figures.sales += -total;
    else if (r.kind === 'order_refund') {
      figures.sales -= total;
      figures.refunds += total;
    } else figures.topups += total;
  }
  const days = [...byDay.values()];
  const balances = await db
    .selectFrom('accounts')
    .select([
      (eb) => eb.fn.sum<number | string>('balance').as('sum'),
      (eb) => eb.fn.countAll<number | string>().as('n'),
    ])
    .executeTakeFirst();
  const pending = await db
    .selectFrom('topup_requests')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return {
    days,
    totals: {
      sales: days.reduce((s, d) => s + d.sales, 0),
      refunds: days.reduce((s, d) => s + d.refunds, 0),
      topups: days.reduce((s, d) => s + d.topups, 0),
      customerBalances: Number(balances?.sum ?? 0),
      accounts: Number(balances?.n ?? 0),
    },
    pendingTopups: Number(pending?.n ?? 0),
  };
}
