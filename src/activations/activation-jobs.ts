import type { AppContext } from '../app-context.js';
import { announceActivationCode } from '../events/order-events.js';
import { reconcileLostPurchases } from '../orders/reconcile.js';
import type { SmsActivationState, SmsProvider } from '../providers/types.js';
import { UpstreamError } from '../providers/types.js';
import type { Job } from '../workers/worker.js';
import {
  claimDuePolls,
  claimExpiredActivations,
  claimPollLease,
  claimStalePending,
  findActiveByUpstreamOrder,
  findWorkItems,
  holdActivation,
  listActiveOrderRefs,
  releaseActivation,
  releaseActivations,
  sandboxOrdersWithNews,
  upstreamsWithActiveOrders,
  type WorkItem,
} from './activation-jobs.repository.js';
import {
  activationStore,
  markActivationFinished,
  recordActivationCode,
  refundActivation,
} from './activations.repository.js';
import { finishUpstream } from './activations.service.js';
import { codeOfMessage, firstMessage } from './message-code.js';
import {
  EXPIRY_GIVE_UP_MS,
  EXPIRY_RETRY_MS,
  POLL_BACKOFF_MS,
  pollIntervalMs,
  WORK_LEASE_MS,
} from './timing.js';

/**
 * The activation engine's background work, for both lines (registered once in workers/jobs.ts):
 * - pollActivations: asks upstreams for codes: one list call per upstream per interval where the
 *   upstream can list its live orders, one status call per due order elsewhere;
 * - expireActivations: at the end of the lifetime, no code → cancelled upstream and refunded
 *   ('expired'); code → 'finished';
 * - reconcilePendingActivations: purchases that never reported back are refunded.
 * Orders are claimed with a lease so two processes never call an upstream for one order at once.
 */

const POLL_BATCH = 1_000;
const EXPIRE_BATCH = 200;
const RECONCILE_BATCH = 200;
const CONCURRENCY = 16;

/** Upstream adapters that turned out not to list (SMS-Activate clones without getActiveActivations). */
const cannotList = new WeakSet<SmsProvider>();

export function activationJobs(ctx: AppContext): Job[] {
  const interval = ctx.config.workerIntervalMs;
  return [
    { name: 'activations.poll', intervalMs: interval, run: (signal) => pollActivations(ctx, signal) },
    { name: 'activations.expire', intervalMs: interval, run: (signal) => expireActivations(ctx, signal) },
    {
      name: 'activations.reconcile',
      intervalMs: Math.max(interval, 5_000),
      run: (signal) => reconcilePendingActivations(ctx, signal),
    },
  ];
}

/** One poll round over every upstream with orders waiting for a code. */
export async function pollActivations(ctx: AppContext, signal?: AbortSignal): Promise<void> {
  const upstreamIds = await upstreamsWithActiveOrders(ctx.db);
  await Promise.all(
    upstreamIds.map((id) =>
      pollUpstream(ctx, id, signal).catch((error: unknown) => {
        ctx.log.error({ err: error, upstreamId: id }, 'activation poll failed');
      }),
    ),
  );
}

async function pollUpstream(ctx: AppContext, upstreamId: number, signal?: AbortSignal): Promise<void> {
  const provider = await ctx.providers.sms(upstreamId);
  if ((await ctx.providers.upstream(upstreamId)).protocol === 'sandbox') {
    // Ask only about the orders whose sandbox state changed (see sandboxOrdersWithNews).
    const changed = await sandboxOrdersWithNews(ctx.db, ctx.database.dialect, upstreamId, ctx.clock.now());
    if (changed.length > 0) await pollOneByOne(ctx, upstreamId, provider, signal, changed);
    return;
  }
  if (provider.listActivations && !cannotList.has(provider)) {
    const missing = await pollByList(ctx, upstreamId, provider, signal);
    if (missing === null) return; // another process has this upstream this interval
    if (missing !== 'unsupported') {
      // Orders the list does not show any more (cancelled or ended upstream): ask one by one.
      if (missing.length > 0) await pollOneByOne(ctx, upstreamId, provider, signal, missing);
      return;
    }
  }
  await pollOneByOne(ctx, upstreamId, provider, signal);
}

/**
 * The batched poll: one list call, matched against our live orders of that upstream. Returns the
 * ids of orders older than the call that the list did not show, null when another process holds
 * the upstream's lease, 'unsupported' when the upstream has no list.
 */
async function pollByList(
  ctx: AppContext,
  upstreamId: number,
  provider: SmsProvider,
  signal?: AbortSignal,
): Promise<number[] | null | 'unsupported'> {
  const startedAt = ctx.clock.now();
  const leaseMs = Math.max(200, ctx.config.workerIntervalMs - 100);
  if (!(await claimPollLease(ctx.db, upstreamId, startedAt, leaseMs))) return null;
  let listed: Map<string, SmsActivationState & { phone: string }>;
  try {
    listed = await (provider.listActivations as NonNullable<SmsProvider['listActivations']>)(signal);
  } catch (error) {
    if (error instanceof UpstreamError && error.kind === 'bad_request') {
      cannotList.add(provider);
      return 'unsupported';
    }
    throw error;
  }
  const orders = await listActiveOrderRefs(ctx.db, upstreamId);
  const missing: number[] = [];
  const news = new Map<number, SmsActivationState>();
  for (const order of orders) {
    const state = order.upstreamOrderId === null ? undefined : listed.get(order.upstreamOrderId);
    if (state) {
      if (state.state !== 'waiting') news.set(order.id, state);
    } else if (order.createdAt < startedAt) {
      missing.push(order.id);
    }
  }
  const changed = await findWorkItems(ctx.db, [...news.keys()]);
  await runLimited(
    changed.map((order) => () => applyUpstreamState(ctx, order, news.get(order.id) as SmsActivationState)),
    CONCURRENCY,
  );
  return missing;
}

/**
 * Per-order polling of due orders (optionally only `ids`; `anyTime` claims them whenever they are
 * next due), each claimed with a lease. Returns how many it claimed.
 */
async function pollOneByOne(
  ctx: AppContext,
  upstreamId: number,
  provider: SmsProvider,
  signal?: AbortSignal,
  ids?: number[],
  anyTime = false,
): Promise<number> {
  const now = ctx.clock.now();
  const claimed = await claimDuePolls(ctx.db, {
    upstreamId,
    now,
    leaseMs: WORK_LEASE_MS,
    limit: POLL_BATCH,
    ...(ids ? { ids } : {}),
    ...(anyTime ? { dueBefore: Number.MAX_SAFE_INTEGER } : {}),
  });
  if (claimed.length === 0) return 0;
  const interval = await pollIntervalMs(ctx, upstreamId);
  const unchanged: number[] = [];
  await runLimited(
    claimed.map((order) => async () => {
      try {
        const state = await provider.getActivation(order.upstreamOrderId as string, signal);
        if (!(await applyUpstreamState(ctx, order, state))) unchanged.push(order.id);
      } catch (error) {
        if (error instanceof UpstreamError && error.kind === 'not_found') {
          // The upstream does not know the order any more: nothing can arrive on it.
          await refundActivation(ctx.db, order, ['active'], 'cancelled', ctx.clock.now(), 'gone upstream');
          return;
        }
        ctx.log.warn({ err: error, activationId: order.id }, 'activation status check failed');
        await releaseActivation(ctx.db, order.id, ctx.clock.now() + POLL_BACKOFF_MS);
      }
    }),
    CONCURRENCY,
  );
  await releaseActivations(ctx.db, unchanged, ctx.clock.now() + interval);
  return claimed.length;
}

/**
 * An upstream pushed news of one of its orders (providers/upstream-push.routes.ts): read that
 * order now, as the poll would, instead of at its next poll. 'busy' when a poll holds it.
 */
export async function pollPushedActivation(
  ctx: AppContext,
  upstreamId: number,
  upstreamOrderId: string,
): Promise<'read' | 'unknown' | 'busy'> {
  const ids = await findActiveByUpstreamOrder(ctx.db, upstreamId, upstreamOrderId);
  if (ids.length === 0) return 'unknown';
  const provider = await ctx.providers.sms(upstreamId);
  return (await pollOneByOne(ctx, upstreamId, provider, undefined, ids, true)) > 0 ? 'read' : 'busy';
}

/** Applies what the upstream reports for an active order; returns whether the order changed. */
async function applyUpstreamState(
  ctx: AppContext,
  order: WorkItem,
  state: SmsActivationState,
): Promise<boolean> {
  if (state.state === 'waiting') return false;
  if (state.state === 'cancelled') {
    // Cancelled upstream without us asking (its own expiry, an operator): no code can come.
    return refundActivation(ctx.db, order, ['active'], 'cancelled', ctx.clock.now(), 'cancelled upstream');
  }
  const message = firstMessage(state.messages);
  if (!message) return false;
  const won = await recordActivationCode(ctx.db, order.id, {
    code: codeOfMessage(message, order.upstreamService),
    smsText: message.text,
    now: ctx.clock.now(),
  });
  if (won) await announceActivationCode(ctx, order.id);
  return won;
}

/** Ends orders whose lifetime is over. */
export async function expireActivations(ctx: AppContext, signal?: AbortSignal): Promise<void> {
  const claimed = await claimExpiredActivations(ctx.db, {
    now: ctx.clock.now(),
    leaseMs: WORK_LEASE_MS,
    limit: EXPIRE_BATCH,
  });
  await runLimited(
    claimed.map((order) => async () => {
      try {
        await expireOne(ctx, order, signal);
      } catch (error) {
        ctx.log.error({ err: error, activationId: order.id }, 'activation expiry failed');
      }
    }),
    CONCURRENCY,
  );
}

async function expireOne(ctx: AppContext, order: WorkItem, signal?: AbortSignal): Promise<void> {
  if (order.state === 'code_received') {
    if (await markActivationFinished(ctx.db, order.id, ctx.clock.now())) await finishUpstream(ctx, order);
    return;
  }
  const refund = () =>
    refundActivation(ctx.db, order, ['active'], 'expired', ctx.clock.now(), 'expired without a code');
  try {
    const provider = await ctx.providers.sms(order.upstreamId);
    const upstreamOrderId = order.upstreamOrderId as string;
    let cancelled: boolean;
    try {
      cancelled = await provider.cancel(upstreamOrderId, signal);
    } catch (error) {
      if (!(error instanceof UpstreamError && error.kind === 'not_found')) throw error;
      cancelled = true;
    }
    if (cancelled) {
      await refund();
      return;
    }
    // Refused: a code came at the last moment (the customer pays and gets it), or the upstream
    // already ended the order without one (refund).
    const state = await provider.getActivation(upstreamOrderId, signal);
    const message =
      state.state === 'waiting' || state.state === 'cancelled' ? undefined : firstMessage(state.messages);
    if (!message) {
      await refund();
      return;
    }
    const now = ctx.clock.now();
    const code = codeOfMessage(message, order.upstreamService);
    if (await recordActivationCode(ctx.db, order.id, { code, smsText: message.text, now })) {
      await announceActivationCode(ctx, order.id);
      if (await markActivationFinished(ctx.db, order.id, now)) await finishUpstream(ctx, order);
    }
  } catch (error) {
    if (ctx.clock.now() >= order.expiresAt + EXPIRY_GIVE_UP_MS) {
      // The customer got no code; an upstream that stays unreachable must not keep their money.
      ctx.log.warn(
        { err: error, activationId: order.id },
        'upstream unreachable at expiry; refunding anyway',
      );
      await refund();
      return;
    }
    ctx.log.warn({ err: error, activationId: order.id }, 'upstream unreachable at expiry; will retry');
    await holdActivation(ctx.db, order.id, ctx.clock.now() + EXPIRY_RETRY_MS);
  }
}

/**
 * Settles purchases whose reply never came (timeout, reset, a crash mid-purchase). The customer
 * was never given the number (the wire answers an error for an unknown outcome), so the order is
 * refunded rather than adopted; an orphan number upstream gets no SMS and ends there unused,
 * which SMS-Activate-protocol upstreams refund.
 */
export async function reconcilePendingActivations(ctx: AppContext, _signal?: AbortSignal): Promise<void> {
  await reconcileLostPurchases(
    ctx,
    {
      store: activationStore,
      listLost: (db, now, limit) => claimStalePending(db, { now, leaseMs: WORK_LEASE_MS, limit }),
    },
    RECONCILE_BATCH,
  );
}

/** Runs tasks with at most `limit` in flight. */
async function runLimited(tasks: Array<() => Promise<unknown>>, limit: number): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const task = tasks[next++];
      if (task) await task();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}
