import type { Executor } from '../db/database.js';

/** The customer's recent SMS activations (newest first), as the dashboard lists them. */
export async function listRecentSmsActivations(
  db: Executor,
  accountId: number,
  limit: number,
): Promise<{ publicId: string; createdAt: number }[]> {
  const rows = await db
    .selectFrom('activations')
    .select(['public_id', 'created_at'])
    .where('account_id', '=', accountId)
    .where('line', '=', 'sms')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ publicId: r.public_id, createdAt: Number(r.created_at) }));
}
