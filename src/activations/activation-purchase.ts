import type { AppContext } from '../app-context.js';
import { giveBackQuietly, type PurchaseOutcome, runPurchase } from '../orders/purchase.js';
import { reconcileDelayMs } from '../orders/reconcile.js';
import { type SmsProvider, UpstreamError, type UpstreamFailureKind } from '../providers/types.js';
import { withOrderRef } from '../providers/upstream-call-recorder.js';
import type { Activation, ActivationOffer, ActivationRoute, BuyResult } from './activation-types.js';
import {
  activationStore,
  findActivationById,
  markActivationActive,
  pendingActivation,
  routePendingActivation,
} from './activations.repository.js';
import { newActivationId } from './public-id.js';
import { pollIntervalOf } from './timing.js';

type Bought = Awaited<ReturnType<SmsProvider['buyNumber']>>;

/** A route whose upstream is switched on and configured, with what the purchase needs of it. */
interface UsableRoute {
  route: ActivationRoute;
  provider: SmsProvider;
  timeoutMs: number;
  /** Known before the purchase: the write that activates runs in a group commit and may use
   * nothing but the executor it is given. */
  pollMs: number;
}

/** What the one purchase bought, and from which route. */
interface Sale {
  bought: Bought;
  hop: UsableRoute;
}

/**
 * Buys a number for the SMS OTP and cheap lines on the order engine (orders/purchase.ts): this
 * module resolves the routes' upstreams, says how a pending activation row looks, makes the
 * `buyNumber` calls, and words the engine's outcome for the activation wire modules.
 *
 * Failover happens inside the engine's one upstream step, so one order is reserved, debited once
 * and refunded at most once however many upstreams are asked. The routes are tried in the
 * offer's order: a definite refusal (FAILOVER_KINDS, a sale above the route's maximum, which goes
 * back) moves to the next at the cost of that one call, with no write. The activating write
 * records which upstream sold; an unknown outcome stops there (that upstream may have sold, and
 * asking another could buy twice) and points the pending order at the upstream asked.
 */
export async function buyActivation(
  ctx: AppContext,
  accountId: number,
  offer: ActivationOffer,
): Promise<BuyResult> {
  const usable: UsableRoute[] = [];
  let unusable: UpstreamError | null = null;
  for (const route of offer.routes) {
    try {
      const upstream = await ctx.providers.upstream(route.upstreamId);
      if (!upstream.enabled) {
        unusable ??= new UpstreamError('unavailable', 'UPSTREAM_DISABLED');
        continue;
      }
      usable.push({
        route,
        provider: await ctx.providers.sms(route.upstreamId),
        timeoutMs: upstream.timeoutMs,
        pollMs: pollIntervalOf(upstream),
      });
    } catch (error) {
      ctx.log.error({ err: error, upstreamId: route.upstreamId }, 'activation upstream is not usable');
      unusable ??= new UpstreamError('unavailable', 'UPSTREAM_NOT_CONFIGURED');
    }
  }
  if (usable.length === 0)
    return { kind: 'upstream_failed', error: unusable ?? new UpstreamError('no_numbers', 'NO_ROUTE') };
  // A public id collision is rare (43 random bits for sms, 50 for cheap); it rolls the whole
  // reservation back before any upstream call, so trying again with a new id is safe.
  for (let attempt = 1; ; attempt++) {
    try {
      return toBuyResult(await purchase(ctx, accountId, offer, usable));
    } catch (error) {
      if (attempt < 3 && /public_id|activations_public_id/i.test(String(error))) continue;
      throw error;
    }
  }
}

/** Refusals after which the next route is asked: the upstream did nothing, or nothing we keep. */
const FAILOVER_KINDS: ReadonlySet<UpstreamFailureKind> = new Set([
  'no_numbers',
  'no_balance',
  'bad_key',
  'bad_request',
  'price_changed',
  'unavailable',
]);

function purchase(
  ctx: AppContext,
  accountId: number,
  offer: ActivationOffer,
  usable: UsableRoute[],
): Promise<PurchaseOutcome<Activation, Sale, Activation>> {
  const now = ctx.clock.now();
  const first = usable[0] as UsableRoute;
  // Every hop's call must have ended before the reconciler may settle a lost reply.
  const callsMs = usable.reduce((sum, hop) => sum + hop.timeoutMs, 0);
  return runPurchase(ctx, {
    store: activationStore,
    reservation: { accountId, pricePaisa: offer.pricePaisa, now },
    pending: pendingActivation({
      publicId: newActivationId(offer.line),
      line: offer.line,
      accountId,
      upstreamId: first.route.upstreamId,
      upstreamCountry: first.route.upstreamCountry,
      upstreamService: first.route.upstreamService,
      catalogRef: offer.catalogRef,
      pricePaisa: offer.pricePaisa,
      now,
      expiresAt: now + offer.ttlSeconds * 1000,
      cancelAllowedAt: now + ctx.config.cancelLockSeconds * 1000,
      reconcileAt: now + reconcileDelayMs(callsMs),
    }),
    call: (pending) => buyOnRoutes(ctx, pending, usable),
    activate: async (db, pending, { bought, hop }) => {
      const activatedAt = ctx.clock.now();
      const active = await markActivationActive(db, pending.id, {
        route: hop.route,
        upstreamOrderId: bought.upstreamOrderId,
        phone: bought.phone,
        costMicros: bought.costMicros ?? null,
        nextCheckAt: activatedAt + hop.pollMs,
        now: activatedAt,
      });
      if (active) return active;
      // A write that committed though its answer was lost (a retried batch) already made it ours.
      const current = await findActivationById(db, pending.id);
      return current?.state === 'active' && current.upstreamOrderId === bought.upstreamOrderId
        ? current
        : null;
    },
    giveBack: ({ bought, hop }) => hop.provider.cancel(bought.upstreamOrderId),
  });
}

/** The engine's one upstream step: the routes in order until one sells (see buyActivation). */
async function buyOnRoutes(ctx: AppContext, pending: Activation, usable: UsableRoute[]): Promise<Sale> {
  let refusal: UpstreamError | null = null;
  for (const [i, hop] of usable.entries()) {
    const { route } = hop;
    try {
      // The engine attaches the order to the call it starts; a later hop starts after an await,
      // so it attaches the order itself (every hop shows in the order's timeline).
      const bought = await withOrderRef(activationStore.reference(pending), () =>
        hop.provider.buyNumber({
          country: route.upstreamCountry,
          service: route.upstreamService,
          ...(route.maxCostMicros === undefined ? {} : { maxCostMicros: route.maxCostMicros }),
        }),
      );
      if (
        route.maxCostMicros === undefined ||
        bought.costMicros === undefined ||
        bought.costMicros <= route.maxCostMicros
      )
        return { bought, hop };
      // The upstream ignored maxPrice: the number goes back and the customer is not charged for it.
      await giveBackQuietly(ctx, { line: pending.line, order: pending.id }, () =>
        hop.provider.cancel(bought.upstreamOrderId),
      );
      throw new UpstreamError('price_changed', `cost ${bought.costMicros} micros`);
    } catch (error) {
      if (!(error instanceof UpstreamError) || !FAILOVER_KINDS.has(error.kind)) {
        if (i > 0) await recordHop(ctx, pending, route);
        throw error;
      }
      ctx.log.info(
        { order: pending.id, upstreamId: route.upstreamId, kind: error.kind, left: usable.length - i - 1 },
        'route refused the purchase',
      );
      // What the customer hears when every route refused: out of stock if any route was.
      if (refusal?.kind !== 'no_numbers') refusal = error;
    }
  }
  throw refusal as UpstreamError;
}

/**
 * A later hop's outcome is unknown: the pending order names the upstream that may have sold, for
 * the operator (the upstream call log, written under the order's reference, has every hop too).
 */
async function recordHop(ctx: AppContext, pending: Activation, route: ActivationRoute): Promise<void> {
  try {
    await ctx.groupCommit.statement((db) => routePendingActivation(db, pending.id, route, ctx.clock.now()));
  } catch (error) {
    ctx.log.warn({ err: error, order: pending.id }, 'could not record the upstream asked');
  }
}

function toBuyResult(outcome: PurchaseOutcome<Activation, Sale, Activation>): BuyResult {
  switch (outcome.kind) {
    case 'sold':
      return { kind: 'ok', activation: outcome.active };
    case 'no_balance':
      return { kind: 'no_balance', balancePaisa: outcome.balance };
    case 'blocked':
      return { kind: 'blocked' };
    case 'refused':
      return { kind: 'upstream_failed', error: outcome.error };
    case 'outcome_unknown':
      return { kind: 'outcome_unknown', activation: outcome.order };
    case 'not_recorded':
    case 'settled_elsewhere':
      return { kind: 'database_error' };
  }
}
