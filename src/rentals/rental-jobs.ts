import type { AppContext } from '../app-context.js';
import { announceRentalSms } from '../events/order-events.js';
import { reconcileLostPurchases } from '../orders/reconcile.js';
import { extractCode } from '../otp/extract-code.js';
import type { Job } from '../workers/worker.js';
import { listLostRenewals, renewalStore } from './renewals.repository.js';
import {
  claimRentalsForSmsPull,
  insertRentalMessages,
  releaseSmsLease,
  type SmsPullTarget,
} from './rental-messages.repository.js';
import { expireDueRentals, listLostRentals, rentalStore } from './rentals.repository.js';

/** Timing of the rental line's background work; the defaults suit production. */
export interface RentalJobOptions {
  /** Pull interval while a customer is reading the inbox. */
  pollWantedMs: number;
  /** Pull interval otherwise: rentals live for months, most inboxes are quiet. */
  pollIdleMs: number;
  /** How long a claimed rental is reserved for one process; longer than any upstream timeout. */
  leaseMs: number;
  /** Expired rentals are still pulled this long, for messages that came just before the end. */
  graceAfterExpiryMs: number;
  /** Rentals pulled per run, and at once. */
  batchSize: number;
  concurrency: number;
}

export const DEFAULT_RENTAL_JOB_OPTIONS: RentalJobOptions = {
  pollWantedMs: 5_000,
  pollIdleMs: 60_000,
  leaseMs: 120_000,
  graceAfterExpiryMs: 10 * 60_000,
  batchSize: 100,
  concurrency: 8,
};

/** The rental line's jobs: pull SMS, expire, reconcile. Each is safe in several processes at once. */
export function buildRentalJobs(ctx: AppContext, overrides: Partial<RentalJobOptions> = {}): Job[] {
  const options = { ...DEFAULT_RENTAL_JOB_OPTIONS, ...overrides };
  return [
    {
      name: 'rental-sms-pull',
      intervalMs: ctx.config.workerIntervalMs,
      run: async (signal) => {
        await pullRentalMessages(ctx, options, signal);
      },
    },
    {
      name: 'rental-expire',
      intervalMs: Math.max(ctx.config.workerIntervalMs, 5_000),
      run: async () => {
        await expireRentals(ctx);
      },
    },
    { name: 'rental-reconcile', intervalMs: 30_000, run: () => reconcileRentals(ctx, options) },
  ];
}

/**
 * Pulls the inbox of every rental due for it from its upstream and stores each new message once
 * (unique per rental and upstream message id), with our own code extraction. Messages the upstream
 * dates after the rental's expiry are not taken: an expired rental stops receiving.
 */
export async function pullRentalMessages(
  ctx: AppContext,
  options: RentalJobOptions,
  signal?: AbortSignal,
): Promise<number> {
  const now = ctx.clock.now();
  const targets = await claimRentalsForSmsPull(ctx.db, {
    now,
    leaseMs: options.leaseMs,
    graceAfterExpiryMs: options.graceAfterExpiryMs,
    limit: options.batchSize,
  });
  let stored = 0;
  for (let i = 0; i < targets.length; i += options.concurrency) {
    const batch = targets.slice(i, i + options.concurrency);
    const counts = await Promise.all(
      batch.map((target) => pullRentalInbox(ctx, options, target, now, signal)),
    );
    stored += counts.reduce((a, b) => a + b, 0);
  }
  return stored;
}

/**
 * Pulls one claimed rental's inbox, stores what is new, announces it, and releases the claim with
 * the next pull scheduled. Returns how many messages were new. Failures are logged, never thrown:
 * the next pull tries again.
 */
export async function pullRentalInbox(
  ctx: AppContext,
  options: RentalJobOptions,
  target: SmsPullTarget,
  now: number,
  signal?: AbortSignal,
): Promise<number> {
  let stored = 0;
  let pulledAt: number | null = null;
  try {
    const provider = await ctx.providers.rental(target.upstreamId);
    const messages = await provider.getMessages(target.upstreamOrderId, signal);
    const inTerm = messages
      .filter((m) => m.receivedAt <= target.expiryTime)
      .map((m) => ({
        upstreamMessageId: m.id,
        sender: m.sender ?? null,
        text: m.text,
        code: extractCode(m.text) ?? '',
        receivedAt: m.receivedAt,
      }));
    stored = await insertRentalMessages(ctx.db, target.id, inTerm, ctx.clock.now());
    // Fresh as of the claim (a lower bound: the upstream was read after it).
    pulledAt = now;
    if (stored > 0) await announceRentalSms(ctx, target.id);
  } catch (error) {
    ctx.log.warn({ err: error, rental: target.id }, 'rental SMS pull failed; will retry');
  }
  const wanted = target.smsWantedUntil !== null && target.smsWantedUntil > now;
  await releaseSmsLease(ctx.db, target, now + (wanted ? options.pollWantedMs : options.pollIdleMs), pulledAt);
  return stored;
}

/** Marks active rentals past their expiry as expired; returns how many. */
export async function expireRentals(ctx: AppContext): Promise<number> {
  return expireDueRentals(ctx.db, ctx.clock.now());
}

/**
 * Settles purchases and renewals whose reply was lost (the process died, or the upstream never
 * answered), by the order engine's one rule (orders/reconcile.ts): each is refunded exactly once,
 * by compare-and-set from pending. Our upstream adapters cannot look a lost rental up, so adopting
 * it is not possible; the operator may have paid the upstream for a number nobody got, which is
 * logged. (A renewal's lost extend is refunded at once by the renewal itself; the reconciler only
 * finds renewals whose process died.)
 */
export async function reconcileRentals(ctx: AppContext, options: RentalJobOptions): Promise<void> {
  await reconcileLostPurchases(ctx, { store: rentalStore, listLost: listLostRentals }, options.batchSize);
  await reconcileLostPurchases(ctx, { store: renewalStore, listLost: listLostRenewals }, options.batchSize);
}
