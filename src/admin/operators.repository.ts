import type { Executor } from '../db/database.js';

/** An operator user as the console shows it (never the password hash). */
export interface Operator {
  id: number;
  email: string;
  status: 'active' | 'disabled';
  createdAt: number;
}

export async function insertOperator(
  db: Executor,
  values: { email: string; passwordHash: string; now: number },
): Promise<number> {
  const row = await db
    .insertInto('operator_users')
    .values({
      email: values.email,
      password_hash: values.passwordHash,
      status: 'active',
      created_at: values.now,
      updated_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findOperatorByEmail(
  db: Executor,
  email: string,
): Promise<(Operator & { passwordHash: string }) | null> {
  const row = await db.selectFrom('operator_users').selectAll().where('email', '=', email).executeTakeFirst();
  return row
    ? {
        id: row.id,
        email: row.email,
        status: row.status,
        createdAt: row.created_at,
        passwordHash: row.password_hash,
      }
    : null;
}

export async function listOperators(db: Executor): Promise<Operator[]> {
  const rows = await db.selectFrom('operator_users').selectAll().orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, email: r.email, status: r.status, createdAt: r.created_at }));
}

export async function updateOperator(
  db: Executor,
  id: number,
  changes: { passwordHash?: string; status?: 'active' | 'disabled' },
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('operator_users')
    .set({
      ...(changes.passwordHash !== undefined ? { password_hash: changes.passwordHash } : {}),
      ...(changes.status !== undefined ? { status: changes.status } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function insertSession(
  db: Executor,
  values: { operatorId: number; tokenHash: string; now: number; expiresAt: number },
): Promise<void> {
  await db
    .insertInto('operator_sessions')
    .values({
      operator_id: values.operatorId,
      token_hash: values.tokenHash,
      created_at: values.now,
      expires_at: values.expiresAt,
      revoked_at: null,
    })
    .execute();
}

/** The active operator behind a live (unexpired, unrevoked) session token hash. */
export async function findSessionOperator(
  db: Executor,
  tokenHash: string,
  now: number,
): Promise<Operator | null> {
  const row = await db
    .selectFrom('operator_sessions as s')
    .innerJoin('operator_users as u', 'u.id', 's.operator_id')
    .select(['u.id', 'u.email', 'u.status', 'u.created_at'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', now)
    .where('u.status', '=', 'active')
    .executeTakeFirst();
  return row ? { id: row.id, email: row.email, status: row.status, createdAt: row.created_at } : null;
}

export async function revokeSession(db: Executor, tokenHash: string, now: number): Promise<void> {
  await db
    .updateTable('operator_sessions')
    .set({ revoked_at: now })
    .where('token_hash', '=', tokenHash)
    .where('revoked_at', 'is', null)
    .execute();
}

export async function revokeOperatorSessions(db: Executor, operatorId: number, now: number): Promise<void> {
  await db
    .updateTable('operator_sessions')
    .set({ revoked_at: now })
    .where('operator_id', '=', operatorId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** Removes sessions that ended long ago, so the table holds only recent logins. */
export async function deleteSessionsExpiredBefore(db: Executor, before: number): Promise<void> {
  await db.deleteFrom('operator_sessions').where('expires_at', '<', before).execute();
}

/** The same password at a new cost (login rehash), only if the hash is still the one verified. */
export async function replaceOperatorPasswordHash(
  db: Executor,
  values: { id: number; from: string; to: string; now: number },
): Promise<void> {
  await db
    .updateTable('operator_users')
    .set({ password_hash: values.to, updated_at: values.now })
    .where('id', '=', values.id)
    .where('password_hash', '=', values.from)
    .execute();
}
