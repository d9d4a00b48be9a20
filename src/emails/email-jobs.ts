import type { AppContext } from '../app-context.js';
import { announceEmailMessage } from '../events/order-events.js';
import { type LostPurchaseSource, reconcileLostPurchases } from '../orders/reconcile.js';
import { settleNow } from '../orders/settlement.js';
import type { EmailProvider } from '../providers/types.js';
import type { Job } from '../workers/worker.js';
import { claimDueEmailOrders, claimLostEmailPurchases, releaseEmailOrder } from './email-jobs.repository.js';
import { type EmailOrder, emailOrderRef, emailOrderStore } from './email-orders.repository.js';
import { emailPollIntervalMs } from './email-purchase.service.js';
import { completeOrder, recordReceived } from './email-settlement.js';

/** How long a worker holds an order it is working on; longer than any upstream call. */
const LEASE_MS = 60_000;
/** Orders worked per run, and how many at once (each may wait on an upstream). */
const BATCH = 100;
const PARALLEL = 8;
/**
 * After expiry, how long an upstream may keep refusing to cancel a mailbox with no letter before
 * the customer is refunded anyway (the money question with the upstream is then the operator's).
 */
export const FORCE_REFUND_AFTER_MS = 10 * 60_000;

/**
 * The email worker: asks upstreams about waiting mailboxes, records letters (with our own code
 * extraction), cancels and refunds mailboxes whose lifetime is over with nothing received,
 * completes received ones at the end of their lifetime, and refunds purchases left pending by a
 * lost reply or a crash (the order engine's reconciler). Orders are claimed with the engine's
 * lease, so several processes can run it.
 */
export function emailOrdersJob(ctx: AppContext): Job {
  return {
    name: 'email-orders',
    intervalMs: ctx.config.workerIntervalMs,
    run: (signal) => runEmailOrders(ctx, signal),
  };
}

/** Email purchases whose reply is lost, for the order engine's reconciler (claimed with a lease). */
export const lostEmailPurchases: LostPurchaseSource = {
  store: emailOrderStore,
  listLost: (db, now, limit) => claimLostEmailPurchases(db, { now, leaseMs: LEASE_MS, limit }),
};

export async function runEmailOrders(ctx: AppContext, signal: AbortSignal): Promise<void> {
  await reconcileLostPurchases(ctx, lostEmailPurchases, BATCH);
  const orders = await claimDueEmailOrders(ctx.db, ctx.database.dialect, {
    now: ctx.clock.now(),
    leaseMs: LEASE_MS,
    limit: BATCH,
  });
  for (let i = 0; i < orders.length && !signal.aborted; i += PARALLEL) {
    await Promise.all(orders.slice(i, i + PARALLEL).map((order) => workOrder(ctx, order, signal)));
  }
}

async function workOrder(ctx: AppContext, order: EmailOrder, signal: AbortSignal): Promise<void> {
  let retryInMs = 5_000;
  try {
    const now = ctx.clock.now();
    if (order.state === 'received') {
      await completeOrder(ctx.db, order.id, now);
      return;
    }
    const upstream = await ctx.providers.upstream(order.upstreamId);
    retryInMs = emailPollIntervalMs(upstream);
    const provider = await ctx.providers.email(order.upstreamId);
    if (order.expiresAt !== null && now >= order.expiresAt) await expire(ctx, provider, order, signal);
    else await poll(ctx, provider, order, signal);
  } catch (error) {
    ctx.log.warn({ err: error, order: order.id }, 'email order check failed; will retry');
  } finally {
    await releaseEmailOrder(ctx.db, order.id, {
      state: order.state,
      nextCheckAt: ctx.clock.now() + retryInMs,
    }).catch((error: unknown) =>
      ctx.log.error({ err: error, order: order.id }, 'could not release an email order'),
    );
  }
}

async function poll(ctx: AppContext, provider: EmailProvider, order: EmailOrder, signal: AbortSignal) {
  const state = await provider.getActivation(order.upstreamOrderId ?? '', signal);
  if (state.state === 'received') {
    if (await recordReceived(ctx.db, order, state.messages, ctx.clock.now()))
      await announceEmailMessage(ctx, order.id);
  }
  // The upstream ended the mailbox itself (its own activation window): nothing came, refund.
  else if (state.state === 'cancelled') await expireWithRefund(ctx, order);
}

/** waiting → expired with the refund, by compare-and-set: a racing cancel or letter may win. */
function expireWithRefund(ctx: AppContext, order: EmailOrder) {
  return settleNow(ctx.db, emailOrderStore, emailOrderRef(order), {
    from: ['waiting'],
    to: 'expired',
    now: ctx.clock.now(),
    refund: true,
  });
}

/**
 * The lifetime is over. Cancel upstream first and refund only once it let go; if it refuses, a
 * letter has probably just come, so look again and deliver it instead.
 */
async function expire(ctx: AppContext, provider: EmailProvider, order: EmailOrder, signal: AbortSignal) {
  const upstreamOrderId = order.upstreamOrderId ?? '';
  const cancelled = await provider.cancel(upstreamOrderId, signal).catch((error: unknown) => {
    ctx.log.warn({ err: error, order: order.id }, 'email cancel at expiry failed');
    return false;
  });
  if (cancelled) {
    await expireWithRefund(ctx, order);
    return;
  }
  const state = await provider.getActivation(upstreamOrderId, signal).catch(() => null);
  const now = ctx.clock.now();
  if (state?.state === 'received') {
    if (await recordReceived(ctx.db, order, state.messages, now)) await announceEmailMessage(ctx, order.id);
  } else if (state?.state === 'cancelled' || now >= (order.expiresAt ?? now) + FORCE_REFUND_AFTER_MS) {
    const settled = await expireWithRefund(ctx, order);
    if (settled.won && state?.state !== 'cancelled') {
      ctx.log.warn(
        { order: order.id },
        'upstream kept refusing to cancel an empty mailbox; customer refunded',
      );
    }
  }
}
