import type { AppContext } from '../app-context.js';
import { type PurchaseOutcome, runPurchase } from '../orders/purchase.js';
import { reconcileDelayMs } from '../orders/reconcile.js';
import { type SmsProvider, UpstreamError } from '../providers/types.js';
import type { Activation, ActivationOffer, BuyResult } from './activation-types.js';
import {
  activationStore,
  findActivationById,
  insertPendingActivation,
  markActivationActive,
} from './activations.repository.js';
import { newActivationId } from './public-id.js';
import { pollIntervalMs } from './timing.js';

type Bought = Awaited<ReturnType<SmsProvider['buyNumber']>>;

/**
 * Buys a number for the SMS OTP and cheap lines on the order engine (orders/purchase.ts): this
 * module only resolves the upstream, says how a pending activation row looks, makes the one
 * `buyNumber` call, and words the engine's outcome for the activation wire modules.
 */
export async function buyActivation(
  ctx: AppContext,
  accountId: number,
  offer: ActivationOffer,
): Promise<BuyResult> {
  let provider: SmsProvider;
  let timeoutMs: number;
  let pollMs: number;
  try {
    const upstream = await ctx.providers.upstream(offer.upstreamId);
    if (!upstream.enabled)
      return { kind: 'upstream_failed', error: new UpstreamError('unavailable', 'UPSTREAM_DISABLED') };
    provider = await ctx.providers.sms(offer.upstreamId);
    timeoutMs = upstream.timeoutMs;
    // Known before the purchase: the write that activates runs in a group commit and may use
    // nothing but the executor it is given.
    pollMs = await pollIntervalMs(ctx, offer.upstreamId);
  } catch (error) {
    ctx.log.error({ err: error, upstreamId: offer.upstreamId }, 'activation upstream is not usable');
    return { kind: 'upstream_failed', error: new UpstreamError('unavailable', 'UPSTREAM_NOT_CONFIGURED') };
  }
  // A public id collision is rare (43 random bits for sms, 50 for cheap); it rolls the whole
  // reservation back before any upstream call, so trying again with a new id is safe.
  for (let attempt = 1; ; attempt++) {
    try {
      return toBuyResult(await purchase(ctx, accountId, offer, provider, { timeoutMs, pollMs }));
    } catch (error) {
      if (attempt < 3 && /public_id|activations_public_id/i.test(String(error))) continue;
      throw error;
    }
  }
}

function purchase(
  ctx: AppContext,
  accountId: number,
  offer: ActivationOffer,
  provider: SmsProvider,
  timing: { timeoutMs: number; pollMs: number },
): Promise<PurchaseOutcome<Activation, Bought, Activation>> {
  const now = ctx.clock.now();
  return runPurchase(ctx, {
    store: activationStore,
    reservation: { accountId, pricePaisa: offer.pricePaisa, now },
    insertPending: (trx) =>
      insertPendingActivation(trx, {
        publicId: newActivationId(offer.line),
        line: offer.line,
        accountId,
        upstreamId: offer.upstreamId,
        upstreamCountry: offer.upstreamCountry,
        upstreamService: offer.upstreamService,
        catalogRef: offer.catalogRef,
        pricePaisa: offer.pricePaisa,
        now,
        expiresAt: now + offer.ttlSeconds * 1000,
        cancelAllowedAt: now + ctx.config.cancelLockSeconds * 1000,
        reconcileAt: now + reconcileDelayMs(timing.timeoutMs),
      }),
    call: () =>
      provider.buyNumber({
        country: offer.upstreamCountry,
        service: offer.upstreamService,
        ...(offer.maxCostMicros === undefined ? {} : { maxCostMicros: offer.maxCostMicros }),
      }),
    // The upstream ignored maxPrice: the number goes back and the customer is not charged.
    reject: (bought) =>
      offer.maxCostMicros !== undefined &&
      bought.costMicros !== undefined &&
      bought.costMicros > offer.maxCostMicros
        ? new UpstreamError('price_changed', `cost ${bought.costMicros} micros`)
        : null,
    activate: async (db, pending, bought) => {
      const activatedAt = ctx.clock.now();
      const active = await markActivationActive(db, pending.id, {
        upstreamOrderId: bought.upstreamOrderId,
        phone: bought.phone,
        costMicros: bought.costMicros ?? null,
        nextCheckAt: activatedAt + timing.pollMs,
        now: activatedAt,
      });
      if (active) return active;
      // A write that committed though its answer was lost (a retried batch) already made it ours.
      const current = await findActivationById(db, pending.id);
      return current?.state === 'active' && current.upstreamOrderId === bought.upstreamOrderId
        ? current
        : null;
    },
    giveBack: (bought) => provider.cancel(bought.upstreamOrderId),
  });
}

function toBuyResult(outcome: PurchaseOutcome<Activation, Bought, Activation>): BuyResult {
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
