import type { Executor } from '../db/database.js';

/** The customer's recent activations of one line (newest first), as the dashboard lists them. */
export async function listRecentActivations(
  db: Executor,
  accountId: number,
  line: 'sms' | 'cheap',
  limit: number,
): Promise<{ publicId: string; createdAt: number }[]> {
  const rows = await db
    .selectFrom('activations')
    .select(['public_id', 'created_at'])
    .where('account_id', '=', accountId)
    .where('line', '=', line)
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({ publicId: r.public_id, createdAt: Number(r.created_at) }));
}
