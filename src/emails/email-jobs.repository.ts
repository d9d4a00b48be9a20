import { sql } from 'kysely';
import type { Dialect, Executor } from '../db/database.js';
import { claimDue } from '../orders/leases.js';
import type { OrderRef } from '../orders/order-store.js';
import { type EmailOrder, emailOrderRef, toOrder } from './email-orders.repository.js';
import type { EmailOrderState } from './email-tables.js';

interface ClaimInput {
  now: number;
  leaseMs: number;
  limit: number;
}

/**
 * Claims purchases whose reply is lost: `pending` orders past the reconcile time they were
 * reserved with (the engine's one rule, src/orders/reconcile.ts), for the reconciler to refund.
 */
export async function claimLostEmailPurchases(db: Executor, input: ClaimInput): Promise<OrderRef[]> {
  const ids = await claimDue(db, { table: 'email_orders', ...input, where: sql`state = 'pending'` });
  return (await findClaimed(db, ids)).map(emailOrderRef);
}

/**
 * Claims due mailboxes (waiting or received) for this worker, with the engine's one lease claim.
 *
 * A waiting order on the sandbox is due only when its sandbox order has news (a letter, an
 * automatic letter whose time came, a status change) or its lifetime is over: the sandbox is our
 * own tables, so one query finds those, instead of asking about every mailbox every second.
 */
export async function claimDueEmailOrders(
  db: Executor,
  dialect: Dialect,
  input: ClaimInput,
): Promise<EmailOrder[]> {
  // Another upstream's ids need not be numbers, and PostgreSQL may cast before it filters.
  const upstreamOrderId = sql.ref('email_orders.upstream_order_id');
  const sandboxId =
    dialect === 'postgres'
      ? sql`(case when ${upstreamOrderId} ~ '^[0-9]{1,18}$' then cast(${upstreamOrderId} as bigint) end)`
      : sql`cast(${upstreamOrderId} as integer)`;
  // A sandbox order with nothing new: still active, no automatic letter due, no letter waiting.
  const quietSandboxOrder = sql`exists (
      select 1 from upstreams u
      join sandbox_orders s on s.id = ${sandboxId}
      where u.id = email_orders.upstream_id and u.protocol = 'sandbox' and s.status = 'active'
        and (s.auto_deliver_at is null or s.auto_deliver_at > ${input.now})
        and not exists (select 1 from sandbox_messages m where m.sandbox_order_id = s.id))`;
  const ids = await claimDue(db, {
    table: 'email_orders',
    ...input,
    where: sql`state in ('waiting', 'received') and (
      state <> 'waiting' or expires_at <= ${input.now} or not ${quietSandboxOrder})`,
  });
  return findClaimed(db, ids);
}

/** The claimed rows, earliest due first (the claim returns ids in no order). */
async function findClaimed(db: Executor, ids: number[]): Promise<EmailOrder[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .selectFrom('email_orders')
    .selectAll()
    .where('id', 'in', ids)
    .orderBy('next_check_at')
    .orderBy('id')
    .execute();
  return rows.map(toOrder);
}

/**
 * Gives a claimed order back. When it is still in `state`, it is due again at `nextCheckAt`; a
 * transition made meanwhile (by this worker or a customer's cancel) already set its own schedule.
 */
export async function releaseEmailOrder(
  db: Executor,
  id: number,
  still: { state: EmailOrderState; nextCheckAt: number | null },
): Promise<void> {
  await db
    .updateTable('email_orders')
    .set({ next_check_at: still.nextCheckAt })
    .where('id', '=', id)
    .where('state', '=', still.state)
    .execute();
  await db.updateTable('email_orders').set({ lease_until: null }).where('id', '=', id).execute();
}
