import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import { ordersByState } from '../orders/order-counts.js';
import type { DayCost, ProductLines, StateCount } from '../orders/product-line.js';
import { getExchangeRateMicros } from '../pricing/pricing.repository.js';
import { listUpstreams } from '../providers/upstreams.repository.js';
import { type DeliveryRate, deliveryRates, upstreamCostsPerDay } from './overview-orders.js';

const DAY_MS = 86_400_000;

/** One UTC day of money movements, in paisa. */
export interface DayFigures {
  /** Epoch ms of 00:00 UTC. */
  day: number;
  /** Order debits less order refunds: what customers actually paid for. */
  sales: number;
  refunds: number;
  topups: number;
  /** What the upstreams charged for the day's kept orders, in paisa at today's exchange rates. */
  upstreamCost: number;
  /** Sales less upstream cost. */
  margin: number;
}

export interface Overview {
  days: DayFigures[];
  totals: {
    sales: number;
    refunds: number;
    topups: number;
    upstreamCost: number;
    margin: number;
    customerBalances: number;
    accounts: number;
  };
  pendingTopups: number;
  ordersByState: StateCount[];
  delivery: DeliveryRate[];
  /** Currencies of upstream costs that have no exchange rate set: those costs are left out. */
  missingRates: string[];
}

/**
 * Figures from the ledger, which every product line writes with the shared kinds
 * (`order_debit`, `order_refund`, `topup`), so the overview covers every line without knowing them.
 */
export async function readOverview<Ctx>(
  lines: ProductLines<Ctx>,
  db: Executor,
  options: { now: number; days: number },
): Promise<Overview> {
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
    byDay.set(day, { day, sales: 0, refunds: 0, topups: 0, upstreamCost: 0, margin: 0 });
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
  const missingRates = await addUpstreamCosts(db, await upstreamCostsPerDay(lines, db, firstDay), byDay);
  const days = [...byDay.values()];
  for (const d of days) d.margin = d.sales - d.upstreamCost;
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
      upstreamCost: days.reduce((s, d) => s + d.upstreamCost, 0),
      margin: days.reduce((s, d) => s + d.margin, 0),
      customerBalances: Number(balances?.sum ?? 0),
      accounts: Number(balances?.n ?? 0),
    },
    pendingTopups: Number(pending?.n ?? 0),
    ordersByState: await ordersByState(lines, db),
    delivery: await deliveryRates(lines, db, firstDay),
    missingRates,
  };
}

/** Converts each upstream's daily cost to paisa (micros × PKR-per-unit micros / 1e10, half up). */
async function addUpstreamCosts(
  db: Executor,
  costs: DayCost[],
  byDay: Map<number, DayFigures>,
): Promise<string[]> {
  const currencies = new Map((await listUpstreams(db)).map((u) => [u.id, u.currency.toUpperCase()]));
  const rates = new Map<string, number | null>();
  for (const cost of costs) {
    const currency = currencies.get(cost.upstreamId) ?? 'PKR';
    if (!rates.has(currency))
      rates.set(currency, await getExchangeRateMicros(db, currency).catch(() => null));
    const rate = rates.get(currency);
    const figures = byDay.get(cost.day);
    if (!figures || rate === null || rate === undefined) continue;
    const scaled = BigInt(cost.costMicros) * BigInt(rate);
    figures.upstreamCost += Number((scaled + 5_000_000_000n) / 10_000_000_000n);
  }
  return [...rates.entries()].filter(([, rate]) => rate === null).map(([currency]) => currency);
}
