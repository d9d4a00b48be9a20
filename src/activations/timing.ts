import type { AppContext } from '../app-context.js';
import type { Upstream } from '../providers/upstreams.repository.js';

/**
 * The engine's timing rules in one place. Customer-facing times (lifetime, cancel lock) are
 * configuration; these are how often and how patiently the worker looks at upstreams.
 */

/** The sandbox lives in our own database: poll it on every worker run so a delivery shows within ~1 s. */
export const SANDBOX_POLL_MS = 500;
/** Per-order polling of a real upstream that cannot list its live orders. */
export const UPSTREAM_POLL_MS = 3_000;
/** After an upstream error while polling one order. */
export const POLL_BACKOFF_MS = 10_000;
/** How long a claimed order stays with one worker (longer than any upstream call it makes). */
export const WORK_LEASE_MS = 60_000;
/** After expiry, how long an unreachable upstream may delay the refund of an order that got no code. */
export const EXPIRY_GIVE_UP_MS = 10 * 60_000;
/** Between attempts to expire an order whose upstream is unreachable. */
export const EXPIRY_RETRY_MS = 30_000;

/** How often a live order of this upstream is polled (the reconcile delay is the engine's: orders/reconcile.ts). */
export function pollIntervalOf(upstream: Pick<Upstream, 'protocol'>): number {
  return upstream.protocol === 'sandbox' ? SANDBOX_POLL_MS : UPSTREAM_POLL_MS;
}

/** pollIntervalOf for an upstream known by id. */
export async function pollIntervalMs(ctx: AppContext, upstreamId: number): Promise<number> {
  return pollIntervalOf(await ctx.providers.upstream(upstreamId));
}
