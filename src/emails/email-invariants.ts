import { sql } from 'kysely';
import type { InvariantCheck, LedgerProblem } from '../wallet/ledger-check.js';

/** An order still pending this long after purchase was not settled by the worker. */
const STUCK_PENDING_MS = 15 * 60_000;

/**
 * Money invariants of the temp email line, run by `otpget ledger check`:
 * - every order was debited exactly its price, once, under `order_debit` / `email:<id>`;
 * - cancelled, expired and failed orders were refunded exactly their price, once; no other order was;
 * - no email ledger entry points at an order that does not exist or belongs to another account;
 * - no order sits in `pending` long after its purchase.
 */
export const emailOrdersSettled: InvariantCheck = async (db) => {
  const problems: LedgerProblem[] = [];
  const rows = await db
    .selectFrom('email_orders as o')
    .leftJoin('ledger_entries as d', (join) =>
      join
        .on('d.kind', '=', 'order_debit')
        .on('d.reference', '=', sql<string>`${sql.lit('email:')} || cast(o.id as text)`),
    )
    .leftJoin('ledger_entries as r', (join) =>
      join
        .on('r.kind', '=', 'order_refund')
        .on('r.reference', '=', sql<string>`${sql.lit('email:')} || cast(o.id as text)`),
    )
    .select([
      'o.id',
      'o.account_id',
      'o.price_paisa as price',
      'o.state',
      'o.created_at',
      'd.amount as debit',
      'd.account_id as debit_account',
      'r.amount as refund',
      'r.account_id as refund_account',
    ])
    .execute();
  const refunding = new Set(['cancelled', 'expired', 'failed']);
  const now = Date.now();
  for (const row of rows) {
    const label = `email order ${row.id} (${row.state})`;
    const found = (message: string) =>
      problems.push({ accountId: row.account_id, message: `${label}: ${message}` });
    if (row.debit === null) found('was never debited');
    else if (row.debit !== -row.price || row.debit_account !== row.account_id)
      found(`debit ${row.debit} on account ${row.debit_account} does not match price ${row.price}`);
    if (refunding.has(row.state)) {
      if (row.refund === null) found('was not refunded');
      else if (row.refund !== row.price || row.refund_account !== row.account_id)
        found(`refund ${row.refund} on account ${row.refund_account} does not match price ${row.price}`);
    } else if (row.refund !== null) {
      found('was refunded but is not cancelled, expired or failed');
    }
    if (row.state === 'pending' && now - row.created_at > STUCK_PENDING_MS)
      found('has been pending too long');
  }
  const orphans = await db
    .selectFrom('ledger_entries as l')
    .leftJoin('email_orders as o', (join) =>
      join.on('l.reference', '=', sql<string>`${sql.lit('email:')} || cast(o.id as text)`),
    )
    .select(['l.id', 'l.account_id', 'l.reference'])
    .where('l.kind', 'in', ['order_debit', 'order_refund'])
    .where('l.reference', 'like', 'email:%')
    .where('o.id', 'is', null)
    .limit(20)
    .execute();
  for (const o of orphans) {
    problems.push({
      accountId: o.account_id,
      message: `ledger entry ${o.id} (${o.reference}) has no email order`,
    });
  }
  return problems;
};
