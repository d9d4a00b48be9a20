import type { Transaction } from 'kysely';
import type { Executor } from '../db/database.js';
import type { Schema } from '../db/schema.js';
import { postLedgerEntry } from '../wallet/wallet.repository.js';
import { renewalReference } from './rentals.repository.js';

const HOUR_MS = 3_600_000;

/** A renewal that has been charged and is waiting for the upstream's answer. */
export interface PendingRenewal {
  id: number;
  rentalId: number;
  seq: number;
  accountId: number;
  durationHours: number;
  pricePaisa: number;
}

/**
 * Starts renewal number n of a live rental, in the caller's transaction: numbers it by bumping the
 * rental's renewal counter (only while the rental is active and not past its expiry, checked in the
 * same statement), records it as pending and debits it under `rental-renewal:<rental>:<n>`.
 * Returns null when the rental is not the caller's, not active or already expired.
 * Throws InsufficientBalanceError (rolling everything back) when the balance is short.
 */
export async function reserveRenewal(
  trx: Transaction<Schema>,
  values: { rentalId: number; accountId: number; durationHours: number; pricePaisa: number },
  now: number,
): Promise<{ renewal: PendingRenewal; balanceAfter: number } | null> {
  const bumped = await trx
    .updateTable('rentals')
    .set((eb) => ({ renewal_count: eb('renewal_count', '+', 1), updated_at: now }))
    .where('id', '=', values.rentalId)
    .where('account_id', '=', values.accountId)
    .where('status', '=', 'active')
    .where('expiry_time', '>', now)
    .returning('renewal_count')
    .executeTakeFirst();
  if (!bumped) return null;
  const seq = bumped.renewal_count;
  const { id } = await trx
    .insertInto('rental_renewals')
    .values({
      rental_id: values.rentalId,
      seq,
      account_id: values.accountId,
      duration_hours: values.durationHours,
      price_paisa: values.pricePaisa,
      status: 'pending',
      new_expiry: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const balanceAfter = await postLedgerEntry(trx, {
    accountId: values.accountId,
    amount: -values.pricePaisa,
    kind: 'order_debit',
    reference: renewalReference(values.rentalId, seq),
    note: `rental renewal ${seq} (+${values.durationHours} h)`,
    now,
  });
  return { renewal: { id, seq, ...values }, balanceAfter };
}

/**
 * The upstream extended: compare-and-set the renewal pending → done and, in the same transaction,
 * move the rental's expiry forward by the renewal's hours from wherever it stands now (a relative
 * update, so concurrent renewals each add their own hours exactly once). A rental the expiry job
 * closed while the upstream call was in flight is active again: it was paid before it lapsed.
 * Returns the new expiry, or null when the renewal was already settled (the reconciler refunded it).
 */
export async function completeRenewal(
  db: Executor,
  renewal: PendingRenewal,
  upstreamExpiresAt: number,
  now: number,
): Promise<number | null> {
  return db.transaction().execute(async (trx) => {
    const won = await trx
      .updateTable('rental_renewals')
      .set({ status: 'done', updated_at: now })
      .where('id', '=', renewal.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (won.numUpdatedRows === 0n) return null;
    const extended = await trx
      .updateTable('rentals')
      .set((eb) => ({
        expiry_time: eb('expiry_time', '+', renewal.durationHours * HOUR_MS),
        upstream_expires_at: upstreamExpiresAt,
        status: 'active',
        updated_at: now,
      }))
      .where('id', '=', renewal.rentalId)
      .where('status', 'in', ['active', 'expired'])
      .returning('expiry_time')
      .executeTakeFirstOrThrow();
    const newExpiry = extended.expiry_time as number;
    await trx
      .updateTable('rental_renewals')
      .set({ new_expiry: newExpiry })
      .where('id', '=', renewal.id)
      .execute();
    return newExpiry;
  });
}

/** Compare-and-set pending → failed and refund the renewal, in one transaction; true for the winner. */
export async function failRenewalAndRefund(
  db: Executor,
  renewal: PendingRenewal,
  now: number,
  note: string,
): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    const won = await trx
      .updateTable('rental_renewals')
      .set({ status: 'failed', updated_at: now })
      .where('id', '=', renewal.id)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    if (won.numUpdatedRows === 0n) return false;
    await postLedgerEntry(trx, {
      accountId: renewal.accountId,
      amount: renewal.pricePaisa,
      kind: 'order_refund',
      reference: renewalReference(renewal.rentalId, renewal.seq),
      note,
      now,
    });
    return true;
  });
}

/** Renewals still pending since before `before`: their process died or the answer was lost. */
export async function listStalePendingRenewals(
  db: Executor,
  before: number,
  limit: number,
): Promise<PendingRenewal[]> {
  const rows = await db
    .selectFrom('rental_renewals')
    .select(['id', 'rental_id', 'seq', 'account_id', 'duration_hours', 'price_paisa'])
    .where('status', '=', 'pending')
    .where('created_at', '<', before)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    rentalId: r.rental_id,
    seq: r.seq,
    accountId: r.account_id,
    durationHours: r.duration_hours,
    pricePaisa: r.price_paisa,
  }));
}
