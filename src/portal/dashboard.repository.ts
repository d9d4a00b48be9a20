import type { Executor } from '../db/database.js';

/** The visible start of the account's live key (e.g. `og_AbCd`), or null when it has none. */
export async function findLiveKeyPrefix(db: Executor, accountId: number): Promise<string | null> {
  const row = await db
    .selectFrom('api_keys')
    .select('key_prefix')
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row?.key_prefix ?? null;
}
