import type { Executor } from '../db/database.js';
import { listOrderUpstreamCalls } from '../providers/upstream-calls.repository.js';

/**
 * Read-only views of every product line's orders for the console. Lines own their tables and
 * every write to them; the console only reads here and changes orders through the lines' services.
 */
export type OrderLine = 'sms' | 'cheap' | 'rental' | 'email';

/** One order of any line, as the console's search lists it. */
export interface OrderSummary {
  line: OrderLine;
  /** The line's row id: `<line>/<id>` names an order in the console's URLs. */
  id: number;
  /** What the customer sees (activation id, email_id). */
  publicId: string;
  accountId: number;
  state: string;
  /** Paisa charged. */
  price: number;
  /** Phone number or email address, once known. */
  address: string | null;
  /** Catalogue entry or service. */
  item: string;
  code: string | null;
  /** When the code was recorded (activations since migration 0502); null otherwise. */
  codeAt: number | null;
  /** The upstream the order was bought from, and its order id there once known. */
  upstreamId: number;
  upstreamOrderId: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface OrderQuery {
  /** Free text: a public id, a row id, a phone number (digits) or an email address. */
  text?: string;
  accountId?: number;
  limit: number;
}

async function activationOrders(db: Executor, q: OrderQuery): Promise<OrderSummary[]> {
  const text = q.text?.trim();
  const digits = text?.replace(/^\+/, '');
  const rows = await db
    .selectFrom('activations')
    .selectAll()
    .$if(q.accountId !== undefined, (qb) => qb.where('account_id', '=', q.accountId as number))
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

async function emailOrders(db: Executor, q: OrderQuery): Promise<OrderSummary[]> {
  const text = q.text?.trim().toLowerCase();
  const rows = await db
    .selectFrom('email_orders')
    .selectAll()
    .$if(q.accountId !== undefined, (qb) => qb.where('account_id', '=', q.accountId as number))
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
    price: r.price,
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

async function rentalOrders(db: Executor, q: OrderQuery): Promise<OrderSummary[]> {
  const text = q.text?.trim();
  const digits = text?.replace(/^\+/, '');
  const rows = await db
    .selectFrom('rentals')
    .selectAll()
    .$if(q.accountId !== undefined, (qb) => qb.where('account_id', '=', q.accountId as number))
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
    state: r.status,
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

/** Orders of every line matching the query, newest first. */
export async function searchOrders(db: Executor, q: OrderQuery): Promise<OrderSummary[]> {
  const found = (
    await Promise.all([activationOrders(db, q), rentalOrders(db, q), emailOrders(db, q)])
  ).flat();
  return found.sort((a, b) => b.createdAt - a.createdAt).slice(0, q.limit);
}

export async function findOrder(db: Executor, line: OrderLine, id: number): Promise<OrderSummary | null> {
  if (line === 'email' || line === 'rental') {
    const orders = await (line === 'email' ? emailOrders : rentalOrders)(db, { text: String(id), limit: 5 });
    return orders.find((o) => o.id === id) ?? null;
  }
  const [order] = await activationOrders(db, { text: String(id), limit: 5 }).then((all) =>
    all.filter((o) => o.id === id && o.line === line),
  );
  return order ?? null;
}

/** The ledger reference the line uses for an order's debit and refund. */
export function orderLedgerReference(line: OrderLine, id: number): string {
  if (line === 'email' || line === 'rental') return `${line}:${id}`;
  return `activation:${id}`;
}

/** A moment in an order's life. */
export interface TimelineEvent {
  at: number;
  what: string;
  detail: string | null;
}

/**
 * Purchase, upstream calls, money movements, messages, operator actions and the current state, in
 * time order. Upstream calls are read from the call log (pruned after its retention period).
 */
export async function orderTimeline(db: Executor, order: OrderSummary): Promise<TimelineEvent[]> {
  const events: TimelineEvent[] = [{ at: order.createdAt, what: 'ordered', detail: order.item }];
  const ledger = await db
    .selectFrom('ledger_entries')
    .select(['kind', 'amount', 'created_at', 'note'])
    .where((eb) =>
      eb.or([
        eb('reference', '=', orderLedgerReference(order.line, order.id)),
        // A rental's renewals are charged (and refunded) as rental-renewal:<id>:<seq>.
        ...(order.line === 'rental' ? [eb('reference', 'like', `rental-renewal:${order.id}:%`)] : []),
      ]),
    )
    .execute();
  for (const l of ledger) {
    events.push({
      at: l.created_at,
      what: l.kind,
      detail: `${l.amount} paisa${l.note ? ` (${l.note})` : ''}`,
    });
  }
  const calls = await listOrderUpstreamCalls(db, {
    orderRef: orderLedgerReference(order.line, order.id),
    upstreamId: order.upstreamId,
    upstreamOrderId: order.upstreamOrderId,
  });
  for (const c of calls) {
    events.push({
      at: c.startedAt,
      what: `upstream ${c.operation}`,
      detail: `${c.outcome} in ${c.durationMs} ms${c.error ? `: ${c.error}` : ''}`,
    });
  }
  if (order.line === 'email') {
    const messages = await db
      .selectFrom('email_messages')
      .select(['sender', 'code', 'received_at'])
      .where('order_id', '=', order.id)
      .execute();
    for (const m of messages)
      events.push({ at: m.received_at, what: 'message', detail: `from ${m.sender}, code ${m.code}` });
  } else if (order.line === 'rental') {
    const messages = await db
      .selectFrom('rental_messages')
      .select(['sender', 'code', 'received_at'])
      .where('rental_id', '=', order.id)
      .execute();
    for (const m of messages) {
      events.push({
        at: m.received_at,
        what: 'message',
        detail: `from ${m.sender ?? '?'}${m.code ? `, code ${m.code}` : ''}`,
      });
    }
  } else if (order.code !== null) {
    events.push({ at: order.codeAt ?? order.updatedAt, what: 'code', detail: order.code });
  }
  const audit = await db
    .selectFrom('audit_log')
    .select(['actor', 'action', 'created_at'])
    .where('target', '=', `order:${order.line}:${order.id}`)
    .execute();
  for (const a of audit) events.push({ at: a.created_at, what: a.action, detail: `by ${a.actor}` });
  events.push({ at: order.updatedAt, what: `state ${order.state}`, detail: null });
  return events.sort((a, b) => a.at - b.at);
}
