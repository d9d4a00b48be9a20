import type { Executor } from '../db/database.js';
import { createdDay, toDayCosts } from '../orders/day-costs.js';
import type { DayCost, OrderQuery, OrderSummary, StateCount, TimelineEvent } from '../orders/product-line.js';

/*
 * Read-only views of the rentals for the console's and the CLI's order search, the overview and
 * the metrics. Writes go through the rental services.
 */

export async function searchRentalOrders(db: Executor, q: OrderQuery): Promise<OrderSummary[]> {
  const text = q.text?.trim();
  const digits = text?.replace(/^\+/, '');
  const rows = await db
    .selectFrom('rentals')
    .selectAll()
    .$if(q.accountId !== undefined, (qb) => qb.where('account_id', '=', q.accountId as number))
    .$if(q.state !== undefined, (qb) => qb.where('state', '=', q.state as never))
    .$if(q.beforeId !== undefined, (qb) => qb.where('id', '<', q.beforeId as number))
    .$if(text !== undefined && text !== '', (qb) =>
      qb.where((eb) =>
        eb.or([
          eb('order_id', '=', text as string),
          eb('phone', '=', digits as string),
          ...(/^\d{1,15}$/.test(text as string) ? [eb('id', '=', Number(text))] : []),
        ]),
      ),
    )
    .orderBy('id', 'desc')
    .limit(q.limit)
    .execute();
  return rows.map((r) => ({
    line: 'rental' as const,
    id: r.id,
    publicId: r.order_id,
    accountId: r.account_id,
    state: r.state,
    price: r.price_paisa,
    address: r.phone,
    item: `server ${r.server_id} ${r.country_code} ${r.duration_hours} h`,
    code: null,
    codeAt: null,
    upstreamId: r.upstream_id,
    upstreamOrderId: r.upstream_order_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

export async function findRentalOrder(db: Executor, id: number): Promise<OrderSummary | null> {
  const orders = await searchRentalOrders(db, { text: String(id), limit: 5 });
  return orders.find((o) => o.id === id) ?? null;
}

/** The SMS the rented number received. */
export async function rentalOrderEvents(db: Executor, order: OrderSummary): Promise<TimelineEvent[]> {
  const messages = await db
    .selectFrom('rental_messages')
    .select(['sender', 'code', 'received_at'])
    .where('rental_id', '=', order.id)
    .execute();
  return messages.map((m) => ({
    at: m.received_at,
    what: 'message',
    detail: `from ${m.sender ?? '?'}${m.code ? `, code ${m.code}` : ''}`,
  }));
}

export async function countRentalOrders(db: Executor): Promise<StateCount[]> {
  const rows = await db
    .selectFrom('rentals')
    .select(['state', (eb) => eb.fn.countAll<number | string>().as('n')])
    .groupBy('state')
    .execute();
  return rows.map((r) => ({ line: 'rental', state: r.state, count: Number(r.n) }));
}

/** Upstream cost per day of the rentals that were not refunded. */
export async function rentalUpstreamCosts(db: Executor, since: number): Promise<DayCost[]> {
  const dayOf = createdDay();
  const rows = await db
    .selectFrom('rentals')
    .select([
      dayOf.as('d'),
      'upstream_id',
      (eb) => eb.fn.sum<number | string>('upstream_cost_micros').as('c'),
    ])
    .where('created_at', '>=', since)
    .where('state', 'in', ['active', 'expired'])
    .groupBy([dayOf, 'upstream_id'])
    .execute();
  return toDayCosts(rows);
}
