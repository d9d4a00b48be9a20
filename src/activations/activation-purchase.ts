import type { AppContext } from '../app-context.js';
import { type SmsProvider, UpstreamError } from '../providers/types.js';
import { withOrderRef } from '../providers/upstream-call-recorder.js';
import { InsufficientBalanceError } from '../wallet/wallet.repository.js';
import type { Activation, ActivationOffer, BuyResult } from './activation-types.js';
import {
  activationReference,
  findActivationById,
  markActivationActive,
  reserveActivation,
  settleWithRefund,
  toActivation,
} from './activations.repository.js';
import { newPublicId } from './public-id.js';
import { firstPollAt, reconcileDelayMs } from './timing.js';

/**
 * The purchase reservation of the activation engine (exported through activations.service.ts):
 * the one place a number is bought from an upstream.
 */

/**
 * Buys a number: debit + pending order in one transaction, then exactly one upstream call.
 * Success → active; a definite upstream failure → failed and refunded; an unknown outcome
 * (timeout, reset) → left pending for the reconciler; our own write failing after the upstream
 * sold → the number is cancelled upstream and the customer refunded.
 */
export async function buyActivation(
  ctx: AppContext,
  accountId: number,
  offer: ActivationOffer,
): Promise<BuyResult> {
  let provider: SmsProvider;
  let timeoutMs: number;
  try {
    const upstream = await ctx.providers.upstream(offer.upstreamId);
    if (!upstream.enabled)
      return { kind: 'upstream_failed', error: new UpstreamError('unavailable', 'UPSTREAM_DISABLED') };
    provider = await ctx.providers.sms(offer.upstreamId);
    timeoutMs = upstream.timeoutMs;
  } catch (error) {
    ctx.log.error({ err: error, upstreamId: offer.upstreamId }, 'activation upstream is not usable');
    return { kind: 'upstream_failed', error: new UpstreamError('unavailable', 'UPSTREAM_NOT_CONFIGURED') };
  }

  const reserved = await reserve(ctx, accountId, offer, timeoutMs);
  if (reserved.kind === 'no_balance') return reserved;
  const pending = reserved.row;

  let purchase: Awaited<ReturnType<SmsProvider['buyNumber']>>;
  try {
    purchase = await withOrderRef(activationReference(pending.id), () =>
      provider.buyNumber({
        country: offer.upstreamCountry,
        service: offer.upstreamService,
        ...(offer.maxCostMicros === undefined ? {} : { maxCostMicros: offer.maxCostMicros }),
      }),
    );
  } catch (error) {
    if (error instanceof UpstreamError && error.kind !== 'unknown_outcome') {
      await settleWithRefund(
        ctx.db,
        pending,
        ['pending'],
        'failed',
        ctx.clock.now(),
        `upstream: ${error.kind}`,
      );
      return { kind: 'upstream_failed', error };
    }
    // A lost reply may still have bought a number: the reconciler settles the order later.
    ctx.log.warn({ err: error, activationId: pending.id }, 'purchase outcome unknown; left pending');
    return { kind: 'outcome_unknown', activation: pending };
  }

  const costMicros = purchase.costMicros ?? null;
  if (offer.maxCostMicros !== undefined && costMicros !== null && costMicros > offer.maxCostMicros) {
    // The upstream ignored maxPrice: give the number back and do not charge the customer.
    await cancelUpstreamQuietly(ctx, provider, purchase.upstreamOrderId, pending.id);
    await settleWithRefund(
      ctx.db,
      pending,
      ['pending'],
      'failed',
      ctx.clock.now(),
      'upstream price above maximum',
    );
    return {
      kind: 'upstream_failed',
      error: new UpstreamError('price_changed', `cost ${costMicros} micros`),
    };
  }

  const now = ctx.clock.now();
  try {
    const nextCheckAt = await firstPollAt(ctx, offer.upstreamId, now);
    const active = await ctx.groupCommit.statement((db) =>
      markActivationActive(db, pending.id, {
        upstreamOrderId: purchase.upstreamOrderId,
        phone: purchase.phone,
        costMicros,
        nextCheckAt,
        now,
      }),
    );
    if (active) return { kind: 'ok', activation: active };
    // Not pending any more: the reconciler settled it while the upstream was slow.
    const current = await findActivationById(ctx.db, pending.id);
    if (current?.state === 'active' && current.upstreamOrderId === purchase.upstreamOrderId) {
      return { kind: 'ok', activation: current };
    }
  } catch (error) {
    ctx.log.error({ err: error, activationId: pending.id }, 'could not record a bought number');
  }
  await cancelUpstreamQuietly(ctx, provider, purchase.upstreamOrderId, pending.id);
  try {
    await settleWithRefund(
      ctx.db,
      pending,
      ['pending'],
      'failed',
      ctx.clock.now(),
      'not recorded; cancelled upstream',
    );
  } catch (error) {
    // Still pending: the reconciler refunds it once the database is back.
    ctx.log.error({ err: error, activationId: pending.id }, 'refund after failed write did not go through');
  }
  return { kind: 'database_error' };
}

async function reserve(
  ctx: AppContext,
  accountId: number,
  offer: ActivationOffer,
  timeoutMs: number,
): Promise<{ kind: 'ok'; row: Activation } | { kind: 'no_balance'; balancePaisa: number }> {
  const now = ctx.clock.now();
  for (let attempt = 1; ; attempt++) {
    try {
      const row = await ctx.groupCommit.transaction((trx) =>
        reserveActivation(trx, {
          publicId: newPublicId(offer.publicIdPrefix),
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
          reconcileAt: now + reconcileDelayMs(timeoutMs),
        }),
      );
      return { kind: 'ok', row: toActivation(row) };
    } catch (error) {
      if (error instanceof InsufficientBalanceError)
        return { kind: 'no_balance', balancePaisa: error.balance };
      // 62 random bits make a public id collision practically impossible; retry once if it happens.
      if (attempt < 3 && /public_id|activations_public_id/i.test(String(error))) continue;
      throw error;
    }
  }
}

async function cancelUpstreamQuietly(
  ctx: AppContext,
  provider: SmsProvider,
  upstreamOrderId: string,
  activationId: number,
): Promise<void> {
  try {
    if (!(await provider.cancel(upstreamOrderId))) {
      ctx.log.warn(
        { activationId, upstreamOrderId },
        'upstream refused to cancel a number we could not sell',
      );
    }
  } catch (error) {
    ctx.log.warn(
      { err: error, activationId, upstreamOrderId },
      'could not cancel a number we could not sell',
    );
  }
}
