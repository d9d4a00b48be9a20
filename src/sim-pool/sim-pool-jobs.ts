import type { AppContext } from '../app-context.js';
import type { InvariantCheck } from '../wallet/ledger-check.js';
import type { Job } from '../workers/worker.js';
import { listOrphanedSimOrders, releaseOrphanedSimOrders } from './sim-orders.repository.js';

/**
 * How long a hand-out may exist without a live order before the SIM is taken back: far longer
 * than the moment between the pool handing out a SIM and the engine recording it.
 */
export const ORPHAN_GRACE_MS = 5 * 60_000;

/** Frees SIMs held by hand-outs whose order is over; safe in several processes (compare-and-set). */
export function simPoolJobs(ctx: AppContext): Job[] {
  return [
    {
      name: 'sim-pool.release-orphans',
      intervalMs: Math.max(ctx.config.workerIntervalMs, 30_000),
      async run() {
        const released = await releaseOrphanedSimOrders(ctx.db, ctx.clock.now(), ORPHAN_GRACE_MS);
        if (released.length > 0) ctx.log.warn({ simOrders: released }, 'freed SIMs held by ended orders');
      },
    },
  ];
}

/** `otpget ledger check`: no SIM is held by an order that ended (beyond the release job's grace). */
export const noSimHeldByEndedOrder: InvariantCheck = async (db) => {
  // Twice the grace: the release job runs every 30 s, so anything older was missed, not pending.
  const rows = await listOrphanedSimOrders(db, Date.now(), 2 * ORPHAN_GRACE_MS);
  return rows.map((r) => ({
    message: `SIM ${r.sim_id} is still held by hand-out ${r.id} whose order is over`,
  }));
};
