import type { Insertable } from 'kysely';
import type { Executor, Trx } from '../db/database.js';
import type { OrderRef, OrderStore } from '../orders/order-store.js';
import type { PendingRow } from '../orders/reservation.js';
import type { EmailOrderState, EmailOrdersTable } from './email-tables.js';

export interface EmailOrder {
  id: number;
  accountId: number;
  server: number;
  upstreamId: number;
  serviceCode: string;
  serviceName: string;
  site: string;
  domain: string;
  price: number;
  state: EmailOrderState;
  email: string | null;
  upstreamOrderId: string | null;
  costMicros: number | null;
  code: string | null;
  expiresAt: number | null;
  nextCheckAt: number | null;
  leaseUntil: number | null;
  createdAt: number;
  updatedAt: number;
}

export interface EmailMessage {
  id: number;
  orderId: number;
  upstreamMessageId: string;
  sender: string;
  text: string;
  raw: string;
  code: string;
  link: string;
  receivedAt: number;
}

type OrderRow = { [K in keyof EmailOrdersTable]: K extends 'id' ? number : EmailOrdersTable[K] };

/** A row as the rest of the line sees it. */
export function toOrder(r: OrderRow): EmailOrder {
  return {
    id: r.id,
    accountId: r.account_id,
    server: r.server,
    upstreamId: r.upstream_id,
    serviceCode: r.service_code,
    serviceName: r.service_name,
    site: r.site,
    domain: r.domain,
    price: r.price_paisa,
    state: r.state,
    email: r.email,
    upstreamOrderId: r.upstream_order_id,
    costMicros: r.upstream_cost_micros,
    code: r.code,
    expiresAt: r.expires_at,
    nextCheckAt: r.next_check_at,
    leaseUntil: r.lease_until,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

/** The money side of an order, as the order engine settles it. */
export function emailOrderRef(order: Pick<EmailOrder, 'id' | 'accountId' | 'price'>): OrderRef {
  return { id: order.id, accountId: order.accountId, pricePaisa: order.price };
}

/** States an order never leaves: nothing is due on them any more. */
const END_STATES: ReadonlySet<EmailOrderState> = new Set(['completed', 'cancelled', 'expired', 'failed']);

type OrderChanges = Partial<Omit<EmailOrdersTable, 'id' | 'state'>> & { updated_at: number };

/**
 * The one compare-and-set of an email order's state (plus any other columns the move records):
 * the order as it now is for the one caller whose update won, null for everyone else. A move to
 * an end state also clears the worker's schedule and lease.
 */
export async function moveEmailOrder(
  db: Executor,
  id: number,
  from: readonly EmailOrderState[],
  to: EmailOrderState,
  changes: OrderChanges,
): Promise<EmailOrder | null> {
  const ending = END_STATES.has(to) ? { next_check_at: null, lease_until: null } : {};
  const row = await db
    .updateTable('email_orders')
    .set({ ...ending, ...changes, state: to })
    .where('id', '=', id)
    .where('state', 'in', [...from])
    .returningAll()
    .executeTakeFirst();
  return row ? toOrder(row) : null;
}

/** The ledger reference of an email order's debit and refund: one of each, ever (unique kind + reference). */
export function emailReference(orderId: number): string {
  return `${EMAIL_REFERENCE_PREFIX}${orderId}`;
}

const EMAIL_REFERENCE_PREFIX = 'email:';

/** The email line's orders as the order engine sees them, under the ledger reference `email:<id>`. */
export const emailOrderStore: OrderStore<EmailOrderState> = {
  line: 'email',
  reference: (order) => emailReference(order.id),
  async transition(trx: Trx, orderId, from, to, now) {
    return (await moveEmailOrder(trx, orderId, from, to, { updated_at: now })) !== null;
  },
};

/** A new email order as the order engine reserves it: one plain row (see orders/reservation.ts). */
export function pendingEmailOrder(
  values: Pick<
    EmailOrder,
    'accountId' | 'server' | 'upstreamId' | 'serviceCode' | 'serviceName' | 'site' | 'domain' | 'price'
  > & {
    /** When the reconciler may conclude the purchase's reply is lost (the engine's one rule). */
    reconcileAt: number;
    now: number;
  },
): PendingRow<OrderRef> {
  const row: Insertable<EmailOrdersTable> = {
    account_id: values.accountId,
    server: values.server,
    upstream_id: values.upstreamId,
    service_code: values.serviceCode,
    service_name: values.serviceName,
    site: values.site,
    domain: values.domain,
    price_paisa: values.price,
    state: 'pending',
    next_check_at: values.reconcileAt,
    created_at: values.now,
    updated_at: values.now,
  };
  return {
    row: { table: 'email_orders', values: row },
    referencePrefix: EMAIL_REFERENCE_PREFIX,
    toOrder: (inserted) => ({
      id: Number(inserted.id),
      accountId: values.accountId,
      pricePaisa: values.price,
    }),
  };
}

export async function findEmailOrder(db: Executor, id: number): Promise<EmailOrder | null> {
  const row = await db.selectFrom('email_orders').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toOrder(row) : null;
}

/** An order only if it belongs to the account: another customer's id reads as "not found". */
export async function findAccountEmailOrder(
  db: Executor,
  accountId: number,
  id: number,
): Promise<EmailOrder | null> {
  const row = await db
    .selectFrom('email_orders')
    .selectAll()
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row ? toOrder(row) : null;
}

export async function insertEmailMessages(
  trx: Executor,
  orderId: number,
  messages: Array<Omit<EmailMessage, 'id' | 'orderId'>>,
): Promise<void> {
  for (const m of messages) {
    await trx
      .insertInto('email_messages')
      .values({
        order_id: orderId,
        upstream_message_id: m.upstreamMessageId,
        sender: m.sender,
        text: m.text,
        raw: m.raw,
        code: m.code,
        link: m.link,
        received_at: m.receivedAt,
      })
      .onConflict((oc) => oc.columns(['order_id', 'upstream_message_id']).doNothing())
      .execute();
  }
}

export async function listEmailMessages(db: Executor, orderId: number): Promise<EmailMessage[]> {
  const rows = await db
    .selectFrom('email_messages')
    .selectAll()
    .where('order_id', '=', orderId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    orderId: r.order_id,
    upstreamMessageId: r.upstream_message_id,
    sender: r.sender,
    text: r.text,
    raw: r.raw,
    code: r.code,
    link: r.link,
    receivedAt: r.received_at,
  }));
}

export async function countAccountEmailOrders(db: Executor, accountId: number): Promise<number> {
  const row = await db
    .selectFrom('email_orders')
    .select((eb) => eb.fn.countAll().as('n'))
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** One page of an account's orders, newest first. */
export async function listAccountEmailOrders(
  db: Executor,
  accountId: number,
  page: { limit: number; offset: number },
): Promise<EmailOrder[]> {
  const rows = await db
    .selectFrom('email_orders')
    .selectAll()
    .where('account_id', '=', accountId)
    .orderBy('id', 'desc')
    .limit(page.limit)
    .offset(page.offset)
    .execute();
  return rows.map(toOrder);
}
