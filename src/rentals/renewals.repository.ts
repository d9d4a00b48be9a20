import type { Executor, Trx } from '../db/database.js';
import type { OrderRef, OrderStore } from '../orders/order-store.js';
import { reconcileDelayMs } from '../orders/reconcile.js';
import type { RenewalStatus } from './rental-tables.js';
import { lostByTheRule, renewalReference } from './rentals.repository.js';

const HOUR_MS = 3_600_000;

/** A renewal reserved (charged) and waiting for, or settled after, the upstream's answer. */
export interface RenewalOrder extends OrderRef {
  rentalId: number;
  seq: number;
  durationHours: number;
}

/** The renewal's own guard refused it: the rental is not the caller's, not active, or expired. */
export class RenewalRefusedError extends Error {
  override name = 'RenewalRefusedError';
}

/**
 * The renewals' orders for the order engine. A renewal's ledger reference names its rental and
 * its number (`rental-renewal:<rental>:<seq>`), not the renewal row's id.
 */
export const renewalStore: OrderStore<RenewalStatus, RenewalOrder> = {
  line: 'rental-renewal',
  reference: (renewal) => renewalReference(renewal.rentalId, renewal.seq),
  async transition(trx, renewalId, from, to, now) {
    const result = await trx
      .updateTable('rental_renewals')
      .set({ state: to, updated_at: now })
      .where('id', '=', renewalId)
      .where('state', 'in', [...from])
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },
};

/**
 * The renewal's reservation insert, in the engine's reservation transaction: numbers renewal n by
 * bumping the rental's renewal counter — only while the rental is the caller's, active and not
 * past its expiry, checked in the same statement — and records it as pending. Throws
 * RenewalRefusedError (rolling the reservation back, nothing charged) when that guard refuses.
 */
export async function insertPendingRenewal(
  trx: Trx,
  values: { rentalId: number; accountId: number; durationHours: number; pricePaisa: number },
  now: number,
): Promise<RenewalOrder> {
  const bumped = await trx
    .updateTable('rentals')
    .set((eb) => ({ renewal_count: eb('renewal_count', '+', 1), updated_at: now }))
    .where('id', '=', values.rentalId)
    .where('account_id', '=', values.accountId)
    .where('state', '=', 'active')
    .where('expiry_time', '>', now)
    .returning('renewal_count')
    .executeTakeFirst();
  if (!bumped) throw new RenewalRefusedError(`rental ${values.rentalId} cannot be renewed now`);
  const seq = bumped.renewal_count;
  const { id } = await trx
    .insertInto('rental_renewals')
    .values({
      rental_id: values.rentalId,
      seq,
      account_id: values.accountId,
      duration_hours: values.durationHours,
      price_paisa: values.pricePaisa,
      state: 'pending',
      new_expiry: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id, seq, ...values };
}

/**
 * The upstream extended: compare-and-set the renewal pending → done and, atomically with it, move
 * the rental's expiry forward by the renewal's hours from wherever it stands now (a relative
 * update, so concurrent renewals each add their own hours exactly once). A rental the expiry job
 * closed while the upstream call was in flight is active again: it was paid before it lapsed.
 * Returns the new expiry, or null when the renewal was already settled (the reconciler refunded it).
 * Runs in `db`'s transaction when it is one (the purchase path's group commit), else in its own.
 */
export async function completeRenewal(
  db: Executor,
  renewal: RenewalOrder,
  upstreamExpiresAt: number,
  now: number,
): Promise<number | null> {
  const run = async (trx: Executor): Promise<number | null> => {
    const won = await trx
      .updateTable('rental_renewals')
      .set({ state: 'done', updated_at: now })
      .where('id', '=', renewal.id)
      .where('state', '=', 'pending')
      .executeTakeFirst();
    if (won.numUpdatedRows === 0n) return null;
    const extended = await trx
      .updateTable('rentals')
      .set((eb) => ({
        expiry_time: eb('expiry_time', '+', renewal.durationHours * HOUR_MS),
        upstream_expires_at: upstreamExpiresAt,
        state: 'active',
        updated_at: now,
      }))
      .where('id', '=', renewal.rentalId)
      .where('state', 'in', ['active', 'expired'])
      .returning('expiry_time')
      .executeTakeFirstOrThrow();
    const newExpiry = extended.expiry_time as number;
    await trx
      .updateTable('rental_renewals')
      .set({ new_expiry: newExpiry })
      .where('id', '=', renewal.id)
      .execute();
    return newExpiry;
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}

const RENEWAL_COLUMNS = [
  'rental_renewals.id',
  'rental_renewals.rental_id',
  'rental_renewals.seq',
  'rental_renewals.account_id',
  'rental_renewals.duration_hours',
  'rental_renewals.price_paisa',
] as const;

function toRenewal(r: {
  id: number;
  rental_id: number;
  seq: number;
  account_id: number;
  duration_hours: number;
  price_paisa: number;
}): RenewalOrder {
  return {
    id: r.id,
    rentalId: r.rental_id,
    seq: r.seq,
    accountId: r.account_id,
    durationHours: r.duration_hours,
    pricePaisa: r.price_paisa,
  };
}

/**
 * Pending renewals whose reply is lost by the engine's one rule (`reconcileDelayMs` of the
 * rental upstream's timeout, from the reservation). Only the few in flight are pending, so the
 * rule is applied here rather than restated in SQL.
 */
export async function listLostRenewals(db: Executor, now: number, limit: number): Promise<RenewalOrder[]> {
  const rows = await db
    .selectFrom('rental_renewals')
    .innerJoin('rentals', 'rentals.id', 'rental_renewals.rental_id')
    .innerJoin('upstreams', 'upstreams.id', 'rentals.upstream_id')
    .select([...RENEWAL_COLUMNS, 'rental_renewals.created_at', 'upstreams.timeout_ms'])
    .where('rental_renewals.state', '=', 'pending')
    // The rule's floor: nothing younger can be due whatever the timeout.
    .where('rental_renewals.created_at', '<=', now - reconcileDelayMs(0))
    .orderBy('rental_renewals.id')
    .execute();
  return lostByTheRule(rows, now, limit).map(toRenewal);
}

/** A rental's renewals that were charged and not refunded (pending or done). */
export async function listChargedRenewals(db: Executor, rentalId: number): Promise<RenewalOrder[]> {
  const rows = await db
    .selectFrom('rental_renewals')
    .select(RENEWAL_COLUMNS)
    .where('rental_id', '=', rentalId)
    .where('state', 'in', ['pending', 'done'])
    .orderBy('seq')
    .execute();
  return rows.map(toRenewal);
}
