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
 * Read-only views of the SMS OTP and cheap orders (one `activations` table, `line` column) for
 * the console's and the CLI's order search, the overview and the metrics. Writes go through the
 * engine's repository.
 */

type ActivationLine = 'sms' | 'cheap';

export async function searchActivationOrders(
  db: Executor,
  line: ActivationLine,
  q: OrderQuery,
): Promise<OrderSummary[]> {
  const text = q.text?.trim();
  const digits = text?.replace(/^\+/, '');
  const rows = await db
    .selectFrom('activations')
    .selectAll()
    .where('line', '=', line)
    .$if(q.accountId !== undefined, (qb) => qb.where('account_id', '=', q.accountId as number))
    .$if(q.state !== undefined, (qb) => qb.where('state', '=', q.state as never))
    .$if(q.beforeId !== undefined, (qb) => qb.where('id', '<', q.beforeId as number))
    .$if(text !== undefined && text !== '', (qb) =>
      qb.where((eb) =>
        eb.or([
          eb('public_id', '=', text as string),
          eb('phone', '=', digits as string),
          ...(/^\d{1,15}$/.test(text as string) ? [eb('id', '=', Number(text))] : []),
        ]),
      ),
    )
    .orderBy('id', 'desc')
    .limit(q.limit)
    .execute();
  return rows.map((r) => ({
    line: r.line,
    id: r.id,
    publicId: r.public_id,
    accountId: r.account_id,
    state: r.state,
    price: r.price_paisa,
    address: r.phone,
    item: r.catalog_ref,
    code: r.code,
    codeAt: r.code_received_at,
    upstreamId: r.upstream_id,
    upstreamOrderId: r.upstream_order_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  }));
}

export async function findActivationOrder(
  db: Executor,
  line: ActivationLine,
  id: number,
): Promise<OrderSummary | null> {
  const orders = await searchActivationOrders(db, line, { text: String(id), limit: 5 });
  return orders.find((o) => o.id === id) ?? null;
}

/** An activation keeps its one code on the row. */
export async function activationOrderEvents(_db: Executor, order: OrderSummary): Promise<TimelineEvent[]> {
  if (order.code === null) return [];
  return [{ at: order.codeAt ?? order.updatedAt, what: 'code', detail: order.code }];
}

export async function countActivationOrders(db: Executor, line: ActivationLine): Promise<StateCount[]> {
  const rows = await db
    .selectFrom('activations')
    .select(['state', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('line', '=', line)
    .groupBy('state')
    .execute();
  return rows.map((r) => ({ line, state: r.state, count: Number(r.n) }));
}

/** Settled orders by upstream and service since `since`, and the code times of those timed. */
export async function activationDeliverySamples(
  db: Executor,
  line: ActivationLine,
  since: number,
): Promise<DeliverySample[]> {
  const settled = await db
    .selectFrom('activations as a')
    .innerJoin('upstreams as u', 'u.id', 'a.upstream_id')
    .select(['u.name', 'a.upstream_service', 'a.state', (eb) => eb.fn.countAll<number | string>().as('n')])
    .where('a.line', '=', line)
    .where('a.created_at', '>=', since)
    .where('a.state', 'in', ['code_received', 'finished', 'cancelled', 'expired'])
    .groupBy(['u.name', 'a.upstream_service', 'a.state'])
    .execute();
  // Times one by one (a median needs each value); the overview covers a bounded window. Orders
  // from before code_received_at existed have no time and are only counted.
  const timed = await db
    .selectFrom('activations as a')
    .innerJoin('upstreams as u', 'u.id', 'a.upstream_id')
    .select(['u.name', 'a.upstream_service', 'a.created_at', 'a.code_received_at'])
    .where('a.line', '=', line)
    .where('a.created_at', '>=', since)
    .where('a.code_received_at', 'is not', null)
    .execute();
  return [
    ...settled.map((r) => ({
      line,
      upstream: r.name,
      service: r.upstream_service,
      settled: Number(r.n),
      delivered: r.state === 'code_received' || r.state === 'finished' ? Number(r.n) : 0,
      timesMs: [],
    })),
    ...timed.map((a) => ({
      line,
      upstream: a.name,
      service: a.upstream_service,
      settled: 0,
      delivered: 0,
      timesMs: [Number(a.code_received_at) - a.created_at],
    })),
  ];
}

/** Upstream cost per day of the orders that were not refunded. */
export async function activationUpstreamCosts(
  db: Executor,
  line: ActivationLine,
  since: number,
): Promise<DayCost[]> {
  const dayOf = createdDay();
  const rows = await db
    .selectFrom('activations')
    .select([
      dayOf.as('d'),
      'upstream_id',
      (eb) => eb.fn.sum<number | string>('upstream_cost_micros').as('c'),
    ])
    .where('line', '=', line)
    .where('created_at', '>=', since)
    .where('state', 'in', ['active', 'code_received', 'finished'])
    .groupBy([dayOf, 'upstream_id'])
    .execute();
  return toDayCosts(rows);
}

/** How one upstream did on one catalogue entry: settled orders, those with a code, code times. */
export interface RouteFigures {
  upstreamId: number;
  settled: number;
  delivered: number;
  timesMs: number[];
}

/**
 * The figures routing by `best` ranks upstreams with: the settled SMS OTP orders of one catalogue
 * entry (`{ ref: 'type:1/country:61/service:101' }`), or of every entry under a prefix
 * (`{ prefix: 'type:1/' }`, the console's view of a type), since `since`, per upstream.
 */
export async function routeFigures(
  db: Executor,
  entry: { ref: string } | { prefix: string },
  since: number,
): Promise<RouteFigures[]> {
  return [...tally(await settledOrders(db, entry, since)).values()];
}

/** The same figures for each entry under a prefix: catalogue ref → its upstreams' figures. */
export async function routeFiguresPerEntry(
  db: Executor,
  prefix: string,
  since: number,
): Promise<Map<string, RouteFigures[]>> {
  const byRef = new Map<string, SettledOrder[]>();
  for (const row of await settledOrders(db, { prefix }, since)) {
    const rows = byRef.get(row.catalog_ref) ?? [];
    rows.push(row);
    byRef.set(row.catalog_ref, rows);
  }
  return new Map([...byRef].map(([ref, rows]) => [ref, [...tally(rows).values()]]));
}

interface SettledOrder {
  catalog_ref: string;
  upstream_id: number;
  state: string;
  created_at: number;
  code_received_at: number | string | null;
}

function settledOrders(
  db: Executor,
  entry: { ref: string } | { prefix: string },
  since: number,
): Promise<SettledOrder[]> {
  return db
    .selectFrom('activations')
    .select(['catalog_ref', 'upstream_id', 'state', 'created_at', 'code_received_at'])
    .$if('ref' in entry, (qb) => qb.where('catalog_ref', '=', (entry as { ref: string }).ref))
    .$if('prefix' in entry, (qb) =>
      qb.where('catalog_ref', 'like', `${(entry as { prefix: string }).prefix}%`),
    )
    .where('created_at', '>=', since)
    .where('state', 'in', ['code_received', 'finished', 'cancelled', 'expired'])
    .execute();
}

/** Per upstream: orders settled, those that got a code, and how long each code took. */
function tally(rows: SettledOrder[]): Map<number, RouteFigures> {
  const figures = new Map<number, RouteFigures>();
  for (const row of rows) {
    let entry = figures.get(row.upstream_id);
    if (!entry) {
      entry = { upstreamId: row.upstream_id, settled: 0, delivered: 0, timesMs: [] };
      figures.set(row.upstream_id, entry);
    }
    entry.settled++;
    if (row.state === 'code_received' || row.state === 'finished') entry.delivered++;
    if (row.code_received_at !== null) entry.timesMs.push(Number(row.code_received_at) - row.created_at);
  }
  return figures;
}
