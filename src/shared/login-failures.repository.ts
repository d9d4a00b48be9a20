import { sql } from 'kysely';
import type { Executor } from '../db/database.js';

/** When the subject's logins are refused until (0: not locked); expired rows count as none. */
export async function findLockedUntil(db: Executor, subject: string, now: number): Promise<number> {
  const row = await db
    .selectFrom('login_failures')
    .select('locked_until')
    .where('subject', '=', subject)
    .where('expires_at', '>=', now)
    .executeTakeFirst();
  return row ? Number(row.locked_until) : 0;
}

/**
 * Counts one more failure in one statement (concurrent failures all count); a row past its
 * `expires_at` starts again at one. Returns the count including this failure.
 */
export async function countFailure(
  db: Executor,
  values: { subject: string; now: number; expiresAt: number },
): Promise<number> {
  const row = await db
    .insertInto('login_failures')
    .values({ subject: values.subject, failures: 1, locked_until: 0, expires_at: values.expiresAt })
    .onConflict((oc) =>
      oc.column('subject').doUpdateSet({
        failures: sql<number>`case when login_failures.expires_at < ${values.now} then 1 else login_failures.failures + 1 end`,
        locked_until: sql<number>`case when login_failures.expires_at < ${values.now} then 0 else login_failures.locked_until end`,
        expires_at: sql<number>`case when login_failures.expires_at < ${values.expiresAt} then ${values.expiresAt} else login_failures.expires_at end`,
      }),
    )
    .returning('failures')
    .executeTakeFirstOrThrow();
  return Number(row.failures);
}

export async function setLock(
  db: Executor,
  values: { subject: string; lockedUntil: number; expiresAt: number },
): Promise<void> {
  await db
    .updateTable('login_failures')
    .set({ locked_until: values.lockedUntil, expires_at: values.expiresAt })
    .where('subject', '=', values.subject)
    .execute();
}

export async function deleteFailures(db: Executor, subject: string): Promise<void> {
  await db.deleteFrom('login_failures').where('subject', '=', subject).execute();
}

/** Forgets rows nobody has failed on for a while (names tried once and never again). */
export async function deleteExpiredFailures(db: Executor, now: number): Promise<void> {
  await db.deleteFrom('login_failures').where('expires_at', '<', now).execute();
}
