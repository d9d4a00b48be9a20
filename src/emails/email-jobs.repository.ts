import { sql } from 'kysely';
import type { Dialect, Executor } from '../db/database.js';
import { type EmailOrder, toOrder } from './email-orders.repository.js';
import type { EmailOrderState } from './email-tables.js';

/**
 * Claims due orders for this worker: each claim is a compare-and-set on the lease, so two
 * processes polling at the same moment never work the same order. The claim leaves next_check_at
 * alone, so a worker that dies mid-work leaves the order due again once the lease is over.
 *
 * A waiting order on the sandbox is due only when its sandbox order has news (a letter, an
 * automatic letter whose time came, a status change) or its lifetime is over: the sandbox is our
 * own tables, so one query finds those, instead of asking about every mailbox every second.
 */
export async function claimDueEmailOrders(
  db: Executor,
  dialect: Dialect,
  input: { now: number; leaseMs: number; limit: number },
): Promise<EmailOrder[]> {
  // Another upstream's ids need not be numbers, and PostgreSQL may cast before it filters.
  const upstreamOrderId = sql.ref('o.upstream_order_id');
  const sandboxId =
    dialect === 'postgres'
      ? sql<number>`(case when ${upstreamOrderId} ~ '^[0-9]{1,18}$' then cast(${upstreamOrderId} as bigint) end)`
      : sql<number>`cast(${upstreamOrderId} as integer)`;
  const candidates = await db
    .selectFrom('email_orders as o')
    .innerJoin('upstreams as u', 'u.id', 'o.upstream_id')
    .leftJoin('sandbox_orders as s', (join) =>
      join.on((eb) => eb.and([eb('u.protocol', '=', 'sandbox'), eb('s.id', '=', sandboxId)])),
    )
    .select('o.id')
    .where('o.state', 'in', ['pending', 'waiting', 'received'])
    .where('o.next_check_at', '<=', input.now)
    .where((eb) => eb.or([eb('o.lease_until', 'is', null), eb('o.lease_until', '<', input.now)]))
    .where((eb) =>
      eb.or([
        eb('o.state', '<>', 'waiting'),
        eb('u.protocol', '<>', 'sandbox'),
        eb('o.expires_at', '<=', input.now),
        eb('s.id', 'is', null),
        eb('s.status', '<>', 'active'),
        eb.and([eb('s.auto_deliver_at', 'is not', null), eb('s.auto_deliver_at', '<=', input.now)]),
        eb.exists(
          eb.selectFrom('sandbox_messages as m').select('m.id').whereRef('m.sandbox_order_id', '=', 's.id'),
        ),
      ]),
    )
    .orderBy('o.next_check_at')
    .limit(input.limit)
    .execute();
  const claimed: EmailOrder[] = [];
  for (const { id } of candidates) {
    const row = await db
      .updateTable('email_orders')
      .set({ lease_until: input.now + input.leaseMs })
      .where('id', '=', id)
      .where('next_check_at', '<=', input.now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', input.now)]))
      .returningAll()
      .executeTakeFirst();
    if (row) claimed.push(toOrder(row));
  }
  return claimed;
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
