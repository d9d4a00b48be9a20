import type { Selectable, Transaction } from 'kysely';
import type { Database, Executor, InTransaction } from '../db/database.js';
import { createRowLookup, type RowLookup } from '../db/row-lookup.js';
import type { Schema } from '../db/schema.js';
import { observeCodeDelivery } from '../metrics/counters.js';
import { postLedgerEntry } from '../wallet/wallet.repository.js';
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
  return `activation:${id}`;
}

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
 * The reservation: inserts the pending order and debits its price in the caller's transaction.
 * Throws InsufficientBalanceError (rolling everything back) when the balance does not cover it.
 */
export async function reserveActivation(
  trx: Transaction<Schema>,
  values: PendingActivationValues,
): Promise<Row> {
  // The insert comes first so the transaction takes the write lock with its first statement (SQLite).
  const row = await trx
    .insertInto('activations')
    .values({
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
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  if (values.pricePaisa > 0) {
    await postLedgerEntry(trx, {
      accountId: values.accountId,
      amount: -values.pricePaisa,
      kind: 'order_debit',
      reference: activationReference(row.id),
      now: values.now,
    });
  }
  return row;
}

/** pending → active with the upstream's order id and number. Null when the order was no longer pending. */
export async function markActivationActive(
  db: Executor,
  id: number,
  values: {
    upstreamOrderId: string;
    phone: string;
    costMicros: number | null;
    nextCheckAt: number;
    now: number;
  },
): Promise<Activation | null> {
  const row = await db
    .updateTable('activations')
    .set({
      state: 'active',
      upstream_order_id: values.upstreamOrderId,
      phone: values.phone,
      upstream_cost_micros: values.costMicros,
      next_check_at: values.nextCheckAt,
      lease_until: null,
      updated_at: values.now,
    })
    .where('id', '=', id)
    .where('state', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
  return row ? toActivation(row) : null;
}

/** States an operator may still refund: every state that is not an end state. */
export const OPERATOR_REFUNDABLE_STATES: ActivationState[] = ['pending', 'active', 'code_received'];

/**
 * Moves an order from one of `from` to a refunded end state and refunds its price, in one
 * transaction. Only the caller whose compare-and-set wins refunds; returns whether that was us.
 * `alsoInTransaction` runs after a won change, inside the same transaction.
 */
export async function settleWithRefund(
  db: Executor,
  order: { id: number; accountId: number; pricePaisa: number },
  from: ActivationState[],
  to: 'cancelled' | 'expired' | 'failed',
  now: number,
  note: string,
  alsoInTransaction?: InTransaction,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const won = await settleWithRefundInTransaction(trx, order, from, to, now, note);
    if (won && alsoInTransaction) await alsoInTransaction(trx);
    return won;
  });
}

/** `settleWithRefund` inside the caller's transaction (an operator's refund and its audit row). */
export async function settleWithRefundInTransaction(
  trx: Transaction<Schema>,
  order: { id: number; accountId: number; pricePaisa: number },
  from: ActivationState[],
  to: 'cancelled' | 'expired' | 'failed',
  now: number,
  note: string,
): Promise<boolean> {
  const result = await trx
    .updateTable('activations')
    .set({ state: to, next_check_at: null, lease_until: null, updated_at: now })
    .where('id', '=', order.id)
    .where('state', 'in', from)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return false;
  if (order.pricePaisa > 0) {
    await postLedgerEntry(trx, {
      accountId: order.accountId,
      amount: order.pricePaisa,
      kind: 'order_refund',
      reference: activationReference(order.id),
      note,
      now,
    });
  }
  return true;
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
