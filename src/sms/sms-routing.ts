import { type RouteFigures, routeFigures } from '../activations/activation-order-views.repository.js';
import type { ActivationOffer } from '../activations/activation-types.js';
import type { AppContext } from '../app-context.js';
import type { SmsOffer, SmsRouteOffer } from '../catalog/catalog.repository.js';
import { smsCatalogRef } from '../catalog/sms-catalog.service.js';
import { loadPriceSettings } from '../catalog/sms-prices.js';

/**
 * Which upstream a purchase of (type, country, service) tries first, second, …: the route's
 * policy applied to the offers the price covers (catalog.repository.ts leaves the others out).
 *
 * - `priority`: the route's order.
 * - `cheapest`: the offer's cost in PKR (cost × the currency's rate), then the route's order.
 * - `best`: the upstream's success rate on this entry over the last ROUTE_WINDOW_MS (orders that
 *   got a code / orders settled, counted as (delivered + 1) / (settled + 2) so an untried upstream
 *   stands at 50% and one bad order does not bury an upstream), in whole percent; then the median
 *   time-to-code (unmeasured last); then `cheapest`.
 */

export const ROUTE_WINDOW_MS = 24 * 3_600_000;

interface Ranked {
  route: SmsRouteOffer;
  pkrCost: bigint | null;
  successPercent: number;
  medianMs: number | null;
}

export async function rankRoutes(
  ctx: AppContext,
  offer: SmsOffer,
  catalogRef: string,
): Promise<SmsRouteOffer[]> {
  if (offer.routes.length < 2 || (offer.policy !== 'cheapest' && offer.policy !== 'best'))
    return offer.routes;
  const { rates } = await loadPriceSettings(ctx.db);
  const figures =
    offer.policy === 'best'
      ? new Map(
          (await routeFigures(ctx.db, { ref: catalogRef }, ctx.clock.now() - ROUTE_WINDOW_MS)).map((f) => [
            f.upstreamId,
            f,
          ]),
        )
      : new Map();
  const ranked: Ranked[] = offer.routes.map((route) => {
    const rate = rates.get(route.currency.toUpperCase());
    return {
      route,
      pkrCost: rate === undefined ? null : BigInt(route.costMicros) * BigInt(rate),
      ...measuredScore(figures.get(route.upstreamId)),
    };
  });
  ranked.sort(
    (a, b) =>
      compareMeasured(a, b) || compareNullable(a.pkrCost, b.pkrCost) || a.route.position - b.route.position,
  );
  return ranked.map((r) => r.route);
}

/** What `best` makes of an upstream's figures on an entry (none: an untried upstream, 50%). */
export function measuredScore(measured: RouteFigures | undefined): {
  successPercent: number;
  medianMs: number | null;
} {
  return {
    successPercent: Math.round((100 * ((measured?.delivered ?? 0) + 1)) / ((measured?.settled ?? 0) + 2)),
    medianMs: measured ? median(measured.timesMs) : null,
  };
}

/** `best`'s order on measured figures alone: success first, then the faster median; cost breaks ties. */
export function compareMeasured(
  a: { successPercent: number; medianMs: number | null },
  b: { successPercent: number; medianMs: number | null },
): number {
  return b.successPercent - a.successPercent || compareNullable(a.medianMs, b.medianMs);
}

/** Ascending, with null (unknown) after every known value. */
function compareNullable<T extends number | bigint>(a: T | null, b: T | null): number {
  if (a === null || b === null) return a === b ? 0 : a === null ? 1 : -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? null;
}

/**
 * What the activation engine buys for an SMS OTP offer: the one price, the routes in policy order;
 * null while the offer has no price (no exchange rate for its upstreams' currencies yet).
 */
export async function smsActivationOffer(
  ctx: AppContext,
  key: { type: number; country: number; service: number },
  offer: SmsOffer,
): Promise<ActivationOffer | null> {
  if (offer.pricePaisa === null || offer.routes.length === 0) return null;
  const catalogRef = smsCatalogRef(key.type, key.country, key.service);
  const routes = await rankRoutes(ctx, offer, catalogRef);
  return {
    line: 'sms',
    routes: routes.map((r) => ({
      upstreamId: r.upstreamId,
      upstreamCountry: r.upstreamCountry,
      upstreamService: r.upstreamService,
      ...(r.maxCostMicros === null ? {} : { maxCostMicros: r.maxCostMicros }),
    })),
    pricePaisa: offer.pricePaisa,
    ttlSeconds: ctx.config.activationTtlSeconds,
    catalogRef,
  };
}
