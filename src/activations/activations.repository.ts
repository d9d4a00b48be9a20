import type { Insertable, Selectable } from 'kysely';
import { compiledOnce } from '../db/compiled-once.js';
import type { Database, Executor, Trx } from '../db/database.js';
import { createRowLookup, type RowLookup } from '../db/row-lookup.js';
import { observeCodeDelivery } from '../metrics/counters.js';
import type { OrderRef, OrderStore } from '../orders/order-store.js';
import type { PendingRow } from '../orders/reservation.js';
import { settle, settleNow } from '../orders/settlement.js';
import type { ActivationState, ActivationsTable } from './activation-tables.js';
import type { Activation, ActivationLine } from './activation-types.js';

/** All SQL of the activation engine. Every state change is a compare-and-set on the current state. */

type Row = Selectable<ActivationsTable>;

export function toActivation(row: Row): Activation {
  return {
    id: row.id,
    publicId: row.public_id,
    line: row.line,
    accountId: row.account_id,
    upstreamId: row.upstream_id,
    upstreamOrderId: row.upstream_order_id,
    phone: row.phone,
    state: row.state,
    pricePaisa: row.price_paisa,
    code: row.code,
    smsText: row.sms_text,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    cancelAllowedAt: row.cancel_allowed_at,
    catalogRef: row.catalog_ref,
  };
}

/** The ledger reference of an activation's debit and refund. */
export function activationReference(id: number): string {
  return `${ACTIVATION_REFERENCE_PREFIX}${id}`;
}

const ACTIVATION_REFERENCE_PREFIX = 'activation:';

export interface PendingActivationValues {
  publicId: string;
  line: ActivationLine;
  accountId: number;
  upstreamId: number;
  upstreamCountry: string;
  upstreamService: string;
  catalogRef: string;
  pricePaisa: number;
  now: number;
  expiresAt: number;
  cancelAllowedAt: number;
  /** When the reconciler may settle the order if the purchase never reports back. */
  reconcileAt: number;
}

/**
 * A new activation as the order engine reserves it: one plain `pending` row (orders/reservation.ts
 * debits it in the same statement or transaction), due for the reconciler at `reconcileAt`.
 */
export function pendingActivation(values: PendingActivationValues): PendingRow<Activation> {
  const row: Insertable<ActivationsTable> = {
    public_id: values.publicId,
    line: values.line,
    account_id: values.accountId,
    upstream_id: values.upstreamId,
    upstream_order_id: null,
    upstream_country: values.upstreamCountry,
    upstream_service: values.upstreamService,
    upstream_cost_micros: null,
    catalog_ref: values.catalogRef,
    phone: null,
    state: 'pending',
    price_paisa: values.pricePaisa,
    code: null,
    sms_text: null,
    code_received_at: null,
    created_at: values.now,
    expires_at: values.expiresAt,
    cancel_allowed_at: values.cancelAllowedAt,
    next_check_at: values.reconcileAt,
    lease_until: null,
    updated_at: values.now,
  };
  return {
    row: { table: 'activations', values: row },
    referencePrefix: ACTIVATION_REFERENCE_PREFIX,
    toOrder: (inserted) => toActivation(inserted as Row),
  };
}

/**
 * Points a pending activation at a later route whose reply was lost (failover), so the order names
 * the upstream that may have sold. False when it is no longer pending.
 */
export async function routePendingActivation(
  db: Executor,
  id: number,
  route: { upstreamId: number; upstreamCountry: string; upstreamService: string },
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('activations')
    .set({
      upstream_id: route.upstreamId,
      upstream_country: route.upstreamCountry,
      upstream_service: route.upstreamService,
      updated_at: now,
    })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** pending → active with the upstream's order id and number. Null when the order was no longer pending. */
export async function markActivationActive(
  db: Executor,
  id: number,
  values: {
    /** The route that sold, when a purchase failed over from the one the order was reserved on. */
    route?: { upstreamId: number; upstreamCountry: string; upstreamService: string };
    upstreamOrderId: string;
    phone: string;
    costMicros: number | null;
    nextCheckAt: number;
    now: number;
  },
): Promise<Activation | null> {
  const result = values.route
    ? await activateOnRoute(db, { id, ...values, ...values.route })
    : await activate(db, { id, ...values });
  const row = result.rows[0];
  return row ? toActivation(row) : null;
}

type Activated = {
  id: number;
  upstreamOrderId: string;
  phone: string;
  costMicros: number | null;
  nextCheckAt: number;
  now: number;
};

/** The compare-and-set pending → active of every purchase, compiled once (see markActivationActive). */
function activation(db: Executor, v: Activated) {
  return db
    .updateTable('activations')
    .set({
      state: 'active',
      upstream_order_id: v.upstreamOrderId,
      phone: v.phone,
      upstream_cost_micros: v.costMicros,
      next_check_at: v.nextCheckAt,
      lease_until: null,
      updated_at: v.now,
    })
    .where('id', '=', v.id)
    .where('state', '=', 'pending')
    .returningAll();
}

const activate = compiledOnce(activation);
/** The same for a purchase that failed over: the route that sold replaces the one reserved on. */
const activateOnRoute = compiledOnce(
  (db, v: Activated & { upstreamId: number; upstreamCountry: string; upstreamService: string }) =>
    activation(db, v).set({
      upstream_id: v.upstreamId,
      upstream_country: v.upstreamCountry,
      upstream_service: v.upstreamService,
    }),
);

/** States an operator may still refund: every state that is not an end state. */
export const OPERATOR_REFUNDABLE_STATES: ActivationState[] = ['pending', 'active', 'code_received'];

/**
 * The activation table as the order engine sees it. A move to an end state also clears the
 * worker's due time and lease: nothing is left to do for the order.
 */
export const activationStore: OrderStore<ActivationState> = {
  line: 'activation',
  reference: (order) => activationReference(order.id),
  async transition(trx, id, from, to, now) {
    const result = await trx
      .updateTable('activations')
      .set({ state: to, next_check_at: null, lease_until: null, updated_at: now })
      .where('id', '=', id)
      .where('state', 'in', [...from])
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },
};

/** Ends a live order refunded (cancel, expiry, gone upstream) in its own transaction; true for the winner. */
export async function refundActivation(
  db: Executor,
  order: OrderRef,
  from: ActivationState[],
  to: 'cancelled' | 'expired' | 'failed',
  now: number,
  note: string,
): Promise<boolean> {
  return (await settleNow(db, activationStore, order, { from, to, now, refund: true, note })).won;
}

/**
 * An operator's refund, in the caller's transaction (which also writes the audit row): any state
 * that is not an end state → cancelled, refunded once. False when the order had already ended.
 */
export async function refundActivationByOperator(
  trx: Trx,
  order: OrderRef,
  now: number,
  note: string,
): Promise<boolean> {
  const settled = await settle(trx, activationStore, order, {
    from: OPERATOR_REFUNDABLE_STATES,
    to: 'cancelled',
    now,
    refund: true,
    note,
  });
  return settled.won;
}

/** active → code_received with the code and the message it came from. */
export async function recordActivationCode(
  db: Executor,
  id: number,
  values: { code: string; smsText: string; now: number },
): Promise<boolean> {
  const result = await db
    .updateTable('activations')
    .set({
      state: 'code_received',
      code: values.code,
      sms_text: values.smsText,
      code_received_at: values.now,
      next_check_at: null,
      lease_until: null,
      updated_at: values.now,
    })
    .where('id', '=', id)
    .where('state', '=', 'active')
    .returning(['line', 'created_at'])
    .executeTakeFirst();
  if (result) observeCodeDelivery(result.line, result.created_at, values.now);
  return result !== undefined;
}

/** code_received → finished (completed by the customer, or by expiry after the code came). */
export async function markActivationFinished(db: Executor, id: number, now: number): Promise<boolean> {
  const result = await db
    .updateTable('activations')
    .set({ state: 'finished', next_check_at: null, lease_until: null, updated_at: now })
    .where('id', '=', id)
    .where('state', '=', 'code_received')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** A customer's order by public id; null for unknown ids and for other customers' or the other line's. */
export async function findCustomerActivationRow(
  db: Executor,
  accountId: number,
  line: ActivationLine,
  publicId: string,
): Promise<(Activation & { upstreamService: string }) | null> {
  const row = await db
    .selectFrom('activations')
    .selectAll()
    .where('public_id', '=', publicId)
    .executeTakeFirst();
  return row && row.account_id === accountId && row.line === line
    ? { ...toActivation(row), upstreamService: row.upstream_service }
    : null;
}

/**
 * getStatus's one read: the state and code of a customer's order. Looked up by the unique public
 * id alone (one index probe, through the database's row lookup for hot reads); ownership is
 * compared in memory.
 */
export async function findActivationStatus(
  database: Database,
  accountId: number,
  line: ActivationLine,
  publicId: string,
): Promise<{ state: ActivationState; code: string | null } | null> {
  const row = await statusLookup(database)(publicId);
  return row && Number(row.account_id) === accountId && row.line === line
    ? { state: row.state, code: row.code }
    : null;
}

type StatusRow = { account_id: number; line: ActivationLine; state: ActivationState; code: string | null };
const statusLookups = new WeakMap<Database, RowLookup<StatusRow>>();

function statusLookup(database: Database): RowLookup<StatusRow> {
  let lookup = statusLookups.get(database);
  if (!lookup) {
    lookup = createRowLookup<StatusRow>(database, {
      table: 'activations',
      key: 'public_id',
      columns: ['account_id', 'line', 'state', 'code'],
    });
    statusLookups.set(database, lookup);
  }
  return lookup;
}

export async function findActivationById(db: Executor, id: number): Promise<Activation | null> {
  const row = await db.selectFrom('activations').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toActivation(row) : null;
}

/** The upstream order behind a public id (for `otpget sandbox deliver`). */
export async function findUpstreamOrderByPublicId(
  db: Executor,
  publicId: string,
): Promise<{ upstreamId: number; upstreamOrderId: string } | null> {
  const row = await db
    .selectFrom('activations')
    .select(['upstream_id', 'upstream_order_id'])
    .where('public_id', '=', publicId)
    .executeTakeFirst();
  return row?.upstream_order_id
    ? { upstreamId: row.upstream_id, upstreamOrderId: row.upstream_order_id }
    : null;
}
