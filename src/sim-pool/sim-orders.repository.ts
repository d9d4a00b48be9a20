import { sql } from 'kysely';
import type { Executor } from '../db/database.js';
import type { SimOrdersTable } from './sim-pool-tables.js';

/** A hand-out of one SIM to one order. */
export interface SimOrder {
  id: number;
  simId: number;
  phone: string;
  state: SimOrdersTable['state'];
  createdAt: number;
  endedAt: number | null;
}

/**
 * Opens a live order on the SIM, or returns null when another buyer holds it. The partial unique
 * index (one live order per SIM) decides the race on both databases: the loser's insert does nothing.
 */
export async function insertLiveSimOrder(db: Executor, simId: number, now: number): Promise<number | null> {
  const row = await db
    .insertInto('sim_orders')
    .values({ sim_id: simId, state: 'live', created_at: now, ended_at: null })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function findSimOrder(db: Executor, id: number): Promise<SimOrder | null> {
  const row = await db
    .selectFrom('sim_orders')
    .innerJoin('sims', 'sims.id', 'sim_orders.sim_id')
    .select([
      'sim_orders.id',
      'sim_orders.sim_id',
      'sims.phone',
      'sim_orders.state',
      'sim_orders.created_at',
      'sim_orders.ended_at',
    ])
    .where('sim_orders.id', '=', id)
    .executeTakeFirst();
  return row
    ? {
        id: row.id,
        simId: row.sim_id,
        phone: row.phone,
        state: row.state,
        createdAt: row.created_at,
        endedAt: row.ended_at,
      }
    : null;
}

/** The live order on a SIM, if any. */
export async function findLiveSimOrder(
  db: Executor,
  simId: number,
): Promise<{ id: number; createdAt: number } | null> {
  const row = await db
    .selectFrom('sim_orders')
    .select(['id', 'created_at'])
    .where('sim_id', '=', simId)
    .where('state', '=', 'live')
    .executeTakeFirst();
  return row ? { id: row.id, createdAt: row.created_at } : null;
}

/**
 * Ends a live order (compare-and-set), which frees its SIM. A cancel is refused once a message
 * is attached, as an upstream refuses to cancel a number that already received its SMS.
 */
export async function endSimOrder(
  db: Executor,
  id: number,
  state: 'finished' | 'cancelled',
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('sim_orders')
    .set({ state, ended_at: now })
    .where('id', '=', id)
    .where('state', '=', 'live')
    .$if(state === 'cancelled', (qb) =>
      qb.where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('sim_messages').select('sim_messages.id').where('sim_messages.sim_order_id', '=', id),
          ),
        ),
      ),
    )
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Live hand-outs older than `createdBefore` whose activation is no longer live (or never recorded the SIM). */
function orphanedLiveOrders(db: Executor, createdBefore: number) {
  return db
    .selectFrom('sim_orders')
    .select(['sim_orders.id', 'sim_orders.sim_id'])
    .where('sim_orders.state', '=', 'live')
    .where('sim_orders.created_at', '<', createdBefore)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('activations')
            .innerJoin('upstreams', 'upstreams.id', 'activations.upstream_id')
            .select('activations.id')
            .where('upstreams.protocol', '=', 'sim-pool')
            .where(
              'activations.upstream_order_id',
              '=',
              sql<string>`cast(${sql.ref('sim_orders.id')} as text)`,
            )
            .where('activations.state', 'in', ['pending', 'active', 'code_received']),
        ),
      ),
    );
}

/**
 * Frees SIMs whose order ended without telling the pool (a purchase whose reply was lost and was
 * refunded by the reconciler, a finish call that failed). The engine normally ends the hand-out
 * itself through cancel/finish; this is the safety net. Returns the hand-outs ended.
 */
export async function releaseOrphanedSimOrders(
  db: Executor,
  now: number,
  graceMs: number,
): Promise<number[]> {
  const orphans = await orphanedLiveOrders(db, now - graceMs).execute();
  const released: number[] = [];
  for (const orphan of orphans) {
    const result = await db
      .updateTable('sim_orders')
      .set({ state: 'cancelled', ended_at: now })
      .where('id', '=', orphan.id)
      .where('state', '=', 'live')
      .executeTakeFirst();
    if (result.numUpdatedRows > 0n) released.push(orphan.id);
  }
  return released;
}

/** Live hand-outs older than the grace whose order is over: what the release job frees. */
export async function listOrphanedSimOrders(db: Executor, now: number, graceMs: number) {
  return orphanedLiveOrders(db, now - graceMs).execute();
}
