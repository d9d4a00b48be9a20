import type { Transaction } from 'kysely';
import type { Executor, InTransaction } from '../db/database.js';
import type { Schema } from '../db/schema.js';
import { postLedgerEntry } from '../wallet/wallet.repository.js';
import type { RentalStatus, RentalsTable } from './rental-tables.js';

/** Ledger references: the unique (kind, reference) makes each debit and refund happen at most once. */
export const rentalReference = (rentalId: number): string => `rental:${rentalId}`;
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
  status: RentalStatus;
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
  'status',
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
    status: r.status,
    expiryTime: r.expiry_time,
    renewalCount: r.renewal_count,
    createdAt: r.created_at,
  };
}

/**
 * The reservation: in the caller's transaction, insert the rental as pending and debit its price.
 * Throws InsufficientBalanceError (rolling both back) when the balance is short.
 */
export async function reserveRental(
  trx: Transaction<Schema>,
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
): Promise<{ rentalId: number; balanceAfter: number }> {
  const { id } = await trx
    .insertInto('rentals')
    .values({ ...values, status: 'pending', renewal_count: 0, created_at: now, updated_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const balanceAfter = await postLedgerEntry(trx, {
    accountId: values.account_id,
    amount: -values.price_paisa,
    kind: 'order_debit',
    reference: rentalReference(id),
    note: `rental ${values.order_id}`,
    now,
  });
  return { rentalId: id, balanceAfter };
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
      status: 'active',
      upstream_order_id: values.upstreamOrderId,
      phone: values.phone,
      expiry_time: values.expiryTime,
      first_expiry_time: values.expiryTime,
      upstream_expires_at: values.upstreamExpiresAt,
      upstream_cost_micros: values.costMicros,
      next_sms_check_at: now,
      updated_at: now,
    })
    .where('id', '=', rentalId)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Compare-and-set pending → failed and refund the price, in one transaction. Only the caller that
 * wins the compare-and-set refunds; returns whether it was this one. An operator's refund passes
 * `from: ['pending', 'active']` and its audit row as `alsoInTransaction` (run after a won change).
 */
export async function failRentalAndRefund(
  db: Executor,
  rental: { id: number; accountId: number; pricePaisa: number },
  now: number,
  note: string,
  options: { from?: RentalStatus[]; alsoInTransaction?: InTransaction } = {},
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const won = await failRentalAndRefundInTransaction(trx, rental, now, note, options.from ?? ['pending']);
    if (won && options.alsoInTransaction) await options.alsoInTransaction(trx);
    return won;
  });
}

/** `failRentalAndRefund` inside the caller's transaction (an operator's refund and its audit row). */
export async function failRentalAndRefundInTransaction(
  trx: Transaction<Schema>,
  rental: { id: number; accountId: number; pricePaisa: number },
  now: number,
  note: string,
  from: RentalStatus[],
): Promise<boolean> {
  const result = await trx
    .updateTable('rentals')
    .set({ status: 'failed', updated_at: now })
    .where('id', '=', rental.id)
    .where('status', 'in', from)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return false;
  await postLedgerEntry(trx, {
    accountId: rental.accountId,
    amount: rental.pricePaisa,
    kind: 'order_refund',
    reference: rentalReference(rental.id),
    note,
    now,
  });
  return true;
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
    .where('status', '!=', 'failed')
    .orderBy('id', 'desc')
    .execute();
  return rows.map(toRental);
}

/** Pending purchases created before `before`: their outcome was lost (crash, timeout). */
export async function listStalePendingRentals(
  db: Executor,
  before: number,
  limit: number,
): Promise<Rental[]> {
  const rows = await db
    .selectFrom('rentals')
    .select(RENTAL_COLUMNS)
    .where('status', '=', 'pending')
    .where('created_at', '<', before)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toRental);
}

/**
 * Active rentals past their expiry become expired, in one statement (safe in any number of
 * processes). A rental with a renewal in flight waits: that renewal may still extend it.
 */
export async function expireDueRentals(db: Executor, now: number): Promise<number> {
  const result = await db
    .updateTable('rentals')
    .set({ status: 'expired', updated_at: now })
    .where('status', '=', 'active')
    .where('expiry_time', '<=', now)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('rental_renewals')
            .select('rental_renewals.id')
            .whereRef('rental_renewals.rental_id', '=', 'rentals.id')
            .where('rental_renewals.status', '=', 'pending'),
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
    .$if(filter.status !== undefined, (qb) => qb.where('status', '=', filter.status as RentalStatus))
    .orderBy('id', 'desc')
    .limit(filter.limit)
    .execute();
  return rows.map(toRental);
}
