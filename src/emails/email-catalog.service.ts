import type { AppContext } from '../app-context.js';
import { UnknownUpstreamError } from '../providers/registry.js';
import type { EmailProvider } from '../providers/types.js';
import type { Upstream } from '../providers/upstreams.repository.js';
import { ANY_SITE } from './email-catalog.js';
import { findEmailServer, listOffers, listServiceOffers } from './email-catalog.repository.js';
import { EmailError } from './email-errors.js';

/** A server that can sell right now: its upstream and adapter. */
export interface ActiveEmailServer {
  server: number;
  upstream: Upstream;
  provider: EmailProvider;
}

/**
 * The upstream behind a server, or why there is none: `not_configured` (no such server, no
 * upstream, no adapter for its protocol) or `disabled` (switched off, here or on the upstream).
 */
export async function resolveEmailServer(ctx: AppContext, server: number): Promise<ActiveEmailServer> {
  const row = await findEmailServer(ctx.db, server);
  if (!row) throw new EmailError('not_configured');
  try {
    const upstream = await ctx.providers.upstream(row.upstreamId);
    if (upstream.kind !== 'email') throw new EmailError('not_configured');
    if (!row.enabled || !upstream.enabled) throw new EmailError('disabled');
    return { server, upstream, provider: await ctx.providers.email(row.upstreamId) };
  } catch (error) {
    if (error instanceof UnknownUpstreamError) throw new EmailError('not_configured');
    throw error;
  }
}

export interface ServiceListing {
  serviceCode: string;
  serviceName: string;
  /** Paisa. */
  price: number;
  count: number;
}

/** Server 1: the services on sale on one mailbox domain, with price and stock, in catalogue order. */
export async function listServer1Services(ctx: AppContext, domain: string): Promise<ServiceListing[]> {
  await resolveEmailServer(ctx, 1);
  const offers = await listServiceOffers(ctx.db, domain);
  return offers
    .filter((o) => o.stock > 0)
    .map((o) => ({ serviceCode: o.serviceCode, serviceName: o.serviceName, price: o.price, count: o.stock }));
}

export interface DomainListing {
  domain: string;
  /** Paisa. */
  price: number;
  count: number;
}

const STOCK_CACHE_MS = 60_000;
const STOCK_TIMEOUT_MS = 3_000;
type StockCache = Map<string, { at: number; stock: Map<string, number> | null }>;
// One cache per running app (keyed by its provider registry), never shared between apps in a process.
const stockCaches = new WeakMap<object, StockCache>();

/**
 * Server 2: the mailbox domains on sale, with our price and the stock for the site. The stock is
 * the upstream's own count for that site when it reports one (asked at most once a minute per
 * upstream and site, with a short timeout); otherwise, as with the sandbox, the catalogue's.
 */
export async function listServer2Domains(ctx: AppContext, site: string): Promise<DomainListing[]> {
  const target = await resolveEmailServer(ctx, 2);
  const offers = await listOffers(ctx.db, 2, { enabledOnly: true });
  const live = await upstreamStock(ctx, target, site || ANY_SITE);
  return offers
    .map((o) => ({ domain: o.domain, price: o.price, count: live ? (live.get(o.domain) ?? 0) : o.stock }))
    .filter((d) => d.count > 0);
}

async function upstreamStock(
  ctx: AppContext,
  target: ActiveEmailServer,
  site: string,
): Promise<Map<string, number> | null> {
  if (!target.provider.getDomains) return null;
  let stockCache = stockCaches.get(ctx.providers);
  if (!stockCache) {
    stockCache = new Map();
    stockCaches.set(ctx.providers, stockCache);
  }
  const key = `${target.upstream.id}:${target.upstream.updatedAt}:${site}`;
  const now = Date.now();
  const cached = stockCache.get(key);
  if (cached && now - cached.at < STOCK_CACHE_MS) return cached.stock;
  let stock: Map<string, number> | null = null;
  try {
    const domains = await target.provider.getDomains(site, AbortSignal.timeout(STOCK_TIMEOUT_MS));
    // An upstream that lists nothing at all reports no stock (the sandbox): keep the catalogue's.
    if (domains.length > 0) stock = new Map(domains.map((d) => [d.domain.toLowerCase(), d.stock]));
  } catch (error) {
    ctx.log.warn({ err: error, upstream: target.upstream.name }, 'email stock lookup failed');
  }
  if (stockCache.size > 1_000) stockCache.clear();
  stockCache.set(key, { at: now, stock });
  return stock;
}
