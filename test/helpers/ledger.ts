import assert from 'node:assert/strict';
import type { AppContext } from '../../src/app-context.js';
import { ledgerInvariants } from '../../src/wallet/invariants.js';
import { runInvariantChecks } from '../../src/wallet/ledger-check.js';

/** One ledger entry as the money tests compare them. */
export interface LedgerLine {
  kind: string;
  reference: string;
  amount: number;
}

/** An account's ledger, oldest first. */
export function ledgerOf(ctx: Pick<AppContext, 'db'>, accountId: number): Promise<LedgerLine[]> {
  return ctx.db
    .selectFrom('ledger_entries')
    .select(['kind', 'reference', 'amount'])
    .where('account_id', '=', accountId)
    .orderBy('id')
    .execute();
}

/** An account's balance in paisa. */
export async function balanceOf(ctx: Pick<AppContext, 'db'>, accountId: number): Promise<number> {
  const row = await ctx.db
    .selectFrom('accounts')
    .select('balance')
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  return row.balance;
}

/** Runs every invariant of `otpget ledger check` over the app's product lines; asserts none is broken. */
export async function assertLedgerClean(ctx: Pick<AppContext, 'db' | 'lines'>): Promise<void> {
  assert.deepEqual(
    await runInvariantChecks(ctx.db, ledgerInvariants(ctx.lines)),
    [],
    'ledger check is clean',
  );
}
