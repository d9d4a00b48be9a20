import { type RawBuilder, sql } from 'kysely';
import type { Dialect, Executor } from '../db/database.js';
import { claimDueRows } from '../orders/leases.js';
import type { ActivationState } from './activation-tables.js';

/**
 * The worker's SQL: claiming due orders with the engine's one lease claim (orders/leases.ts), so
 * two processes never work one order at once, and the per-upstream lease of the batched poll. The lease only keeps upstream calls from doubling; money changes stay
 * compare-and-sets on the state, whoever holds the lease.
 */

/** What a job needs to work an order. */
export interface WorkItem {
  id: number;
  accountId: number;
  upstreamId: number;
  upstreamOrderId: string | null;
  upstreamService: string;
  state: ActivationState;
  pricePaisa: number;
  createdAt: number;
  expiresAt: number;
}

const WORK_COLUMNS = [
  'id',
  'account_id',
  'upstream_id',
  'upstream_order_id',
  'upstream_service',
  'state',
  'price_paisa',
  'created_at',
  'expires_at',
] as const;

type WorkRow = {
  id: number;
  account_id: number;
  upstream_id: number;
  upstream_order_id: string | null;
  upstream_service: string;
  state: ActivationState;
  price_paisa: number;
  created_at: number;
  expires_at: number;
};

function toWorkItem(r: WorkRow): WorkItem {
  return {
    id: r.id,
    accountId: r.account_id,
    upstreamId: r.upstream_id,
    upstreamOrderId: r.upstream_order_id,
    upstreamService: r.upstream_service,
    state: r.state,
    pricePaisa: r.price_paisa,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
  };
}

function claim(
  db: Executor,
  input: { now: number; leaseMs: number; limit: number; dueBefore?: number },
  where: RawBuilder<unknown>,
  dueColumn: 'next_check_at' | 'expires_at',
): Promise<WorkItem[]> {
  return claimDueRows<WorkRow>(db, { table: 'activations', ...input, dueColumn, where }, WORK_COLUMNS).then(
    (rows) => rows.map(toWorkItem),
  );
}

/**
 * Active orders of one upstream whose next poll is due (optionally only among `ids`; with
 * `dueBefore`, due by then rather than now: an upstream push reads an order ahead of its schedule).
 */
export function claimDuePolls(
  db: Executor,
  input: {
    upstreamId: number;
    now: number;
    leaseMs: number;
    limit: number;
    ids?: number[];
    dueBefore?: number;
  },
): Promise<WorkItem[]> {
  const among = input.ids ? sql` and id in (${sql.join(input.ids.length > 0 ? input.ids : [-1])})` : sql``;
  return claim(
    db,
    input,
    sql`state = 'active' and upstream_id = ${input.upstreamId}${among}`,
    'next_check_at',
  );
}

/** Live orders whose lifetime is over. */
export function claimExpiredActivations(
  db: Executor,
  input: { now: number; leaseMs: number; limit: number },
): Promise<WorkItem[]> {
  return claim(db, input, sql`state in ('active', 'code_received')`, 'expires_at');
}

/** Pending orders whose purchase never reported back by their reconcile time (next_check_at). */
export function claimStalePending(
  db: Executor,
  input: { now: number; leaseMs: number; limit: number },
): Promise<WorkItem[]> {
  return claim(db, input, sql`state = 'pending'`, 'next_check_at');
}

/** Our live (active) orders behind one upstream order id: what an upstream push names. */
export async function findActiveByUpstreamOrder(
  db: Executor,
  upstreamId: number,
  upstreamOrderId: string,
): Promise<number[]> {
  const rows = await db
    .selectFrom('activations')
    .select('id')
    .where('upstream_id', '=', upstreamId)
    .where('upstream_order_id', '=', upstreamOrderId)
    .where('state', '=', 'active')
    .execute();
  return rows.map((r) => Number(r.id));
}

/** Frees a claimed order and says when to look again. */
export async function releaseActivation(db: Executor, id: number, nextCheckAt: number | null): Promise<void> {
  await db
    .updateTable('activations')
    .set({ lease_until: null, next_check_at: nextCheckAt })
    .where('id', '=', id)
    .execute();
}

/** Frees claimed orders that had no news, in one statement, and says when to look again. */
export async function releaseActivations(db: Executor, ids: number[], nextCheckAt: number): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('activations')
    .set({ lease_until: null, next_check_at: nextCheckAt })
    .where('id', 'in', ids)
    .where('state', '=', 'active')
    .execute();
}

/**
 * Active orders on a sandbox upstream whose sandbox order has news: a message, an automatic
 * message due, or an end. The sandbox lives in our own database, so one indexed query over the
 * live orders replaces a status call per order; only the orders it returns are asked.
 */
export async function sandboxOrdersWithNews(
  db: Executor,
  dialect: Dialect,
  upstreamId: number,
  now: number,
): Promise<number[]> {
  // PostgreSQL may cast before filtering by upstream, and another upstream's ids need not be numbers.
  const upstreamOrderId = sql.ref('a.upstream_order_id');
  const sandboxId =
    dialect === 'postgres'
      ? sql<number>`(case when ${upstreamOrderId} ~ '^[0-9]{1,18}$' then cast(${upstreamOrderId} as bigint) end)`
      : sql<number>`cast(${upstreamOrderId} as integer)`;
  const rows = await db
    .selectFrom('activations as a')
    .innerJoin('sandbox_orders as s', (join) => join.on('s.id', '=', sandboxId))
    .select('a.id')
    .where('a.state', '=', 'active')
    .where('a.upstream_id', '=', upstreamId)
    .where((eb) =>
      eb.or([
        eb('s.status', '<>', 'active'),
        eb.and([eb('s.auto_deliver_at', 'is not', null), eb('s.auto_deliver_at', '<=', now)]),
        eb.exists(
          eb.selectFrom('sandbox_messages as m').select('m.id').whereRef('m.sandbox_order_id', '=', 's.id'),
        ),
      ]),
    )
    .execute();
  return rows.map((r) => r.id);
}

/** Keeps a claimed order out of every job until `until` (a back-off after an upstream failure). */
export async function holdActivation(db: Executor, id: number, until: number): Promise<void> {
  await db.updateTable('activations').set({ lease_until: until }).where('id', '=', id).execute();
}

/** Upstreams that have orders waiting for a code. */
export async function upstreamsWithActiveOrders(db: Executor): Promise<number[]> {
  const rows = await db
    .selectFrom('activations')
    .select('upstream_id')
    .distinct()
    .where('state', '=', 'active')
    .execute();
  return rows.map((r) => r.upstream_id);
}

/**
 * Every order of one upstream waiting for a code, in its slimmest form: the batched poll matches
 * them against the upstream's list each interval, so only the three columns it needs are read.
 */
export async function listActiveOrderRefs(
  db: Executor,
  upstreamId: number,
): Promise<Array<{ id: number; upstreamOrderId: string | null; createdAt: number }>> {
  const rows = await db
    .selectFrom('activations')
    .select(['id', 'upstream_order_id', 'created_at'])
    .where('state', '=', 'active')
    .where('upstream_id', '=', upstreamId)
    .execute();
  return rows.map((r) => ({ id: r.id, upstreamOrderId: r.upstream_order_id, createdAt: r.created_at }));
}

/** The work items of some orders, by id. */
export async function findWorkItems(db: Executor, ids: number[]): Promise<WorkItem[]> {
  if (ids.length === 0) return [];
  const rows = await db.selectFrom('activations').select(WORK_COLUMNS).where('id', 'in', ids).execute();
  return rows.map(toWorkItem);
}

/** Takes the batched-poll lease of an upstream until `now + leaseMs`; false when another process holds it. */
export async function claimPollLease(
  db: Executor,
  upstreamId: number,
  now: number,
  leaseMs: number,
): Promise<boolean> {
  await db
    .insertInto('activation_poll_leases')
    .values({ upstream_id: upstreamId, lease_until: 0 })
    .onConflict((oc) => oc.column('upstream_id').doNothing())
    .execute();
  const result = await db
    .updateTable('activation_poll_leases')
    .set({ lease_until: now + leaseMs })
    .where('upstream_id', '=', upstreamId)
    .where('lease_until', '<=', now)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
