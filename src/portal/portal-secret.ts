import { randomBytes } from 'node:crypto';
import type { Executor } from '../db/database.js';

const SETTING_KEY = 'portal.session_secret';

/**
 * The key that signs session cookies and CSRF tokens. Generated on first use and stored in
 * settings, so every process sharing the database signs alike and sessions survive restarts.
 * Insert-if-absent then read back: two processes starting together agree on the first one stored.
 */
export async function loadPortalSecret(db: Executor, now: number): Promise<Buffer> {
  await db
    .insertInto('settings')
    .values({ key: SETTING_KEY, value: randomBytes(32).toString('base64url'), updated_at: now })
    .onConflict((oc) => oc.column('key').doNothing())
    .execute();
  const row = await db
    .selectFrom('settings')
    .select('value')
    .where('key', '=', SETTING_KEY)
    .executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'base64url');
}
