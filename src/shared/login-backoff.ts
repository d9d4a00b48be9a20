import type { Executor } from '../db/database.js';
import {
  countFailure,
  deleteExpiredFailures,
  deleteFailures,
  findLockedUntil,
  setLock,
} from './login-failures.repository.js';

/**
 * Per-account login backoff, on top of the per-address rate limit (which a botnet spreads
 * across addresses): after `freeFailures` wrong passwords for one login name, that name's
 * logins are refused for `firstLockMs`, doubling with each further failure up to `maxLockMs`.
 * The count starts over after `quietMs` without failures past the end of the last lock.
 *
 * It is keyed by the typed email whether or not a login has it, so a lock never tells that an
 * address is registered; a refused attempt gets the same words as a wrong password.
 */
export const LOGIN_BACKOFF = {
  freeFailures: 5,
  firstLockMs: 60_000,
  maxLockMs: 60 * 60_000,
  quietMs: 60 * 60_000,
} as const;

/** How long the failure with this number (1-based) locks the name for; 0 while still free. */
export function lockDurationMs(failures: number): number {
  const over = failures - LOGIN_BACKOFF.freeFailures;
  if (over < 0) return 0;
  return Math.min(LOGIN_BACKOFF.firstLockMs * 2 ** Math.min(over, 30), LOGIN_BACKOFF.maxLockMs);
}

/** The backoff subject of a login name: who logs in (customer, operator) and the normalised email. */
export function loginSubject(kind: 'customer' | 'operator', normalisedEmail: string): string {
  return `${kind}:${normalisedEmail}`;
}

export async function isLoginLocked(db: Executor, subject: string, now: number): Promise<boolean> {
  return (await findLockedUntil(db, subject, now)) > now;
}

export async function recordLoginFailure(db: Executor, subject: string, now: number): Promise<void> {
  // Housekeeping here, where it is rare and rate-limited: names tried once and never again.
  await deleteExpiredFailures(db, now);
  const failures = await countFailure(db, { subject, now, expiresAt: now + LOGIN_BACKOFF.quietMs });
  const lock = lockDurationMs(failures);
  if (lock > 0) {
    await setLock(db, { subject, lockedUntil: now + lock, expiresAt: now + lock + LOGIN_BACKOFF.quietMs });
  }
}

/** A successful login (or a new password) forgets the failures. */
export async function clearLoginFailures(db: Executor, subject: string): Promise<void> {
  await deleteFailures(db, subject);
}
