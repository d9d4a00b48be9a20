import type { AppContext } from '../app-context.js';
import type { Job } from '../workers/worker.js';
import { pruneUpstreamCalls } from './upstream-calls.repository.js';

const DAY_MS = 86_400_000;

/**
 * Deletes upstream-call log rows older than OTPGET_UPSTREAM_CALL_RETENTION_DAYS (default 7). One
 * DELETE by the started_at index; safe in any number of processes.
 */
export function upstreamCallPruneJob(ctx: AppContext): Job {
  return {
    name: 'upstream-calls.prune',
    intervalMs: 10 * 60_000,
    async run() {
      const before = ctx.clock.now() - ctx.config.upstreamCallRetentionDays * DAY_MS;
      const pruned = await pruneUpstreamCalls(ctx.db, before);
      if (pruned > 0) ctx.log.info({ pruned }, 'pruned old upstream-call log rows');
    },
  };
}
