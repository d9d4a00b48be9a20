import type { Database, Executor, Trx } from '../db/database.js';
import { createRowLookup, type RowLookup } from '../db/row-lookup.js';
import type { Clock } from '../shared/clock.js';
import { postLedgerEntry } from '../wallet/wallet.repository.js';
import {
  type Account,
  findAccount,
  insertAccount,
  insertApiKey,
  revokeApiKeys,
  setAccountStatus,
} from './accounts.repository.js';
import { generateApiKey, hashApiKey, keyPrefix } from './api-keys.js';

export interface CreatedAccount {
  account: Account;
  /** Shown once; only its hash is stored. */
  apiKey: string;
}

/**
 * Creates an account with a fresh API key and, when given, an opening balance posted through the
 * ledger, in the caller's transaction (the console's service writes its audit row in it too).
 */
export async function createAccountIn(
  trx: Trx,
  now: number,
  input: { name?: string | null; email?: string | null; openingBalance?: number },
): Promise<CreatedAccount> {
  const apiKey = generateApiKey();
  const id = await insertAccount(trx, { name: input.name ?? null, email: input.email ?? null, now });
  await insertApiKey(trx, {
    accountId: id,
    keyHash: hashApiKey(apiKey),
    keyPrefix: keyPrefix(apiKey),
    now,
  });
  if (input.openingBalance && input.openingBalance > 0) {
    await postLedgerEntry(trx, {
      accountId: id,
      amount: input.openingBalance,
      kind: 'topup',
      reference: `opening:${id}`,
      note: 'opening balance',
      now,
    });
  }
  const account = await findAccount(trx, id);
  if (!account) throw new Error(`account ${id} vanished inside its own transaction`);
  return { account, apiKey };
}

/** Creates an account (see createAccountIn) in a transaction of its own. */
export async function createAccount(
  db: Executor,
  clock: Clock,
  input: { name?: string | null; email?: string | null; openingBalance?: number },
): Promise<CreatedAccount> {
  return db.transaction().execute((trx) => createAccountIn(trx, clock.now(), input));
}

/**
 * Credits or debits an account by hand (top-ups, corrections). The reference makes the movement
 * happen at most once: repeating a top-up with the same payment reference is refused.
 */
export async function adjustBalance(
  db: Executor,
  clock: Clock,
  input: { accountId: number; amount: number; reference: string; note?: string | null },
): Promise<number> {
  const kind = input.amount > 0 ? 'topup' : 'manual_debit';
  return db.transaction().execute((trx) =>
    postLedgerEntry(trx, {
      accountId: input.accountId,
      amount: input.amount,
      kind,
      reference: input.reference,
      note: input.note ?? null,
      now: clock.now(),
    }),
  );
}

export async function blockAccount(db: Executor, clock: Clock, accountId: number): Promise<boolean> {
  return setAccountStatus(db, accountId, 'blocked', clock.now());
}

export async function unblockAccount(db: Executor, clock: Clock, accountId: number): Promise<boolean> {
  return setAccountStatus(db, accountId, 'active', clock.now());
}

/** Replaces every key of the account with a new one, returned once. */
export async function rotateApiKey(db: Executor, clock: Clock, accountId: number): Promise<string> {
  const apiKey = generateApiKey();
  const now = clock.now();
  await db.transaction().execute(async (trx) => {
    await revokeApiKeys(trx, accountId, now);
    await insertApiKey(trx, { accountId, keyHash: hashApiKey(apiKey), keyPrefix: keyPrefix(apiKey), now });
  });
  return apiKey;
}

/**
 * The account's balance in paisa (getBalance); null when there is no such account. Read like a
 * status (db/row-lookup.ts): committed data only, and every purchase is answered after its commit,
 * so a customer always reads the balance their own last purchase left.
 */
export async function readBalance(database: Database, accountId: number): Promise<number | null> {
  const row = await balanceLookup(database)(String(accountId));
  return row ? Number(row.balance) : null;
}

const balanceLookups = new WeakMap<Database, RowLookup<{ balance: number }>>();

function balanceLookup(database: Database): RowLookup<{ balance: number }> {
  let lookup = balanceLookups.get(database);
  if (!lookup) {
    lookup = createRowLookup(database, {
      table: 'accounts',
      key: 'id',
      keyType: 'integer',
      columns: ['balance'],
    });
    balanceLookups.set(database, lookup);
  }
  return lookup;
}
