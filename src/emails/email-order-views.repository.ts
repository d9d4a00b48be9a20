import type { Executor } from '../db/database.js';
import { createdDay, toDayCosts } from '../orders/day-costs.js';
import type {
  DayCost,
  DeliverySample,
  OrderQuery,
  OrderSummary,
  StateCount,
  TimelineEvent,
} from '../orders/product-line.js';

/*
 * Read-only views of the temp email orders for the console's and the CLI's order search, the
 * overview and the metrics. Writes go through the email services.
 */

export async function searchEmailOrders(db: Executor, q: OrderQuery): Promise<OrderSummary[]> {
  const text = q.text?.trim().toLowerCase();
  const rows = await db
    .selectFrom('email_orders')
    .selectAll()
    .$if(q.accountId !== undefined, (qb) => qb.where('account_id', '=', q.accountId as number))
    .$if(q.state !== undefined, (qb) => qb.where('state', '=', q.state as never))
    .$if(q.beforeId !== undefined, (qb) => qb.where('id', '<', q.beforeId as number))
    .$if(text !== undefined && text !== '', (qb) =>
      qb.where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['email']), '=', text as string),
          ...(/^\d{1,15}$/.test(text as string) ? [eb('id', '=', Number(text))] : []),
        ]),
      ),
    )
    .orderBy('id', 'desc')
    .limit(q.limit)
    .execute();
  return rows.map((r) => ({
    line: 'email' as const,
    id: r.id,
    publicId: String(r.id),
    accountId: r.account_id,
    state: r.state,
    price: r.price_paisa,
    address: r.email,
    item: r.service_name,
    code: r.code,
    codeAt: null,
    upstreamId: r.upstream_id,
    upstreamOrderId: r.upstream_order_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

export async function findEmailOrderSummary(db: Executor, id: number): Promise<OrderSummary | null> {
  const orders = await searchEmailOrders(db, { text: String(id), limit: 5 });
  return orders.find((o) => o.id === id) ?? null;
}

/** The letters the address received. */
export async function emailOrderEvents(db: Executor, order: OrderSummary): Promise<TimelineEvent[]> {
  const messages = await db
    .selectFrom('email_messages')
    .select(['sender', 'code', 'received_at'])
    .where('order_id', '=', order.id)
    .execute();
  return messages.map((m) => ({
    at: m.received_at,
    what: 'message',
    detail: `from ${m.sender}, code ${m.code}`,
  }));
}

export async function countEmailOrders(db: Executor): Promise<StateCount[]> {
  const rows = await db
    .selectFrom('email_orders')
    .select(['state', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('state')
    .execute();
  return rows.map((r) => ({ line: 'email', state: r.state, count: Number(r.n) }));
}

/** Settled orders since `since`, each timed by its first letter when it got one. */
export async function emailDeliverySamples(db: Executor, since: number): Promise<DeliverySample[]> {
  const orders = await db
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
  return orders.map((o) => ({
    line: 'email',
    upstream: o.name,
    service: o.service_name,
    settled: 1,
    delivered: o.state === 'received' || o.state === 'completed' ? 1 : 0,
    timesMs: o.first_at !== null ? [Number(o.first_at) - o.created_at] : [],
  }));
}

/** Upstream cost per day of the orders that were not refunded. */
export async function emailUpstreamCosts(db: Executor, since: number): Promise<DayCost[]> {
  const dayOf = createdDay();
  const rows = await db
    .selectFrom('email_orders')
    .select([
      dayOf.as('d'),
      'upstream_id',
      (eb) => eb.fn.sum<number | string>('upstream_cost_micros').as('c'),
    ])
    .where('created_at', '>=', since)
    .where('state', 'in', ['waiting', 'received', 'completed'])
    .groupBy([dayOf, 'upstream_id'])
    .execute();
  return toDayCosts(rows);
}
