import type { Transaction } from 'kysely';
import type { Executor } from '../db/database.js';
import type { Schema } from '../db/schema.js';

export interface CustomerLogin {
  accountId: number;
  email: string;
  passwordHash: string;
  sessionVersion: number;
}

export async function insertCustomerLogin(
  trx: Transaction<Schema>,
  values: { accountId: number; email: string; passwordHash: string; now: number },
): Promise<void> {
  await trx
    .insertInto('customer_logins')
    .values({
      account_id: values.accountId,
      email: values.email,
      password_hash: values.passwordHash,
      session_version: 1,
      created_at: values.now,
      updated_at: values.now,
    })
    .execute();
}

export async function findLoginByEmail(db: Executor, email: string): Promise<CustomerLogin | null> {
  const row = await db
    .selectFrom('customer_logins')
    .selectAll()
    .where('email', '=', email)
    .executeTakeFirst();
  return row ? toLogin(row) : null;
}

export async function findLoginByAccount(db: Executor, accountId: number): Promise<CustomerLogin | null> {
  const row = await db
    .selectFrom('customer_logins')
    .selectAll()
    .where('account_id', '=', accountId)
    .executeTakeFirst();
  return row ? toLogin(row) : null;
}

/** Ends every session of the account: cookies carry the old version and stop matching. */
export async function bumpSessionVersion(db: Executor, accountId: number, now: number): Promise<void> {
  await db
    .updateTable('customer_logins')
    .set((eb) => ({ session_version: eb('session_version', '+', 1), updated_at: now }))
    .where('account_id', '=', accountId)
    .execute();
}

function toLogin(row: { account_id: number; email: string; password_hash: string; session_version: number }) {
  return {
    accountId: Number(row.account_id),
    email: row.email,
    passwordHash: row.password_hash,
    sessionVersion: Number(row.session_version),
  };
}

/** A new password, and a new session version so every browser signed in before is signed out. */
export async function setLoginPassword(
  trx: Transaction<Schema>,
  accountId: number,
  passwordHash: string,
  now: number,
): Promise<number> {
  const row = await trx
    .updateTable('customer_logins')
    .set((eb) => ({
      password_hash: passwordHash,
      session_version: eb('session_version', '+', 1),
      updated_at: now,
    }))
    .where('account_id', '=', accountId)
    .returning('session_version')
    .executeTakeFirstOrThrow();
  return Number(row.session_version);
}

/**
 * The same password stored at a new cost (login rehash): sessions stay as they are. Only if the
 * hash is still the one just verified, so a password changed meanwhile is not put back.
 */
export async function replacePasswordHash(
  db: Executor,
  values: { accountId: number; from: string; to: string; now: number },
): Promise<void> {
  await db
    .updateTable('customer_logins')
    .set({ password_hash: values.to, updated_at: values.now })
    .where('account_id', '=', values.accountId)
    .where('password_hash', '=', values.from)
    .execute();
}
