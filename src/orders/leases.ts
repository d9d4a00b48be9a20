import { type RawBuilder, sql } from 'kysely';
import type { Executor } from '../db/database.js';

/** Tables whose rows background jobs claim. */
export type LeasedTable = 'activations' | 'email_orders' | 'rentals' | 'webhook_deliveries';

export interface DueClaim {
  table: LeasedTable;
  now: number;
  /** How long the claimer holds the rows: longer than any upstream call it makes for them. */
  leaseMs: number;
  limit: number;
  /** The column saying when a row is next due (default `next_check_at`). */
  dueColumn?: string;
  /** A row is due when its due column is at or before this (default `now`). */
  dueBefore?: number;
  /** More conditions a due row must meet (e.g. sql`state in ('active')`); ANDed to the rest. */
  where?: RawBuilder<unknown>;
}

/**
 * The one claim every background job uses: `UPDATE … SET lease = now + leaseMs WHERE id IN (due
 * rows whose lease is free, earliest due first, up to limit) AND lease is free AND where RETURNING
 * id`. The lease check and `where` are repeated on the outer update: PostgreSQL re-checks only
 * the outer condition on the row version it waited for, so of two processes claiming at once only
 * one gets each row, and a row whose state changed meanwhile (a delivery just sent) is skipped. A lease is free when it is
 * null or already over (`lease < now`). The claim leaves the due time alone: a worker that dies
 * mid-work leaves its rows due again once the lease is over. Returns the claimed ids, in no
 * particular order (RETURNING keeps none).
 *
 * The lease only keeps upstream calls from doubling; money still moves by compare-and-set on the
 * order's state, whoever holds the lease.
 */
export async function claimDue(db: Executor, claim: DueClaim): Promise<number[]> {
  const rows = await claimDueRows<{ id: number }>(db, claim, ['id']);
  return rows.map((row) => Number(row.id));
}

/**
 * `claimDue` returning the claimed rows' `columns` in the same statement (one round trip for a
 * job that works what it claims). `Row` is the caller's type for those columns.
 */
export async function claimDueRows<Row>(
  db: Executor,
  claim: DueClaim,
  columns: readonly string[],
): Promise<Row[]> {
  const table = sql.table(claim.table);
  const due = sql.ref(claim.dueColumn ?? 'next_check_at');
  const lease = sql.ref('lease_until');
  const leaseFree = sql`(${lease} is null or ${lease} < ${claim.now})`;
  const extra = claim.where ? sql`and (${claim.where})` : sql``;
  const returning = sql.join(columns.map((column) => sql.ref(column)));
  const result = await sql<Row>`
    update ${table} set ${lease} = ${claim.now + claim.leaseMs}
    where id in (
      select id from ${table}
      where ${due} <= ${claim.dueBefore ?? claim.now} and ${leaseFree} ${extra}
      order by ${due}
      limit ${claim.limit}
    ) and ${leaseFree} ${extra}
    returning ${returning}`.execute(db);
  return result.rows;
}
