import { sql } from 'kysely';
import type { AppContext } from '../app-context.js';
import { recordWebhookDelivery } from '../metrics/counters.js';
import { claimDueRows } from '../orders/leases.js';
import type { Job } from '../workers/worker.js';
import { checkDestination } from './webhook-destination.js';
import { eventBody, signPayload } from './webhooks.service.js';

/** Deliveries are retried for this long after the event; then they are marked failed. */
export const RETRY_FOR_MS = 24 * 3600_000;
/** First retry after 30 s, doubling, at most an hour apart: about 30 attempts in a day. */
export function retryDelayMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3600_000);
}
/** A receiver gets this long to answer. */
const SEND_TIMEOUT_MS = 10_000;
/** Longer than a send, so a delivery is never sent twice at once. */
const LEASE_MS = 30_000;
const BATCH = 50;
const PARALLEL = 8;

interface DueDelivery {
  id: number;
  webhook_id: number;
  event_type: string;
  payload: string;
  attempts: number;
  created_at: number;
}

/** What one attempt found: the receiver's status (null when unreachable) and whether it was a 2xx. */
export interface AttemptResult {
  ok: boolean;
  status: number | null;
  error: string | null;
}

/** Leases due pending deliveries with the engine's one claim (several workers at once: each row goes to one). */
function claimDueDeliveries(ctx: AppContext, now: number): Promise<DueDelivery[]> {
  return claimDueRows<DueDelivery>(
    ctx.db,
    {
      table: 'webhook_deliveries',
      now,
      leaseMs: LEASE_MS,
      limit: BATCH,
      dueColumn: 'next_attempt_at',
      where: sql`state = 'pending'`,
    },
    ['id', 'webhook_id', 'event_type', 'payload', 'attempts', 'created_at'],
  );
}

/**
 * POSTs the stored body, signed, to the webhook's URL: its host resolved and checked once, the
 * connection made to that checked address only, no redirect followed. The error kept for the
 * customer's log is a category, never the network's own message.
 */
async function post(
  ctx: AppContext,
  url: string,
  secret: string,
  delivery: { id: number; event_type: string; payload: string },
  now: number,
): Promise<AttemptResult> {
  const timestamp = Math.floor(now / 1000);
  const destination = await checkDestination(ctx.webhookNetwork, url, ctx.config.webhooksAllowPrivate);
  if (destination.kind === 'refused') {
    return { ok: false, status: null, error: `not sent: ${destination.problem}` };
  }
  try {
    const status = await ctx.webhookNetwork.post(destination.target, {
      timeoutMs: SEND_TIMEOUT_MS,
      headers: {
        'content-type': 'application/json',
        'user-agent': 'otpget-webhooks/1',
        'x-otpget-event': delivery.event_type,
        'x-otpget-delivery': String(delivery.id),
        'x-otpget-timestamp': String(timestamp),
        'x-otpget-signature': signPayload(secret, timestamp, delivery.payload),
      },
      body: delivery.payload,
    });
    const ok = status >= 200 && status < 300;
    return { ok, status, error: ok ? null : `HTTP ${status}` };
  } catch (error) {
    const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
    return { ok: false, status: null, error: timedOut ? 'no answer in time' : 'could not connect' };
  }
}

/** One attempt of one leased delivery, and its outcome stored (delivered, retry later, or failed). */
export async function attemptDelivery(ctx: AppContext, delivery: DueDelivery): Promise<AttemptResult> {
  const hook = await ctx.db
    .selectFrom('webhooks')
    .select(['url', 'secret', 'enabled'])
    .where('id', '=', delivery.webhook_id)
    .executeTakeFirst();
  const now = ctx.clock.now();
  const result: AttemptResult =
    hook && hook.enabled === 1
      ? await post(ctx, hook.url, hook.secret, delivery, now)
      : { ok: false, status: null, error: 'webhook removed' };
  const attempts = delivery.attempts + 1;
  const after = ctx.clock.now();
  const givingUp = !result.ok && (hook?.enabled !== 1 || after - delivery.created_at >= RETRY_FOR_MS);
  await ctx.db
    .updateTable('webhook_deliveries')
    .set({
      state: result.ok ? 'delivered' : givingUp ? 'failed' : 'pending',
      attempts,
      last_status: result.status,
      last_error: result.error,
      lease_until: null,
      next_attempt_at: result.ok || givingUp ? after : after + retryDelayMs(attempts),
      delivered_at: result.ok ? after : null,
    })
    .where('id', '=', delivery.id)
    .where('state', '=', 'pending')
    .execute();
  // 'failed' is an attempt that will be retried; 'gave_up' ends the delivery.
  recordWebhookDelivery(result.ok ? 'delivered' : givingUp ? 'gave_up' : 'failed');
  return result;
}

/** Finished deliveries stay in the customer's log this long. */
export const DELIVERY_LOG_RETENTION_MS = 30 * 24 * 3600_000;

/** Removes finished deliveries past the log's retention (pending ones are never removed). */
export function webhookLogCleanupJob(ctx: AppContext): Job {
  return {
    name: 'webhook-log-cleanup',
    intervalMs: 10 * 60_000,
    async run() {
      await ctx.db
        .deleteFrom('webhook_deliveries')
        .where('state', 'in', ['delivered', 'failed'])
        .where('created_at', '<', ctx.clock.now() - DELIVERY_LOG_RETENTION_MS)
        .execute();
    },
  };
}

/** Sends what is due: stored deliveries survive restarts, the lease keeps processes from sending one twice. */
export function webhookDeliveriesJob(ctx: AppContext): Job {
  return {
    name: 'webhook-deliveries',
    intervalMs: ctx.config.workerIntervalMs,
    async run(signal) {
      const due = await claimDueDeliveries(ctx, ctx.clock.now());
      for (let i = 0; i < due.length && !signal.aborted; i += PARALLEL) {
        await Promise.all(
          due.slice(i, i + PARALLEL).map((delivery) =>
            attemptDelivery(ctx, delivery).catch((error: unknown) => {
              ctx.log.error({ err: error, delivery: delivery.id }, 'webhook delivery failed unexpectedly');
            }),
          ),
        );
      }
    },
  };
}

/**
 * The customer's "send a test event": stores a `webhook.test` delivery and attempts it at once (a
 * failure is retried like any delivery, so the log shows what the receiver did).
 */
export async function sendTestEvent(
  ctx: AppContext,
  accountId: number,
  webhookId: number,
): Promise<(AttemptResult & { deliveryId: number }) | null> {
  const hook = await ctx.db
    .selectFrom('webhooks')
    .select('id')
    .where('id', '=', webhookId)
    .where('account_id', '=', accountId)
    .where('enabled', '=', 1)
    .executeTakeFirst();
  if (!hook) return null;
  const now = ctx.clock.now();
  const payload = eventBody('webhook.test', now, {
    details: { message: 'This is a test event from otpget.' },
  });
  const row = await ctx.db
    .insertInto('webhook_deliveries')
    .values({
      webhook_id: webhookId,
      account_id: accountId,
      event_type: 'webhook.test',
      payload,
      state: 'pending',
      attempts: 0,
      next_attempt_at: now,
      // Leased by us from the start, so a worker does not send it at the same moment.
      lease_until: now + LEASE_MS,
      last_status: null,
      last_error: null,
      created_at: now,
      delivered_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const result = await attemptDelivery(ctx, {
    id: row.id,
    webhook_id: webhookId,
    event_type: 'webhook.test',
    payload,
    attempts: 0,
    created_at: now,
  });
  return { ...result, deliveryId: row.id };
}

/** The account's latest deliveries, newest first (optionally of one webhook). */
export async function listDeliveries(
  ctx: AppContext,
  accountId: number,
  webhookId: number | null,
  limit = 50,
) {
  let query = ctx.db
    .selectFrom('webhook_deliveries')
    .select([
      'id',
      'webhook_id',
      'event_type',
      'state',
      'attempts',
      'last_status',
      'last_error',
      'created_at',
      'delivered_at',
      'next_attempt_at',
    ])
    .where('account_id', '=', accountId);
  if (webhookId !== null) query = query.where('webhook_id', '=', webhookId);
  return query.orderBy('id', 'desc').limit(limit).execute();
}
