import { sql } from 'kysely';
import type { InvariantCheck, LedgerProblem } from '../wallet/ledger-check.js';

/**
 * Money invariants of activations (both lines), run by `otpget ledger check`:
 * - a paid order has exactly one debit of its price; an order still live or delivered
 *   (pending, active, code_received, finished) has no refund; an order that ended without a
 *   delivered code (cancelled, expired, failed) has exactly one refund of its price;
 * - a free order has no ledger entries at all;
 * - no activation ledger entry points at an order that does not exist;
 * - no order stays pending long after its purchase (the reconciler settles those).
 */

const REFUNDED = ['cancelled', 'expired', 'failed'];
const STALE_PENDING_MS = 30 * 60_000;
const LIMIT = 50;

export const activationMoneyMatches: InvariantCheck = async (db) => {
  const rows = await db
    .selectFrom('activations as a')
    .leftJoin('ledger_entries as l', (join) =>
      join
        .on('l.kind', 'in', ['order_debit', 'order_refund'])
        .on('l.reference', '=', sql<string>`'activation:' || a.id`),
    )
    .select([
      'a.id',
      'a.account_id',
      'a.state',
      'a.price_paisa',
      sql<string | number>`count(case when l.kind = 'order_debit' then 1 end)`.as('debits'),
      sql<string | number>`coalesce(sum(case when l.kind = 'order_debit' then l.amount end), 0)`.as(
        'debited',
      ),
      sql<string | number>`count(case when l.kind = 'order_refund' then 1 end)`.as('refunds'),
      sql<string | number>`coalesce(sum(case when l.kind = 'order_refund' then l.amount end), 0)`.as(
        'refunded',
      ),
      sql<string | number>`count(case when l.account_id <> a.account_id then 1 end)`.as('foreign'),
    ])
    .groupBy(['a.id', 'a.account_id', 'a.state', 'a.price_paisa'])
    .execute();
  const problems: LedgerProblem[] = [];
  for (const row of rows) {
    // PostgreSQL returns counts and sums of bigint as strings.
    const debits = Number(row.debits);
    const refunds = Number(row.refunds);
    const price = row.price_paisa;
    const expectDebits = price > 0 ? 1 : 0;
    const expectRefunds = price > 0 && REFUNDED.includes(row.state) ? 1 : 0;
    const wrong: string[] = [];
    if (debits !== expectDebits || Number(row.debited) !== -price * expectDebits)
      wrong.push(`${debits} debit(s) totalling ${row.debited}`);
    if (refunds !== expectRefunds || Number(row.refunded) !== price * expectRefunds)
      wrong.push(`${refunds} refund(s) totalling ${row.refunded}`);
    if (Number(row.foreign) > 0) wrong.push('entries on another account');
    if (wrong.length > 0) {
      problems.push({
        accountId: row.account_id,
        message: `activation ${row.id} (${row.state}, price ${price}): ${wrong.join(', ')}`,
      });
      if (problems.length >= LIMIT) break;
    }
  }
  return problems;
};

export const activationLedgerEntriesHaveOrders: InvariantCheck = async (db) => {
  const rows = await db
    .selectFrom('ledger_entries as l')
    // Join on the id parsed from the reference, so the activation is found by its primary key
    // (joining on the built string scans every activation per entry). The CASE keeps PostgreSQL
    // from casting other lines' references.
    .leftJoin('activations as a', (join) =>
      join.on(
        'a.id',
        '=',
        sql<number>`case when l.reference like 'activation:%' then cast(substr(l.reference, 12) as bigint) end`,
      ),
    )
    .select(['l.id', 'l.account_id', 'l.reference'])
    .where('l.kind', 'in', ['order_debit', 'order_refund'])
    .where('l.reference', 'like', 'activation:%')
    .where('a.id', 'is', null)
    .limit(LIMIT)
    .execute();
  return rows.map((r) => ({
    accountId: r.account_id,
    message: `ledger entry ${r.id} (${r.reference}) has no activation`,
  }));
};

export const noStalePendingActivations: InvariantCheck = async (db) => {
  const rows = await db
    .selectFrom('activations')
    .select(['id', 'account_id', 'created_at'])
    .where('state', '=', 'pending')
    .where('created_at', '<', Date.now() - STALE_PENDING_MS)
    .limit(LIMIT)
    .execute();
  return rows.map((r) => ({
    accountId: r.account_id,
    message: `activation ${r.id} is still pending ${Math.round((Date.now() - r.created_at) / 60_000)} minutes after purchase`,
  }));
};

export const activationInvariants: InvariantCheck[] = [
  activationMoneyMatches,
  activationLedgerEntriesHaveOrders,
  noStalePendingActivations,
];
