import { sql } from 'kysely';
import type { Executor } from '../db/database.js';

const DAY_MS = 86_400_000;

export interface StateCount {
  line: string;
  state: string;
  count: number;
}

/** Delivery per line, upstream and service: how many settled orders got a code, and how fast. */
export interface DeliveryRate {
  line: string;
  upstream: string;
  service: string;
  /** Orders that ended (code, cancel, expiry). */
  settled: number;
  delivered: number;
  /** Mean seconds from purchase to the first code or letter; null when none was timed. */
  meanSeconds: number | null;
  /** Median of the same times (the upper middle one for an even count). */
  medianSeconds: number | null;
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

/** Code delivery per upstream and service for SMS, cheap and email orders since `since`. */
export async function deliveryRates(db: Executor, since: number): Promise<DeliveryRate[]> {
  const activations = await db
    .selectFrom('activations as a')
    .innerJoin('upstreams as u', 'u.id', 'a.upstream_id')
    .select([
      'a.line',
      'u.name',
      'a.upstream_service',
      'a.state',
      (eb) => eb.fn.countAll<number | string>().as('n'),
    ])
    .where('a.created_at', '>=', since)
    .where('a.state', 'in', ['code_received', 'finished', 'cancelled', 'expired'])
    .groupBy(['a.line', 'u.name', 'a.upstream_service', 'a.state'])
    .execute();
  const rates = new Map<string, DeliveryRate & { timesMs: number[] }>();
  const entry = (line: string, upstream: string, service: string) => {
    const key = [line, upstream, service].join('\u0000');
    let rate = rates.get(key);
    if (!rate) {
      rate = {
        line,
        upstream,
        service,
        settled: 0,
        delivered: 0,
        meanSeconds: null,
        medianSeconds: null,
        timesMs: [],
      };
      rates.set(key, rate);
    }
    return rate;
  };
  for (const r of activations) {
    const rate = entry(r.line, r.name, r.upstream_service);
    rate.settled += Number(r.n);
    if (r.state === 'code_received' || r.state === 'finished') rate.delivered += Number(r.n);
  }
  // Times one by one (a median needs each value); the overview covers a bounded window. Orders
  // from before code_received_at existed have no time and are only counted.
  const timedActivations = await db
    .selectFrom('activations as a')
    .innerJoin('upstreams as u', 'u.id', 'a.upstream_id')
    .select(['a.line', 'u.name', 'a.upstream_service', 'a.created_at', 'a.code_received_at'])
    .where('a.created_at', '>=', since)
    .where('a.code_received_at', 'is not', null)
    .execute();
  for (const a of timedActivations) {
    entry(a.line, a.name, a.upstream_service).timesMs.push(Number(a.code_received_at) - a.created_at);
  }
  const emailOrders = await db
    .selectFrom('email_orders as o')
    .innerJoin('upstreams as u', 'u.id', 'o.upstream_id')
    .leftJoin(
      (eb) =>
        eb
          .selectFrom('email_messages')
          .select(['order_id', (m) => m.fn.min<number>('received_at').as('first_at')])
          .groupBy('order_id')
          .as('m'),
      (join) => join.onRef('m.order_id', '=', 'o.id'),
    )
    .select(['u.name', 'o.service_name', 'o.state', 'o.created_at', 'm.first_at'])
    .where('o.created_at', '>=', since)
    .where('o.state', 'in', ['received', 'completed', 'cancelled', 'expired'])
    .execute();
  for (const o of emailOrders) {
    const rate = entry('email', o.name, o.service_name);
    rate.settled += 1;
    if (o.state === 'received' || o.state === 'completed') rate.delivered += 1;
    if (o.first_at !== null) rate.timesMs.push(Number(o.first_at) - o.created_at);
  }
  return [...rates.values()].map(({ timesMs, ...rate }) => ({ ...rate, ...timeToCode(timesMs) }));
}

/** Mean and median of times in ms, as whole seconds. */
export function timeToCode(timesMs: number[]): { meanSeconds: number | null; medianSeconds: number | null } {
  if (timesMs.length === 0) return { meanSeconds: null, medianSeconds: null };
  const sorted = [...timesMs].sort((a, b) => a - b);
  const total = sorted.reduce((sum, t) => sum + t, 0);
  return {
    meanSeconds: Math.round(total / sorted.length / 1000),
    medianSeconds: Math.round((sorted[Math.floor(sorted.length / 2)] as number) / 1000),
  };
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
