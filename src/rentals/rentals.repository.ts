import type { Insertable } from 'kysely';
import type { Executor } from '../db/database.js';
import type { OrderRef, OrderStore } from '../orders/order-store.js';
import { reconcileDelayMs } from '../orders/reconcile.js';
import type { PendingRow } from '../orders/reservation.js';
import type { RentalStatus, RentalsTable } from './rental-tables.js';

/** Ledger references: the unique (kind, reference) makes each debit and refund happen at most once. */
const RENTAL_REFERENCE_PREFIX = 'rental:';
export const rentalReference = (rentalId: number): string => `${RENTAL_REFERENCE_PREFIX}${rentalId}`;
export const renewalReference = (rentalId: number, seq: number): string =>
  `rental-renewal:${rentalId}:${seq}`;

export interface Rental {
  id: number;
  orderId: string;
  accountId: number;
  serverId: number;
  countryId: number;
  countryCode: string;
  durationHours: number;
  pricePaisa: number;
  upstreamId: number;
  upstreamOrderId: string | null;
  phone: string | null;
  status: RentalStatus;
  expiryTime: number | null;
  renewalCount: number;
  createdAt: number;
}

type RentalRow = {
  id: number;
  order_id: string;
  account_id: number;
  server_id: number;
  country_id: number;
  country_code: string;
  duration_hours: number;
  price_paisa: number;
  upstream_id: number;
  upstream_order_id: string | null;
  phone: string | null;
  state: RentalStatus;
  expiry_time: number | null;
  renewal_count: number;
  created_at: number;
};

const RENTAL_COLUMNS = [
  'id',
  'order_id',
  'account_id',
  'server_id',
  'country_id',
  'country_code',
  'duration_hours',
  'price_paisa',
  'upstream_id',
  'upstream_order_id',
  'phone',
  'state',
  'expiry_time',
  'renewal_count',
  'created_at',
] as const;

function toRental(r: RentalRow): Rental {
  return {
    id: r.id,
    orderId: r.order_id,
    accountId: r.account_id,
    serverId: r.server_id,
    countryId: r.country_id,
    countryCode: r.country_code,
    durationHours: r.duration_hours,
    pricePaisa: r.price_paisa,
    upstreamId: r.upstream_id,
    upstreamOrderId: r.upstream_order_id,
    phone: r.phone,
    status: r.state,
    expiryTime: r.expiry_time,
    renewalCount: r.renewal_count,
    createdAt: r.created_at,
  };
}

/** The rental line's orders for the order engine: `rental:<id>` debits and refunds. */
export const rentalStore: OrderStore<RentalStatus> = {
  line: 'rental',
  reference: (order) => rentalReference(order.id),
  async transition(trx, rentalId, from, to, now) {
    const result = await trx
      .updateTable('rentals')
      .set({
        state: to,
        updated_at: now,
        // A refunded rental is never pulled again.
        ...(to === 'failed' ? { next_check_at: null, lease_until: null } : {}),
      })
      .where('id', '=', rentalId)
      .where('state', 'in', [...from])
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },
};

export type RentalOrder = OrderRef & { orderId: string };

/** A new rental as the order engine reserves it: one plain row (see orders/reservation.ts). */
export function pendingRental(
  values: Pick<
    RentalsTable,
    | 'order_id'
    | 'account_id'
    | 'server_id'
    | 'country_id'
    | 'country_code'
    | 'duration_hours'
    | 'price_paisa'
    | 'upstream_id'
  >,
  now: number,
): PendingRow<RentalOrder> {
  const row: Insertable<RentalsTable> = {
    ...values,
    state: 'pending',
    renewal_count: 0,
    created_at: now,
    updated_at: now,
  };
  return {
    row: { table: 'rentals', values: row },
    referencePrefix: RENTAL_REFERENCE_PREFIX,
    toOrder: (inserted) => ({
      id: Number(inserted.id),
      accountId: values.account_id,
      pricePaisa: values.price_paisa,
      orderId: values.order_id,
    }),
  };
}

/** Compare-and-set pending → active with the number. False when the rental is no longer pending. */
export async function activateRental(
  db: Executor,
  rentalId: number,
  values: {
    upstreamOrderId: string;
    phone: string;
    expiryTime: number;
    upstreamExpiresAt: number;
    costMicros: number | null;
  },
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('rentals')
    .set({
      state: 'active',
      upstream_order_id: values.upstreamOrderId,
      phone: values.phone,
      expiry_time: values.expiryTime,
      first_expiry_time: values.expiryTime,
      upstream_expires_at: values.upstreamExpiresAt,
      upstream_cost_micros: values.costMicros,
      next_check_at: now,
      updated_at: now,
    })
    .where('id', '=', rentalId)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function findRental(db: Executor, rentalId: number): Promise<Rental | null> {
  const row = await db
    .selectFrom('rentals')
    .select(RENTAL_COLUMNS)
    .where('id', '=', rentalId)
    .executeTakeFirst();
  return row ? toRental(row) : null;
}

export async function findRentalByOrderId(db: Executor, orderId: string): Promise<Rental | null> {
  const row = await db
    .selectFrom('rentals')
    .select(RENTAL_COLUMNS)
    .where('order_id', '=', orderId)
    .executeTakeFirst();
  return row ? toRental(row) : null;
}

/** A customer's rentals, newest first, without the failed purchases (refunded, never delivered). */
export async function listAccountRentals(db: Executor, accountId: number): Promise<Rental[]> {
  const rows = await db
    .selectFrom('rentals')
    .select(RENTAL_COLUMNS)
    .where('account_id', '=', accountId)
    .where('state', '!=', 'failed')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toRental);
}

/**
 * Pending purchases whose reply is lost by the engine's one rule: reserved longer ago than
 * `reconcileDelayMs` of their upstream's timeout (read from the upstream row now, so an operator's
 * change of timeout applies to purchases already in flight). Pending rentals are only the few in
 * flight, so the rule is applied here rather than restated in SQL.
 */
export async function listLostRentals(db: Executor, now: number, limit: number): Promise<OrderRef[]> {
  const rows = await db
    .selectFrom('rentals')
    .innerJoin('upstreams', 'upstreams.id', 'rentals.upstream_id')
    .select([
      'rentals.id',
      'rentals.account_id',
      'rentals.price_paisa',
      'rentals.created_at',
      'upstreams.timeout_ms',
    ])
    .where('rentals.state', '=', 'pending')
    // The rule's floor: nothing younger can be due whatever the timeout.
    .where('rentals.created_at', '<=', now - reconcileDelayMs(0))
    .orderBy('rentals.id')
    .execute();
  return lostByTheRule(rows, now, limit).map((r) => ({
    id: r.id,
    accountId: r.account_id,
    pricePaisa: r.price_paisa,
  }));
}

/** Of pending orders (reserved at `created_at`, bought from an upstream with `timeout_ms`), the lost ones. */
export function lostByTheRule<R extends { created_at: number; timeout_ms: number }>(
  rows: R[],
  now: number,
  limit: number,
): R[] {
  return rows.filter((r) => r.created_at + reconcileDelayMs(r.timeout_ms) <= now).slice(0, limit);
}

/**
 * Active rentals past their expiry become expired, in one statement (safe in any number of
 * processes). A rental with a renewal in flight waits: that renewal may still extend it.
 */
export async function expireDueRentals(db: Executor, now: number): Promise<number> {
  const result = await db
    .updateTable('rentals')
    .set({ state: 'expired', updated_at: now })
    .where('state', '=', 'active')
    .where('expiry_time', '<=', now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('rental_renewals')
            .select('rental_renewals.id')
            .whereRef('rental_renewals.rental_id', '=', 'rentals.id')
            .where('rental_renewals.state', '=', 'pending'),
        ),
      ),
    )
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** Rentals for the operator's list, newest first. */
export async function listRentalsForOperator(
  db: Executor,
  filter: { accountId?: number; status?: RentalStatus; limit: number },
): Promise<Rental[]> {
  const rows = await db
    .selectFrom('rentals')
    .select(RENTAL_COLUMNS)
    .$if(filter.accountId !== undefined, (qb) => qb.where('account_id', '=', filter.accountId as number))
    .$if(filter.status !== undefined, (qb) => qb.where('state', '=', filter.status as RentalStatus))
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .execute();
  return rows.map(toRental);
}
