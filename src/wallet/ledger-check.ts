import { sql } from 'kysely';
import type { Executor } from '../db/database.js';

/** A finding of the invariant check, readable by an operator. */
export interface LedgerProblem {
  accountId?: number;
  message: string;
}

/**
 * One invariant over orders and money. Each product line adds its own (e.g. "every cancelled
 * activation was refunded exactly once") to the list `otpget ledger check` runs.
 */
export type InvariantCheck = (db: Executor) => Promise<LedgerProblem[]>;

/** For every account, balance must equal the sum of its ledger entries. */
export const balancesMatchLedger: InvariantCheck = async (db) => {
  const rows = await db
    .selectFrom('accounts as a')
    .leftJoin('ledger_entries as l', 'l.account_id', 'a.id')
    .select(['a.id', 'a.balance', sql<string | number | null>`sum(l.amount)`.as('total')])
    .groupBy(['a.id', 'a.balance'])
    .execute();
  const problems: LedgerProblem[] = [];
  for (const row of rows) {
    // PostgreSQL sums bigint into numeric, which arrives as a string.
    const total = row.total === null ? 0 : Number(row.total);
    if (total !== row.balance) {
      problems.push({
        accountId: row.id,
        message: `account ${row.id}: balance ${row.balance} paisa but ledger sums to ${total}`,
      });
    }
  }
  return problems;
};

/** Every entry's balance_after must be reachable: no account may ever have gone negative. */
export const noNegativeBalances: InvariantCheck = async (db) => {
  const rows = await db
    .selectFrom('ledger_entries')
    .select(['id', 'account_id'])
    .where('balance_after', '<', 0)
    .limit(20)
    .execute();
  return rows.map((r) => ({
    accountId: r.account_id,
    message: `ledger entry ${r.id} left a negative balance`,
  }));
};

/** Runs the checks in order; `onProgress` hears after each how many of them have run. */
export async function runInvariantChecks(
  db: Executor,
  checks: InvariantCheck[],
  onProgress: (done: number, total: number) => void = () => {},
): Promise<LedgerProblem[]> {
  const problems: LedgerProblem[] = [];
  for (const [index, check] of checks.entries()) {
    problems.push(...(await check(db)));
    onProgress(index + 1, checks.length);
  }
  return problems;
}
