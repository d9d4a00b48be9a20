import { type AuditStamp, inAuditedTransaction } from '../admin/audit.repository.js';
import type { AppContext } from '../app-context.js';
import { type RowChange, updateRowsById } from '../db/bulk-update.js';
import type { Executor, Trx } from '../db/database.js';
import { customerPricePaisa } from '../pricing/pricing.js';
import type { Job } from '../workers/worker.js';

/**
 * Customer prices of the SMS OTP catalog: upstream cost × exchange rate × markup (the operator's
 * `rate:<CUR>` and `markup:<scope>` settings; scopes `sms:type:T:service:S`, `sms:type:T`, `sms`),
 * rounded to the paisa, unless the row has a fixed price. The result is stored on the row, so
 * getServices shows and getNumber charges the same figure, and recomputed after every change.
 */

const MICROS = 1_000_000;

interface PriceSettings {
  rates: Map<string, number>;
  markups: Map<string, number>;
}

/** The exchange rates (`rate:<CUR>`, PKR per unit in micros; PKR itself 1:1) and SMS markups. */
export async function loadPriceSettings(db: Executor): Promise<PriceSettings> {
  const rows = await db
    .selectFrom('settings')
    .select(['key', 'value'])
    .where((eb) => eb.or([eb('key', 'like', 'rate:%'), eb('key', 'like', 'markup:sms%')]))
    .execute();
  const rates = new Map<string, number>([['PKR', MICROS]]);
  const markups = new Map<string, number>();
  for (const { key, value } of rows) {
    if (key.startsWith('rate:') && /^\d+$/.test(value)) rates.set(key.slice(5).toUpperCase(), Number(value));
    if (key.startsWith('markup:') && /^-?\d+$/.test(value)) markups.set(key.slice(7), Number(value));
  }
  return { rates, markups };
}

function markupFor(settings: PriceSettings, type: number, service: number): number {
  for (const scope of [`sms:type:${type}:service:${service}`, `sms:type:${type}`, 'sms']) {
    const value = settings.markups.get(scope);
    if (value !== undefined) return value;
  }
  return 0;
}

/** The highest upstream cost the price still covers (never below today's cost: a discount is the operator's choice). */
export function maxCostMicros(
  pricePaisa: number,
  pkrPerUnitMicros: number,
  costMicros: number,
): number | null {
  const breakEven = breakEvenMicros(pricePaisa, pkrPerUnitMicros);
  return breakEven === null ? null : Math.max(breakEven, costMicros);
}

/** The upstream cost a price in paisa pays for at a rate; null for a free price or no rate. */
export function breakEvenMicros(pricePaisa: number, pkrPerUnitMicros: number): number | null {
  if (pricePaisa <= 0 || pkrPerUnitMicros <= 0) return null;
  // paisa = cost × rate / 1e10, so cost = paisa × 1e10 / rate, rounded down.
  return Number((BigInt(pricePaisa) * 10_000_000_000n) / BigInt(pkrPerUnitMicros));
}

/**
 * Recomputes every row's price and maximum cost; returns how many rows changed.
 *
 * One customer price per (type, country, service): the price row is the enabled offer, first in
 * the type's route, that can be priced (its upstream's currency has a rate, or it has a fixed
 * price). The key's other routed offers carry no price, only the break-even of that price at their
 * own upstream's rate, so a purchase skips an upstream whose cost the price does not cover.
 */
const PRICE_COLUMNS = { price_paisa: 'bigint', max_cost_micros: 'bigint' } as const;

export async function recomputeSmsPrices(db: Executor, now: number): Promise<number> {
  const [rows, settings] = await Promise.all([
    db
      .selectFrom('sms_prices as p')
      .innerJoin('upstreams as u', 'u.id', 'p.upstream_id')
      .leftJoin('sms_type_routes as r', (join) =>
        join.onRef('r.provider_type', '=', 'p.provider_type').onRef('r.upstream_id', '=', 'p.upstream_id'),
      )
      .select([
        'p.id',
        'p.provider_type',
        'p.country_id',
        'p.service_id',
        'p.cost_micros',
        'p.fixed_price_paisa',
        'p.price_paisa',
        'p.max_cost_micros',
        'p.enabled',
        'u.currency',
        'r.position',
      ])
      .execute(),
    loadPriceSettings(db),
  ]);
  // Each offer's own price at its upstream's rate (or its fixed price), grouped by key.
  const keys = new Map<string, Array<(typeof rows)[number] & { rate?: number; own: number | null }>>();
  for (const row of rows) {
    const rate = settings.rates.get(row.currency.toUpperCase());
    const own =
      row.fixed_price_paisa ??
      (rate === undefined
        ? null
        : customerPricePaisa({
            costMicros: row.cost_micros,
            pkrPerUnitMicros: rate,
            markupBasisPoints: markupFor(settings, row.provider_type, row.service_id),
          }));
    const key = `${row.provider_type}/${row.country_id}/${row.service_id}`;
    const group = keys.get(key) ?? [];
    group.push({ ...row, ...(rate === undefined ? {} : { rate }), own });
    keys.set(key, group);
  }
  const changes: RowChange[] = [];
  for (const group of keys.values()) {
    const routed = group
      .filter((row) => row.position !== null)
      .sort((a, b) => (a.position as number) - (b.position as number));
    const priceRow = routed.find((row) => row.enabled === 1 && row.own !== null);
    const keyPrice = priceRow?.own ?? null;
    for (const row of group) {
      let price: number | null = null;
      let maxCost: number | null = null;
      if (row === priceRow) {
        price = keyPrice;
        maxCost = row.rate === undefined ? null : maxCostMicros(row.own as number, row.rate, row.cost_micros);
      } else if (row.position !== null && keyPrice !== null && row.rate !== undefined) {
        maxCost = breakEvenMicros(keyPrice, row.rate);
      }
      if (price === row.price_paisa && maxCost === row.max_cost_micros) continue;
      changes.push({ id: row.id, values: { price_paisa: price, max_cost_micros: maxCost } });
    }
  }
  await updateRowsById(db, 'sms_prices', PRICE_COLUMNS, changes, { shared: { updated_at: now } });
  return changes.length;
}

/**
 * Asks each upstream on an enabled type's route that can list prices for its costs and stock
 * (one call per upstream, outside any transaction), then stores them on the matching rows and
 * recomputes prices in one transaction; with `audit`, the operator's audit row is written in that
 * transaction too. Returns the upstreams that failed, with the reason.
 */
export async function syncSmsPrices(
  ctx: AppContext,
  signal?: AbortSignal,
  options: { onlyUpstreams?: Set<number>; audit?: AuditStamp } = {},
): Promise<{ synced: number[]; failed: Array<{ upstreamId: number; reason: string }> }> {
  const upstreamIds = (
    await ctx.db
      .selectFrom('sms_type_routes as r')
      .innerJoin('sms_provider_types as t', 't.id', 'r.provider_type')
      .select('r.upstream_id')
      .distinct()
      .where('t.enabled', '=', 1)
      .execute()
  )
    .map((r) => r.upstream_id)
    .filter((id) => !options.onlyUpstreams || options.onlyUpstreams.has(id));
  const fetched = new Map<number, Map<string, { costMicros: number; stock: number }>>();
  const failed: Array<{ upstreamId: number; reason: string }> = [];
  for (const upstreamId of upstreamIds) {
    try {
      const provider = await ctx.providers.sms(upstreamId);
      if (!provider.getPrices) continue;
      fetched.set(upstreamId, await provider.getPrices(signal));
    } catch (error) {
      failed.push({ upstreamId, reason: error instanceof Error ? error.message : String(error) });
      ctx.log.warn({ err: error, upstreamId }, 'SMS price sync failed for an upstream');
    }
  }
  const synced = [...fetched.keys()];
  const store = async (trx: Trx) => {
    const now = ctx.clock.now();
    for (const [upstreamId, prices] of fetched) await storeUpstreamPrices(trx, upstreamId, prices, now);
    await recomputeSmsPrices(trx, now);
  };
  if (options.audit) {
    await inAuditedTransaction(ctx.db, options.audit, async (trx) => {
      await store(trx);
      const audit = {
        action: 'catalog.sync',
        target: 'sms-catalog',
        before: null,
        after: { synced, failed: failed.map((f) => f.upstreamId) },
      };
      return { result: undefined, audit };
    });
  } else {
    await ctx.db.transaction().execute(store);
  }
  return { synced, failed };
}

async function storeUpstreamPrices(
  db: Executor,
  upstreamId: number,
  prices: Map<string, { costMicros: number; stock: number }>,
  now: number,
): Promise<void> {
  const rows = await db
    .selectFrom('sms_prices as p')
    .select(['p.id', 'p.upstream_country', 'p.upstream_service', 'p.cost_micros', 'p.stock'])
    .where('p.upstream_id', '=', upstreamId)
    .execute();
  const changes = rows.map((row) => {
    const offer = prices.get(`${row.upstream_country}/${row.upstream_service}`);
    // An offer the upstream no longer lists keeps its last cost, with no stock.
    return {
      id: row.id,
      values: { cost_micros: offer?.costMicros ?? row.cost_micros, stock: offer?.stock ?? 0 },
    };
  });
  await updateRowsById(db, 'sms_prices', STOCK_COLUMNS, changes, {
    shared: { synced_at: now, updated_at: now },
  });
}

const STOCK_COLUMNS = { cost_micros: 'bigint', stock: 'bigint' } as const;

const UPSTREAM_SYNC_MS = 10 * 60_000;

/** Background job: local recompute every minute (rate/markup changes), upstream costs every 10 minutes. */
export function smsPriceSyncJob(ctx: AppContext): Job {
  let lastUpstreamSync = Number.NEGATIVE_INFINITY;
  return {
    name: 'catalog.sms-prices',
    intervalMs: 60_000,
    async run(signal) {
      const now = ctx.clock.now();
      if (now - lastUpstreamSync >= UPSTREAM_SYNC_MS) {
        lastUpstreamSync = now;
        await syncSmsPrices(ctx, signal);
      } else {
        await recomputeSmsPrices(ctx.db, now);
      }
    },
  };
}
