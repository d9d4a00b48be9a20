import { sql } from 'kysely';
import type { Executor, Trx } from '../db/database.js';

/** One of the operator's SIM cards. */
export interface Sim {
  id: number;
  phone: string;
  label: string | null;
  deviceId: string | null;
  simSlot: number | null;
  enabled: boolean;
  lastClaimedAt: number | null;
  removedAt: number | null;
  createdAt: number;
}

/** A SIM with the live order holding it, if any. */
export interface SimWithUse extends Sim {
  liveOrderId: number | null;
}

type Row = {
  id: number;
  phone: string;
  label: string | null;
  device_id: string | null;
  sim_slot: number | null;
  enabled: number;
  last_claimed_at: number | null;
  removed_at: number | null;
  created_at: number;
};

function toSim(row: Row): Sim {
  return {
    id: row.id,
    phone: row.phone,
    label: row.label,
    deviceId: row.device_id,
    simSlot: row.sim_slot,
    enabled: row.enabled === 1,
    lastClaimedAt: row.last_claimed_at,
    removedAt: row.removed_at,
    createdAt: row.created_at,
  };
}

export async function insertSim(
  db: Executor,
  input: { phone: string; label: string | null; deviceId: string | null; simSlot: number | null },
  now: number,
): Promise<number> {
  const row = await db
    .insertInto('sims')
    .values({
      phone: input.phone,
      label: input.label,
      device_id: input.deviceId,
      sim_slot: input.simSlot,
      enabled: 1,
      last_claimed_at: null,
      removed_at: null,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** A current (not removed) SIM by id. */
export async function findSim(db: Executor, id: number): Promise<Sim | null> {
  const row = await db
    .selectFrom('sims')
    .selectAll()
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return row ? toSim(row) : null;
}

export async function findSimByPhone(db: Executor, phone: string): Promise<Sim | null> {
  const row = await db
    .selectFrom('sims')
    .selectAll()
    .where('phone', '=', phone)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return row ? toSim(row) : null;
}

/** Current SIMs registered on one gateway device. */
export async function listDeviceSims(db: Executor, deviceId: string): Promise<Sim[]> {
  const rows = await db
    .selectFrom('sims')
    .selectAll()
    .where('device_id', '=', deviceId)
    .where('removed_at', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map(toSim);
}

/** Every current SIM with the live order holding it. */
export async function listSims(db: Executor): Promise<SimWithUse[]> {
  const rows = await db
    .selectFrom('sims')
    .leftJoin('sim_orders', (join) =>
      join.onRef('sim_orders.sim_id', '=', 'sims.id').on('sim_orders.state', '=', 'live'),
    )
    .selectAll('sims')
    .select('sim_orders.id as live_order_id')
    .where('sims.removed_at', 'is', null)
    .orderBy('sims.id')
    .execute();
  return rows.map((r) => ({ ...toSim(r), liveOrderId: r.live_order_id }));
}

export async function setSimEnabled(
  db: Executor,
  id: number,
  enabled: boolean,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('sims')
    .set({ enabled: enabled ? 1 : 0, updated_at: now })
    .where('id', '=', id)
    .where('removed_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/**
 * Takes a SIM out of the pool. Refused while an order holds it; a SIM with history is marked
 * removed (its orders and messages stay readable), one never used is deleted. The check and the
 * removal must share one transaction.
 */
export async function removeSim(
  trx: Trx,
  id: number,
  now: number,
): Promise<'removed' | 'busy' | 'not_found'> {
  const busy = await trx
    .selectFrom('sim_orders')
    .select('id')
    .where('sim_id', '=', id)
    .where('state', '=', 'live')
    .executeTakeFirst();
  if (busy) return 'busy';
  const used = await trx
    .selectFrom('sim_orders')
    .select('id')
    .where('sim_id', '=', id)
    .union(trx.selectFrom('sim_messages').select('id').where('sim_id', '=', id))
    .limit(1)
    .executeTakeFirst();
  const result = used
    ? await trx
        .updateTable('sims')
        .set({ removed_at: now, enabled: 0, updated_at: now })
        .where('id', '=', id)
        .where('removed_at', 'is', null)
        .executeTakeFirst()
    : await trx.deleteFrom('sims').where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
  const changed = 'numUpdatedRows' in result ? result.numUpdatedRows : result.numDeletedRows;
  return changed > 0n ? 'removed' : 'not_found';
}

/** Enabled, current SIMs with no live order, least recently handed out first. */
export async function listFreeSims(db: Executor, limit: number): Promise<Sim[]> {
  const rows = await db
    .selectFrom('sims')
    .selectAll()
    .where('enabled', '=', 1)
    .where('removed_at', 'is', null)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('sim_orders')
            .select('sim_orders.id')
            .whereRef('sim_orders.sim_id', '=', 'sims.id')
            .where('sim_orders.state', '=', 'live'),
        ),
      ),
    )
    .orderBy(sql`coalesce(last_claimed_at, 0)`)
    .orderBy('id')
    .limit(limit)
    .execute();
  return rows.map(toSim);
}

export async function touchSimClaimed(db: Executor, id: number, now: number): Promise<void> {
  await db.updateTable('sims').set({ last_claimed_at: now }).where('id', '=', id).execute();
}
