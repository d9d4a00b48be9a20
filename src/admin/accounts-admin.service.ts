import { randomUUID } from 'node:crypto';
import {
  type Account,
  findAccount,
  insertApiKey,
  revokeApiKeys,
  setAccountStatus,
} from '../accounts/accounts.repository.js';
import { createAccountIn } from '../accounts/accounts.service.js';
import { generateApiKey, hashApiKey, keyPrefix } from '../accounts/api-keys.js';
import type { Authenticator } from '../accounts/authenticator.js';
import type { Executor } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { formatPkr } from '../shared/money.js';
import { AccountNotFoundError, postLedgerEntry, type StatementLine } from '../wallet/wallet.repository.js';
import { type Actor, inAuditedTransaction, writeAudit } from './audit.repository.js';

/** What the console's account operations need from the application. */
export interface AccountAdminDeps {
  db: Executor;
  clock: Clock;
  auth: Authenticator;
}

const snapshot = (a: Account) => ({
  id: a.id,
  name: a.name,
  email: a.email,
  status: a.status,
  balance: a.balance,
});

export async function createAccountAsOperator(
  deps: AccountAdminDeps,
  actor: Actor,
  input: { name: string | null; email: string | null; openingBalance: number },
): Promise<{ account: Account; apiKey: string }> {
  return inAuditedTransaction(deps.db, { actor, now: deps.clock.now() }, async (trx) => {
    const created = await createAccountIn(trx, deps.clock.now(), input);
    const id = created.account.id;
    const audit = {
      action: 'account.create',
      target: `account:${id}`,
      before: null,
      after: snapshot(created.account),
    };
    return { result: created, audit };
  });
}

/**
 * Credits (positive) or debits (negative) an account by hand, through the ledger like every money
 * movement, with the audit row in the same transaction. The reference makes it happen at most
 * once: a repeated payment reference is refused by the ledger's unique (kind, reference).
 */
export async function adjustAsOperator(
  deps: AccountAdminDeps,
  actor: Actor,
  input: { accountId: number; amount: number; reference: string | null; note: string | null },
): Promise<{ balance: number; reference: string }> {
  const reference = input.reference ?? `admin:${randomUUID()}`;
  const now = deps.clock.now();
  const balance = await deps.db.transaction().execute(async (trx) => {
    const before = await findAccount(trx, input.accountId);
    if (!before) throw new AccountNotFoundError(`account ${input.accountId} not found`);
    const balance = await postLedgerEntry(trx, {
      accountId: input.accountId,
      amount: input.amount,
      // The same kinds as `otpget account credit/debit` (adjustBalance).
      kind: input.amount > 0 ? 'topup' : 'manual_debit',
      reference,
      note: input.note,
      now,
    });
    await writeAudit(trx, {
      actor,
      action: input.amount > 0 ? 'account.credit' : 'account.debit',
      target: `account:${input.accountId}`,
      before: { balance: before.balance },
      after: { balance, amount: input.amount, reference, note: input.note },
      now,
    });
    return balance;
  });
  return { balance, reference };
}

/** Blocks or unblocks; the authenticator forgets its cache so this process refuses the key at once. */
export async function setStatusAsOperator(
  deps: AccountAdminDeps,
  actor: Actor,
  accountId: number,
  status: 'active' | 'blocked',
): Promise<{ changed: boolean; account: Account }> {
  const now = deps.clock.now();
  const result = await deps.db.transaction().execute(async (trx) => {
    const before = await findAccount(trx, accountId);
    if (!before) throw new AccountNotFoundError(`account ${accountId} not found`);
    const changed = await setAccountStatus(trx, accountId, status, now);
    const after = { ...before, status };
    if (changed) {
      await writeAudit(trx, {
        actor,
        action: status === 'blocked' ? 'account.block' : 'account.unblock',
        target: `account:${accountId}`,
        before: { status: before.status },
        after: { status },
        now,
      });
    }
    return { changed, account: after };
  });
  deps.auth.forget();
  return result;
}

/** Revokes every key of the account and issues a new one (returned once), audited in the same transaction. */
export async function rotateKeyAsOperator(
  deps: AccountAdminDeps,
  actor: Actor,
  accountId: number,
): Promise<string> {
  const apiKey = generateApiKey();
  const now = deps.clock.now();
  await deps.db.transaction().execute(async (trx) => {
    if (!(await findAccount(trx, accountId)))
      throw new AccountNotFoundError(`account ${accountId} not found`);
    await revokeApiKeys(trx, accountId, now);
    await insertApiKey(trx, { accountId, keyHash: hashApiKey(apiKey), keyPrefix: keyPrefix(apiKey), now });
    await writeAudit(trx, {
      actor,
      action: 'account.rotate_key',
      target: `account:${accountId}`,
      before: null,
      // Only the prefix: the audit log must never hold a usable key.
      after: { keyPrefix: keyPrefix(apiKey) },
      now,
    });
  });
  deps.auth.forget();
  return apiKey;
}

function csvField(value: string): string {
  // Quote everything that could break a row, and defuse spreadsheet formulas in free text.
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-\d/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The statement as CSV, oldest first, amounts in PKR with two decimals. */
export function statementCsv(lines: StatementLine[]): string {
  const header = 'id,time_utc,kind,reference,amount_pkr,balance_after_pkr,note';
  const rows = [...lines]
    .sort((a, b) => a.id - b.id)
    .map((l) =>
      [
        String(l.id),
        new Date(l.createdAt).toISOString(),
        l.kind,
        l.reference,
        formatPkr(l.amount),
        formatPkr(l.balanceAfter),
        l.note ?? '',
      ]
        .map(csvField)
        .join(','),
    );
  return `${[header, ...rows].join('\r\n')}\r\n`;
}
