import type { Transaction } from 'kysely';
import type { Executor } from '../db/database.js';
import type { Schema } from '../db/schema.js';

export interface Account {
  id: number;
  name: string | null;
  email: string | null;
  status: 'active' | 'blocked';
  balance: number;
  createdAt: number;
}

function toAccount(row: {
  id: number;
  name: string | null;
  email: string | null;
  status: 'active' | 'blocked';
  balance: number;
  created_at: number;
}): Account {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    status: row.status,
    balance: row.balance,
    createdAt: row.created_at,
  };
}

export async function insertAccount(
  trx: Transaction<Schema>,
  values: { name: string | null; email: string | null; now: number },
): Promise<number> {
  const row = await trx
    .insertInto('accounts')
    .values({
      name: values.name,
      email: values.email,
      status: 'active',
      balance: 0,
      created_at: values.now,
      updated_at: values.now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function findAccount(db: Executor, id: number): Promise<Account | null> {
  const row = await db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toAccount(row) : null;
}

export async function listAccounts(
  db: Executor,
  options: { limit: number; offset: number; search?: string },
): Promise<Account[]> {
  const search = options.search ? `%${options.search.toLowerCase()}%` : null;
  const rows = await db
    .selectFrom('accounts')
    .selectAll()
    .$if(search !== null, (qb) =>
      qb.where((eb) =>
        eb.or([
          eb(eb.fn('lower', ['email']), 'like', search as string),
          eb(eb.fn('lower', ['name']), 'like', search as string),
        ]),
      ),
    )
    .orderBy('id')
    .limit(options.limit)
    .offset(options.offset)
    .execute();
  return rows.map(toAccount);
}

/** Compare-and-set of the status; returns whether it changed. */
export async function setAccountStatus(
  db: Executor,
  id: number,
  status: 'active' | 'blocked',
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('accounts')
    .set({ status, updated_at: now })
    .where('id', '=', id)
    .where('status', '<>', status)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function insertApiKey(
  db: Executor,
  values: { accountId: number; keyHash: string; keyPrefix: string; now: number },
): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({
      account_id: values.accountId,
      key_hash: values.keyHash,
      key_prefix: values.keyPrefix,
      created_at: values.now,
      revoked_at: null,
    })
    .execute();
}

export async function revokeApiKeys(db: Executor, accountId: number, now: number): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ revoked_at: now })
    .where('account_id', '=', accountId)
    .where('revoked_at', 'is', null)
    .execute();
}

/** The account a live key belongs to, with its status: the per-request authentication query. */
export async function findAccountByKeyHash(
  db: Executor,
  keyHash: string,
): Promise<{ accountId: number; status: 'active' | 'blocked' } | null> {
  const row = await db
    .selectFrom('api_keys as k')
    .innerJoin('accounts as a', 'a.id', 'k.account_id')
    .select(['a.id', 'a.status'])
    .where('k.key_hash', '=', keyHash)
    .where('k.revoked_at', 'is', null)
    .executeTakeFirst();
  return row ? { accountId: row.id, status: row.status } : null;
}
