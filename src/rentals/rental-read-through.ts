import { setTimeout as sleep } from 'node:timers/promises';
import type { AppContext } from '../app-context.js';
import { DEFAULT_RENTAL_JOB_OPTIONS, pullRentalInbox } from './rental-jobs.js';
import {
  claimRentalsForSmsPull,
  findRentalByUpstreamOrder,
  inboxPullState,
} from './rental-messages.repository.js';

/**
 * An inbox pulled within this long is fresh enough to answer from the database. The sandbox is a
 * table in our own database, with no rate limit to spare, so its inboxes are never fresh: a
 * delivery (`otpget sandbox deliver`) is in the very next read.
 */
export const INBOX_FRESH_MS = 3_000;

/** The longest a customer's read waits for the upstream before answering from what is stored. */
export const READ_THROUGH_TIMEOUT_MS = 2_000;

/** The read-through's claim on the rental: past the timeout, so the pull never overlaps another. */
const READ_THROUGH_LEASE_MS = 10_000;

/** How often a read waits on another process's pull to finish. */
const WAIT_STEP_MS = 25;

/** Pulls in flight in this process, per app and rental: concurrent reads share one. */
const inFlight = new WeakMap<AppContext, Map<number, Promise<void>>>();

/**
 * Before a customer reads a rental's inbox: when it was last pulled from the upstream more than
 * INBOX_FRESH_MS ago, pull it once now, so a message the upstream already holds is in this very
 * answer rather than the next scheduled poll's. Concurrent readers in one process share the pull;
 * across processes the pull job's lease (orders/leases.ts) lets one pull and the others wait for
 * it. Bounded by READ_THROUGH_TIMEOUT_MS: a slow or failing upstream only means the reply is what
 * is stored. Never throws.
 */
export async function refreshRentalInbox(
  ctx: AppContext,
  rental: { id: number; upstreamId: number },
  options: { evenIfFresh?: boolean } = {},
): Promise<void> {
  const rentalId = rental.id;
  let mine = inFlight.get(ctx);
  if (!mine) {
    mine = new Map();
    inFlight.set(ctx, mine);
  }
  const running = mine.get(rentalId);
  if (running) return running;
  const started = Date.now();
  const pull = withinTimeout(pullOrWait(ctx, rental, started, options.evenIfFresh === true))
    .catch((error: unknown) => {
      ctx.log.warn(
        { err: error, rental: rentalId },
        'rental inbox read-through failed; answering from storage',
      );
    })
    .finally(() => mine.delete(rentalId));
  mine.set(rentalId, pull);
  return pull;
}

async function pullOrWait(
  ctx: AppContext,
  rental: { id: number; upstreamId: number },
  started: number,
  evenIfFresh: boolean,
): Promise<void> {
  const rentalId = rental.id;
  const now = ctx.clock.now();
  const options = DEFAULT_RENTAL_JOB_OPTIONS;
  const sandbox = (await ctx.providers.upstream(rental.upstreamId)).protocol === 'sandbox';
  const freshMs = evenIfFresh || sandbox ? 0 : INBOX_FRESH_MS;
  const [target] = await claimRentalsForSmsPull(ctx.db, {
    now,
    leaseMs: READ_THROUGH_LEASE_MS,
    graceAfterExpiryMs: options.graceAfterExpiryMs,
    limit: 1,
    stale: { rentalId, pulledBefore: now - freshMs },
  });
  if (target) {
    await pullRentalInbox(ctx, options, target, now, AbortSignal.timeout(READ_THROUGH_TIMEOUT_MS));
    return;
  }
  // Fresh already, not pullable, or being pulled elsewhere: only the last is worth waiting for.
  while (Date.now() - started < READ_THROUGH_TIMEOUT_MS) {
    const state = await inboxPullState(ctx.db, rentalId, ctx.clock.now());
    if (!state?.leased) return;
    await sleep(WAIT_STEP_MS);
  }
}

/**
 * An upstream pushed news of one of its rentals (providers/upstream-push.routes.ts): pull that
 * inbox now, fresh or not, with the read-through's sharing and bounds.
 */
export async function pullPushedRental(
  ctx: AppContext,
  upstreamId: number,
  upstreamOrderId: string,
): Promise<'read' | 'unknown'> {
  const rental = await findRentalByUpstreamOrder(ctx.db, upstreamId, upstreamOrderId);
  if (!rental) return 'unknown';
  await refreshRentalInbox(ctx, rental, { evenIfFresh: true });
  return 'read';
}

function withinTimeout(work: Promise<void>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, READ_THROUGH_TIMEOUT_MS);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
