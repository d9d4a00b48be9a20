import type { AppContext } from '../app-context.js';
import { idempotencyCleanupJob } from '../idempotency/idempotency.js';
import { upstreamCallPruneJob } from '../providers/upstream-call-prune-job.js';
import { webhookDeliveriesJob, webhookLogCleanupJob } from '../webhooks/webhook-delivery.js';
import type { Job } from './worker.js';

/**
 * Every background job in one place, so a missing or doubled job is visible here and checked at
 * start: each registered product line's jobs, then the core's.
 */
export function buildJobs(ctx: AppContext): Job[] {
  return [
    ...ctx.lines.jobs(ctx),
    webhookDeliveriesJob(ctx),
    webhookLogCleanupJob(ctx),
    idempotencyCleanupJob(ctx),
    upstreamCallPruneJob(ctx),
  ];
}
