import type { Executor } from '../db/database.js';
import type { DayCost, ProductLines } from '../orders/product-line.js';

/** Delivery per line, upstream and service: how many settled orders got a code, and how fast. */
export interface DeliveryRate {
  line: string;
  upstream: string;
  service: string;
  /** Orders that ended (code, cancel, expiry). */
  settled: number;
  delivered: number;
  /** Mean seconds from purchase to the first code or letter; null when none was timed. */
  meanSeconds: number | null;
  /** Median of the same times (the upper middle one for an even count). */
  medianSeconds: number | null;
}

/** Code delivery per line, upstream and service since `since`, for the lines whose orders get codes. */
export async function deliveryRates<Ctx>(
  lines: ProductLines<Ctx>,
  db: Executor,
  since: number,
): Promise<DeliveryRate[]> {
  const rates = new Map<string, DeliveryRate & { timesMs: number[] }>();
  for (const line of lines.all) {
    for (const sample of (await line.deliverySamples?.(db, since)) ?? []) {
      const key = [sample.line, sample.upstream, sample.service].join('\u0000');
      let rate = rates.get(key);
      if (!rate) {
        rate = {
          line: sample.line,
          upstream: sample.upstream,
          service: sample.service,
          settled: 0,
          delivered: 0,
          meanSeconds: null,
          medianSeconds: null,
          timesMs: [],
        };
        rates.set(key, rate);
      }
      rate.settled += sample.settled;
      rate.delivered += sample.delivered;
      rate.timesMs.push(...sample.timesMs);
    }
  }
  return [...rates.values()].map(({ timesMs, ...rate }) => ({ ...rate, ...timeToCode(timesMs) }));
}

/** Mean and median of times in ms, as whole seconds. */
export function timeToCode(timesMs: number[]): { meanSeconds: number | null; medianSeconds: number | null } {
  if (timesMs.length === 0) return { meanSeconds: null, medianSeconds: null };
  const sorted = [...timesMs].sort((a, b) => a - b);
  const total = sorted.reduce((sum, t) => sum + t, 0);
  return {
    meanSeconds: Math.round(total / sorted.length / 1000),
    medianSeconds: Math.round((sorted[Math.floor(sorted.length / 2)] as number) / 1000),
  };
}

/**
 * What the upstreams charged per day for orders that were not refunded (a refunded order's
 * number was cancelled upstream, normally free). Costs stay in each upstream's micro-units.
 */
export async function upstreamCostsPerDay<Ctx>(
  lines: ProductLines<Ctx>,
  db: Executor,
  since: number,
): Promise<DayCost[]> {
  return (await Promise.all(lines.all.map((line) => line.upstreamCostsPerDay(db, since)))).flat();
}
