import type { AppContext } from '../app-context.js';
import { MissingExchangeRateError, priceFromCost } from '../pricing/pricing.repository.js';
import { UpstreamError } from '../providers/types.js';
import {
  findPriceTier,
  findRentalCountry,
  findRentalServer,
  listPriceTiers,
  listRentalCountries,
  listRentalServers,
  type RentalCountry,
  type RentalPriceTier,
  type RentalServer,
} from './catalog.repository.js';
import { rentalError } from './rental-errors.js';

/** Every duration a rental may have, in hours (the reference's list). */
export const RENTAL_DURATIONS: readonly number[] = [12, 24, 168, 720, 4320, 8640];
/** What a monthly-only server (the reference's Server 2) accepts. */
export const MONTHLY_DURATIONS: readonly number[] = [720, 4320, 8640];

const HOURS_PER_MONTH = 720;
/** How long one availability answer is reused: customers poll it, the upstream should not feel that. */
const AVAILABILITY_CACHE_MS = 15_000;

/**
 * The server a customer named, ready to sell from: it exists (otherwise `bad_provider`) and both it
 * and its upstream are enabled (otherwise `server_unavailable`, the reference's 503).
 */
export async function openRentalServer(ctx: AppContext, providerId: number | null): Promise<RentalServer> {
  const server = providerId === null ? null : await findRentalServer(ctx.db, providerId);
  if (!server) {
    const known = (await listRentalServers(ctx.db)).map((s) => s.id);
    throw rentalError({ code: 'bad_provider', known });
  }
  await assertServerOpen(ctx, server);
  return server;
}

/** Refuses with `server_unavailable` when the operator disabled the server or its upstream. */
export async function assertServerOpen(ctx: AppContext, server: RentalServer): Promise<void> {
  const upstream = server.enabled ? await ctx.providers.upstream(server.upstreamId) : null;
  if (!upstream?.enabled) throw rentalError({ code: 'server_unavailable', server: server.name });
}

/** Validates a duration for a server: one of the six, and monthly on a monthly-only server. */
export function checkDuration(server: RentalServer, hours: number | null): number {
  if (hours === null || !RENTAL_DURATIONS.includes(hours)) throw rentalError({ code: 'bad_duration' });
  if (server.monthlyOnly && !MONTHLY_DURATIONS.includes(hours)) {
    throw rentalError({ code: 'monthly_only', server: server.name });
  }
  return hours;
}

/** Markup scopes of a rental tier, most specific first. */
export function rentalMarkupScopes(serverId: number, countryCode: string): string[] {
  return [`rental:server:${serverId}:country:${countryCode}`, `rental:server:${serverId}`, 'rental'];
}

/**
 * A tier's customer price in paisa: the fixed price, or the upstream cost × exchange rate × markup
 * (most specific markup scope first). Null when the operator has not set the rate the cost needs.
 */
export async function tierPricePaisa(
  ctx: AppContext,
  server: RentalServer,
  country: RentalCountry,
  tier: RentalPriceTier,
): Promise<number | null> {
  if (tier.pricePaisa !== null) return tier.pricePaisa;
  if (tier.costMicros === null) return null;
  const upstream = await ctx.providers.upstream(server.upstreamId);
  try {
    return await priceFromCost(ctx.db, {
      costMicros: tier.costMicros,
      currency: upstream.currency,
      markupScopes: rentalMarkupScopes(server.id, country.countryCode),
    });
  } catch (error) {
    if (!(error instanceof MissingExchangeRateError)) throw error;
    ctx.log.warn({ tier: tier.id, currency: upstream.currency }, 'rental tier skipped: no exchange rate');
    return null;
  }
}

/** Countries on sale: of one server (`providerId` null when unreadable), or of every open server. */
export async function listCountriesOnSale(
  ctx: AppContext,
  filter: 'all' | { providerId: number | null },
): Promise<Array<{ country: RentalCountry; server: RentalServer }>> {
  if (filter !== 'all') {
    const server = await openRentalServer(ctx, filter.providerId);
    const countries = await listRentalCountries(ctx.db, { serverId: server.id, enabledOnly: true });
    return countries.map((country) => ({ country, server }));
  }
  const open: RentalServer[] = [];
  for (const server of await listRentalServers(ctx.db)) {
    const upstream = server.enabled ? await ctx.providers.upstream(server.upstreamId) : null;
    if (upstream?.enabled) open.push(server);
  }
  const byId = new Map(open.map((s) => [s.id, s]));
  const countries = await listRentalCountries(ctx.db, { enabledOnly: true });
  return countries.flatMap((country) => {
    const server = byId.get(country.serverId);
    return server ? [{ country, server }] : [];
  });
}

/** A country on sale on an open server, or `no_pricing`. */
async function countryOnSale(
  ctx: AppContext,
  server: RentalServer,
  countryCode: string,
  hours?: number,
): Promise<RentalCountry> {
  const country = await findRentalCountry(ctx.db, server.id, countryCode.trim());
  if (!country?.enabled)
    throw rentalError(hours === undefined ? { code: 'no_pricing' } : { code: 'no_pricing', hours });
  return country;
}

/** Every priced tier of a country, shortest first; `no_pricing` when there is none. */
export async function listPricing(
  ctx: AppContext,
  providerId: number | null,
  countryCode: string,
): Promise<{
  server: RentalServer;
  country: RentalCountry;
  tiers: Array<{ tier: RentalPriceTier; pricePaisa: number }>;
}> {
  const server = await openRentalServer(ctx, providerId);
  const country = await countryOnSale(ctx, server, countryCode);
  const tiers: Array<{ tier: RentalPriceTier; pricePaisa: number }> = [];
  for (const tier of await listPriceTiers(ctx.db, country.id, { enabledOnly: true })) {
    const pricePaisa = await tierPricePaisa(ctx, server, country, tier);
    if (pricePaisa !== null) tiers.push({ tier, pricePaisa });
  }
  if (tiers.length === 0) throw rentalError({ code: 'no_pricing' });
  return { server, country, tiers };
}

/** What one rental costs: the server, country and tier, priced; throws the reference's 400/404/503. */
export async function quoteRental(
  ctx: AppContext,
  request: { providerId: number | null; countryCode: string; hours: number | null },
): Promise<{ server: RentalServer; country: RentalCountry; hours: number; pricePaisa: number }> {
  const server = await openRentalServer(ctx, request.providerId);
  const hours = checkDuration(server, request.hours);
  const country = await countryOnSale(ctx, server, request.countryCode, hours);
  const pricePaisa = await quoteTier(ctx, server, country, hours);
  return { server, country, hours, pricePaisa };
}

/** The price of `hours` in a country, or `no_pricing`. */
export async function quoteTier(
  ctx: AppContext,
  server: RentalServer,
  country: RentalCountry,
  hours: number,
): Promise<number> {
  const tier = await findPriceTier(ctx.db, country.id, hours);
  const pricePaisa = tier?.enabled ? await tierPricePaisa(ctx, server, country, tier) : null;
  if (pricePaisa === null) throw rentalError({ code: 'no_pricing', hours });
  return pricePaisa;
}

const availabilityCaches = new WeakMap<AppContext, Map<string, { at: number; available: number }>>();

/**
 * Live stock of a country (cached briefly per process) and the shortest term in whole months
 * (`min_month`: 1 on a monthly server, 0 where less than a month can be rented).
 */
export async function checkAvailability(
  ctx: AppContext,
  providerId: number | null,
  countryCode: string,
): Promise<{ country: RentalCountry; available: number; minMonth: number }> {
  const { server, country, tiers } = await listPricing(ctx, providerId, countryCode);
  const shortest = Math.min(...tiers.map((t) => t.tier.durationHours));
  const minMonth = Math.floor(shortest / HOURS_PER_MONTH);
  const cache = availabilityCaches.get(ctx) ?? new Map<string, { at: number; available: number }>();
  availabilityCaches.set(ctx, cache);
  const key = `${server.id}:${server.upstreamId}:${country.id}`;
  const now = ctx.clock.now();
  const cached = cache.get(key);
  if (cached && now - cached.at < AVAILABILITY_CACHE_MS && now >= cached.at) {
    return { country, available: cached.available, minMonth };
  }
  const provider = await ctx.providers.rental(server.upstreamId);
  let available = 0;
  try {
    available = provider.getAvailability ? await provider.getAvailability(country.upstreamCountry) : 0;
  } catch (error) {
    if (error instanceof UpstreamError) {
      throw rentalError({ code: 'upstream', server: server.name, kind: error.kind, refunded: false });
    }
    throw error;
  }
  cache.set(key, { at: now, available });
  return { country, available, minMonth };
}
