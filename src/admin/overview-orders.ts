import { sql } from 'kysely';
import type { Executor } from '../db/database.js';

const DAY_MS = 86_400_000;

export interface StateCount {
  line: string;
  state: string;
  count: number;
}

/** Delivery on SMS-style orders per upstream and line: how many settled orders got a code. */
export interface DeliveryRate {
  line: string;
  upstream: string;
  /** Orders that ended (code, cancel, expiry). */
  settled: number;
  delivered: number;
}

/** Upstream cost per day and upstream, in the upstream's micro-units (converted by the caller). */
export interface DayCost {
  day: number;
  upstreamId: number;
  costMicros: number;
}

/** Orders of every line by state: one query per line's table. */
export async function ordersByState(db: Executor): Promise<StateCount[]> {
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
  ].sort((a, b) => a.line.localeCompare(b.line) || a.state.localeCompare(b.state));
}

/** Code delivery per upstream for SMS, cheap and email orders since `since`. */
export async function deliveryRates(db: Executor, since: number): Promise<DeliveryRate[]> {
  const activations = await db
    .selectFrom('activations as a')
    .innerJoin('upstreams as u', 'u.id', 'a.upstream_id')
    .select(['a.line', 'u.name', 'a.state', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('a.created_at', '>=', since)
    .where('a.state', 'in', ['code_received', 'finished', 'cancelled', 'expired'])
    .groupBy(['a.line', 'u.name', 'a.state'])
    .execute();
  const emails = await db
    .selectFrom('email_orders as o')
    .innerJoin('upstreams as u', 'u.id', 'o.upstream_id')
    .select(['u.name', 'o.state', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('o.created_at', '>=', since)
    .where('o.state', 'in', ['received', 'completed', 'cancelled', 'expired'])
    .groupBy(['u.name', 'o.state'])
    .execute();
  const rates = new Map<string, DeliveryRate>();
  const add = (line: string, upstream: string, state: string, n: number, deliveredStates: string[]) => {
    const key = `${line}\u0000${upstream}`;
    const rate = rates.get(key) ?? { line, upstream, settled: 0, delivered: 0 };
    rate.settled += n;
    if (deliveredStates.includes(state)) rate.delivered += n;
    rates.set(key, rate);
  };
  for (const r of activations) add(r.line, r.name, r.state, Number(r.n), ['code_received', 'finished']);
  for (const r of emails) add('email', r.name, r.state, Number(r.n), ['received', 'completed']);
  return [...rates.values()];
}

/**
 * What the upstreams charged per day for orders that were not refunded (a refunded order's
 * number was cancelled upstream, normally free). Costs stay in each upstream's micro-units.
 */
export async function upstreamCostsPerDay(db: Executor, since: number): Promise<DayCost[]> {
  const dayOf = sql<number>`(created_at / ${sql.lit(DAY_MS)})`;
  const [activations, rentals, emails] = await Promise.all([
    db
      .selectFrom('activations')
      .select([
        dayOf.as('d'),
        'upstream_id',
        (eb) => eb.fn.sum<number | string>('upstream_cost_micros').as('c'),
      ])
      .where('created_at', '>=', since)
      .where('state', 'in', ['active', 'code_received', 'finished'])
      .groupBy([dayOf, 'upstream_id'])
      .execute(),
    db
      .selectFrom('rentals')
      .select([
        dayOf.as('d'),
        'upstream_id',
        (eb) => eb.fn.sum<number | string>('upstream_cost_micros').as('c'),
      ])
      .where('created_at', '>=', since)
      .where('status', 'in', ['active', 'expired'])
      .groupBy([dayOf, 'upstream_id'])
      .execute(),
    db
      .selectFrom('email_orders')
      .select([dayOf.as('d'), 'upstream_id', (eb) => eb.fn.sum<number | string>('cost_micros').as('c')])
      .where('created_at', '>=', since)
      .where('state', 'in', ['waiting', 'received', 'completed'])
      .groupBy([dayOf, 'upstream_id'])
      .execute(),
  ]);
  return [...activations, ...rentals, ...emails]
    .filter((r) => r.c !== null && Number(r.c) > 0)
    .map((r) => ({
      day: Math.floor(Number(r.d)) * DAY_MS,
      upstreamId: r.upstream_id,
      costMicros: Number(r.c),
    }));
}
