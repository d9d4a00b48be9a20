import type { Transaction } from 'kysely';
import type { Executor } from '../db/database.js';
import type { Schema } from '../db/schema.js';

export interface PasswordLink {
  id: number;
  accountId: number;
  purpose: 'invite' | 'reset';
  email: string;
  expiresAt: number;
  usedAt: number | null;
}

export interface ResetRequest {
  id: number;
  accountId: number;
  email: string;
  requestedAt: number;
}

/** Stores a new link and voids the account's older unused ones: only the newest link works. */
export async function replacePasswordLink(
  trx: Transaction<Schema>,
  link: Omit<PasswordLink, 'id' | 'usedAt'> & { tokenHash: string; createdBy: string; now: number },
): Promise<void> {
  await trx
    .updateTable('customer_password_links')
    .set({ used_at: link.now })
    .where('account_id', '=', link.accountId)
    .where('used_at', 'is', null)
    .execute();
  await trx
    .insertInto('customer_password_links')
    .values({
      account_id: link.accountId,
      token_hash: link.tokenHash,
      purpose: link.purpose,
      email: link.email,
      created_by: link.createdBy,
      created_at: link.now,
      expires_at: link.expiresAt,
      used_at: null,
    })
    .execute();
}

export async function findPasswordLink(db: Executor, tokenHash: string): Promise<PasswordLink | null> {
  const row = await db
    .selectFrom('customer_password_links')
    .select(['id', 'account_id', 'purpose', 'email', 'expires_at', 'used_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return null;
  return {
    id: Number(row.id),
    accountId: Number(row.account_id),
    purpose: row.purpose,
    email: row.email,
    expiresAt: Number(row.expires_at),
    usedAt: row.used_at === null ? null : Number(row.used_at),
  };
}

/** Compare-and-set: true for the one request that uses the link while it is unused and unexpired. */
export async function consumePasswordLink(
  trx: Transaction<Schema>,
  id: number,
  now: number,
): Promise<boolean> {
  const result = await trx
    .updateTable('customer_password_links')
    .set({ used_at: now })
    .where('id', '=', id)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertResetRequest(
  db: Executor,
  request: { accountId: number; email: string; delivery: 'mail' | 'operator'; now: number },
): Promise<void> {
  await db
    .insertInto('password_reset_requests')
    .values({
      account_id: request.accountId,
      email: request.email,
      delivery: request.delivery,
      requested_at: request.now,
      handled_at: request.delivery === 'mail' ? request.now : null,
    })
    .execute();
}

/** Requests still waiting for the operator, oldest first. */
export async function listOpenResetRequests(db: Executor, limit = 200): Promise<ResetRequest[]> {
  const rows = await db
    .selectFrom('password_reset_requests')
    .select(['id', 'account_id', 'email', 'requested_at'])
    .where('handled_at', 'is', null)
    .orderBy('requested_at')
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    accountId: Number(r.account_id),
    email: r.email,
    requestedAt: Number(r.requested_at),
  }));
}

/** A new link answers every open request of the account. */
export async function closeResetRequests(db: Executor, accountId: number, now: number): Promise<void> {
  await db
    .updateTable('password_reset_requests')
    .set({ handled_at: now })
    .where('account_id', '=', accountId)
    .where('handled_at', 'is', null)
    .execute();
}

/**
 * Whether the account already has a request that makes a new one pointless: one still waiting for
 * the operator, or a mailed link sent since `mailedSince` (so a form cannot flood a mailbox).
 */
export async function hasPendingResetRequest(
  db: Executor,
  accountId: number,
  mailedSince: number,
): Promise<boolean> {
  const row = await db
    .selectFrom('password_reset_requests')
    .select('id')
    .where('account_id', '=', accountId)
    .where((eb) =>
      eb.or([
        eb.and([eb('delivery', '=', 'operator'), eb('handled_at', 'is', null)]),
        eb.and([eb('delivery', '=', 'mail'), eb('requested_at', '>', mailedSince)]),
      ]),
    )
    .executeTakeFirst();
  return row !== undefined;
}
