import { activationJobs } from '../activations/activation-jobs.js';
import type { AppContext } from '../app-context.js';
import { smsPriceSyncJob } from '../catalog/sms-prices.js';
import { emailOrdersJob } from '../emails/email-jobs.js';
import { idempotencyCleanupJob } from '../idempotency/idempotency.js';
import { upstreamCallPruneJob } from '../providers/upstream-call-prune-job.js';
import { buildRentalJobs } from '../rentals/rental-jobs.js';
import { simPoolJobs } from '../sim-pool/sim-pool-jobs.js';
import { webhookDeliveriesJob, webhookLogCleanupJob } from '../webhooks/webhook-delivery.js';
import type { Job } from './worker.js';

/**
 * Every background job of every product line, in one place, so a missing or doubled job is
 * visible here and checked at start.
 */
export function buildJobs(ctx: AppContext): Job[] {
  return [
    ...activationJobs(ctx),
    smsPriceSyncJob(ctx),
    ...buildRentalJobs(ctx),
    emailOrdersJob(ctx),
    ...simPoolJobs(ctx),
    webhookDeliveriesJob(ctx),
    webhookLogCleanupJob(ctx),
    idempotencyCleanupJob(ctx),
    upstreamCallPruneJob(ctx),
  ];
}
