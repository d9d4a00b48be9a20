import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Executor } from '../db/database.js';

/**
 * The secret in an upstream's push URL (`/webhooks/upstream/<id>/<token>`). Only its SHA-256 is
 * stored, as for customer API keys: minting shows it once (`otpget upstream push-url`), and a
 * database reader cannot forge pushes. A push is only a hint (the order is read back from the
 * upstream before anything changes), so the token guards our upstream quota, not money.
 */
export function hashPushToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new token for an upstream, replacing any earlier one (which stops working at once). */
export async function mintPushToken(db: Executor, upstreamId: number, now: number): Promise<string> {
  const token = randomBytes(24).toString('base64url');
  await db
    .updateTable('upstreams')
    .set({ push_token_hash: hashPushToken(token), push_token_issued_at: now, updated_at: now })
    .where('id', '=', upstreamId)
    .execute();
  return token;
}

/** Turns push off for an upstream: its URL stops working. */
export async function revokePushToken(db: Executor, upstreamId: number, now: number): Promise<void> {
  await db
    .updateTable('upstreams')
    .set({ push_token_hash: null, push_token_issued_at: null, updated_at: now })
    .where('id', '=', upstreamId)
    .execute();
}

/** Whether `token` is the upstream's current push token (compared in constant time). */
export function pushTokenMatches(storedHash: string | null, token: string): boolean {
  if (storedHash === null || token.length === 0 || token.length > 200) return false;
  const given = Buffer.from(hashPushToken(token), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return given.length === stored.length && timingSafeEqual(given, stored);
}

/** The path an upstream posts to; the URL is this behind OTPGET_PUBLIC_URL. */
export function pushPath(upstreamId: number, token: string): string {
  return `/webhooks/upstream/${upstreamId}/${token}`;
}
