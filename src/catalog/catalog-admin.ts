import type { Executor } from '../db/database.js';
import { SANDBOX_UPSTREAMS } from '../db/migrations/0002-sandbox-upstreams.js';
import {
  findUpstream,
  findUpstreamByName,
  insertUpstream,
  type Upstream,
  updateUpstream,
} from '../providers/upstreams.repository.js';
import { findProviderType } from './catalog.repository.js';
import { CatalogAdminError } from './catalog-admin-error.js';
import { recomputeSmsPrices } from './sms-prices.js';
import { resolveSmsUpstream, writeTypeRoute } from './sms-routes.js';

/**
 * Operator changes to the SMS OTP catalog, as building blocks: they run on the handle they are
 * given and open no transaction, so catalog-admin.service.ts runs them inside the change's own
 * transaction with its audit row. Every change that can move a price recomputes prices before
 * returning.
 */

export { CatalogAdminError };

/** Protocols an SMS provider type can use. */
export const SMS_PROTOCOLS = ['sandbox', 'sms-activate'] as const;
export type SmsProtocol = (typeof SMS_PROTOCOLS)[number];

export interface ProviderUpstreamInput {
  protocol: SmsProtocol;
  baseUrl?: string;
  apiKey?: string;
  currency?: string;
  timeoutMs?: number;
  /** Name of the upstream account; default `sms-type-<n>`. Types may share one by naming it. */
  upstreamName?: string;
}

async function requireType(db: Executor, type: number) {
  const found = await findProviderType(db, type);
  if (!found) throw new CatalogAdminError(`provider type ${type} does not exist (types are 1-6)`);
  return found;
}

/**
 * Points a provider type at an upstream: the shared sandbox, or an SMS-Activate-protocol account
 * (created, or updated when it exists). Orders already bought keep the upstream they were bought from.
 */
export async function configureProviderUpstream(
  db: Executor,
  type: number,
  input: ProviderUpstreamInput,
  now: number,
): Promise<Upstream> {
  const current = await requireType(db, type);
  let upstreamId: number;
  if (input.protocol === 'sandbox') {
    const sandbox = await findUpstreamByName(db, SANDBOX_UPSTREAMS.sms);
    if (!sandbox) throw new CatalogAdminError('the sandbox SMS upstream is missing');
    upstreamId = sandbox.id;
  } else {
    const name = input.upstreamName ?? `sms-type-${type}`;
    const existing = await findUpstreamByName(db, name);
    if (existing && existing.kind !== 'sms')
      throw new CatalogAdminError(`upstream "${name}" is not an SMS upstream`);
    if (input.baseUrl !== undefined) checkUrl(input.baseUrl);
    const changes = {
      protocol: input.protocol,
      ...(input.baseUrl !== undefined ? { baseUrl: input.baseUrl } : {}),
      ...(input.apiKey !== undefined ? { apiKey: input.apiKey } : {}),
      ...(input.currency !== undefined ? { currency: input.currency.toUpperCase() } : {}),
      ...(input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {}),
    };
    if (existing) {
      await updateUpstream(db, existing.id, changes, now);
      upstreamId = existing.id;
    } else {
      if (!input.baseUrl || !input.apiKey) {
        throw new CatalogAdminError('a new SMS-Activate-protocol upstream needs --url and --key');
      }
      upstreamId = await insertUpstream(db, { name, kind: 'sms', currency: 'USD', ...changes }, now);
    }
  }
  await repointOffers(db, type, current.upstreamId, upstreamId, now);
  await writeTypeRoute(db, type, [upstreamId], undefined, now);
  const upstream = await findUpstream(db, upstreamId);
  if (!upstream) throw new CatalogAdminError(`upstream ${upstreamId} vanished`);
  return upstream;
}

/**
 * `provider set` moves the type to one upstream with its offers: those of the route's old head
 * become the new upstream's (with the codes they had), unless the new upstream already has its own
 * offer of the same country and service. Other upstreams' offers stay theirs, off the route.
 */
async function repointOffers(db: Executor, type: number, from: number, to: number, now: number) {
  if (from === to) return;
  await db
    .updateTable('sms_prices')
    .set({ upstream_id: to, updated_at: now })
    .where('provider_type', '=', type)
    .where('upstream_id', '=', from)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('sms_prices as own')
            .select('own.id')
            .where('own.provider_type', '=', type)
            .where('own.upstream_id', '=', to)
            .whereRef('own.country_id', '=', 'sms_prices.country_id')
            .whereRef('own.service_id', '=', 'sms_prices.service_id'),
        ),
      ),
    )
    .execute();
}

function checkUrl(url: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new CatalogAdminError(`"${url}" is not a URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new CatalogAdminError(`"${url}" must be an http or https URL`);
  }
}

export async function setProviderType(
  db: Executor,
  type: number,
  changes: { enabled?: boolean; name?: string },
  now: number,
): Promise<void> {
  await requireType(db, type);
  await db
    .updateTable('sms_provider_types')
    .set({
      ...(changes.enabled !== undefined ? { enabled: changes.enabled ? 1 : 0 } : {}),
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      updated_at: now,
    })
    .where('id', '=', type)
    .execute();
}

export async function upsertCountry(db: Executor, id: number, name: string, now: number): Promise<void> {
  await db
    .insertInto('sms_countries')
    .values({ id, name, created_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ name }))
    .execute();
}

export async function upsertService(db: Executor, id: number, name: string, now: number): Promise<void> {
  await db
    .insertInto('sms_services')
    .values({ id, name, created_at: now })
    .onConflict((oc) => oc.column('id').doUpdateSet({ name }))
    .execute();
}

export interface PriceRowInput {
  type: number;
  countryId: number;
  serviceId: number;
  /** The upstream of the offer, by id or name; default the type's route head. */
  upstream?: string;
  upstreamCountry?: string;
  upstreamService?: string;
  costMicros?: number;
  /** A fixed customer price; null returns the row to cost × rate × markup. */
  fixedPricePaisa?: number | null;
  enabled?: boolean;
}

/** Creates or changes one upstream's offer of (type, country, service), then recomputes prices. */
export async function upsertPriceRow(db: Executor, input: PriceRowInput, now: number): Promise<void> {
  const type = await requireType(db, input.type);
  const upstreamId =
    input.upstream === undefined ? type.upstreamId : (await resolveSmsUpstream(db, input.upstream)).id;
  const country = await db
    .selectFrom('sms_countries')
    .select('id')
    .where('id', '=', input.countryId)
    .executeTakeFirst();
  if (!country) throw new CatalogAdminError(`country ${input.countryId} does not exist; add it first`);
  const service = await db
    .selectFrom('sms_services')
    .select('id')
    .where('id', '=', input.serviceId)
    .executeTakeFirst();
  if (!service) throw new CatalogAdminError(`service ${input.serviceId} does not exist; add it first`);
  const existing = await db
    .selectFrom('sms_prices')
    .select('id')
    .where('provider_type', '=', input.type)
    .where('country_id', '=', input.countryId)
    .where('service_id', '=', input.serviceId)
    .where('upstream_id', '=', upstreamId)
    .executeTakeFirst();
  if (existing) {
    await db
      .updateTable('sms_prices')
      .set({
        ...(input.upstreamCountry !== undefined ? { upstream_country: input.upstreamCountry } : {}),
        ...(input.upstreamService !== undefined ? { upstream_service: input.upstreamService } : {}),
        ...(input.costMicros !== undefined ? { cost_micros: input.costMicros } : {}),
        ...(input.fixedPricePaisa !== undefined ? { fixed_price_paisa: input.fixedPricePaisa } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled ? 1 : 0 } : {}),
        updated_at: now,
      })
      .where('id', '=', existing.id)
      .execute();
  } else {
    if (input.upstreamCountry === undefined || input.upstreamService === undefined) {
      throw new CatalogAdminError('a new offer needs the upstream country and service codes');
    }
    if (input.costMicros === undefined && (input.fixedPricePaisa ?? null) === null) {
      throw new CatalogAdminError('a new offer needs a cost or a fixed price');
    }
    await db
      .insertInto('sms_prices')
      .values({
        provider_type: input.type,
        country_id: input.countryId,
        service_id: input.serviceId,
        upstream_id: upstreamId,
        upstream_country: input.upstreamCountry,
        upstream_service: input.upstreamService,
        cost_micros: input.costMicros ?? 0,
        fixed_price_paisa: input.fixedPricePaisa ?? null,
        price_paisa: null,
        max_cost_micros: null,
        stock: null,
        enabled: input.enabled === false ? 0 : 1,
        synced_at: null,
        updated_at: now,
      })
      .execute();
  }
  await recomputeSmsPrices(db, now);
}

export interface PriceRowView {
  type: number;
  countryId: number;
  country: string;
  serviceId: number;
  service: string;
  /** The upstream the offer buys from. */
  upstreamId: number;
  upstream: string;
  upstreamCountry: string;
  upstreamService: string;
  costMicros: number;
  fixedPricePaisa: number | null;
  pricePaisa: number | null;
  stock: number | null;
  enabled: boolean;
}

export async function listPriceRows(
  db: Executor,
  filter: { type?: number; countryId?: number } = {},
): Promise<PriceRowView[]> {
  const rows = await db
    .selectFrom('sms_prices as p')
    .innerJoin('sms_countries as c', 'c.id', 'p.country_id')
    .innerJoin('sms_services as s', 's.id', 'p.service_id')
    .innerJoin('upstreams as u', 'u.id', 'p.upstream_id')
    .select([
      'p.provider_type',
      'p.upstream_id',
      'u.name as upstream',
      'p.country_id',
      'c.name as country',
      'p.service_id',
      's.name as service',
      'p.upstream_country',
      'p.upstream_service',
      'p.cost_micros',
      'p.fixed_price_paisa',
      'p.price_paisa',
      'p.stock',
      'p.enabled',
    ])
    .$if(filter.type !== undefined, (qb) => qb.where('p.provider_type', '=', filter.type as number))
    .$if(filter.countryId !== undefined, (qb) => qb.where('p.country_id', '=', filter.countryId as number))
    .orderBy('p.provider_type')
    .orderBy('c.name')
    .orderBy('p.service_id')
    .orderBy('p.upstream_id')
    .execute();
  return rows.map((r) => ({
    type: r.provider_type,
    countryId: r.country_id,
    country: r.country,
    serviceId: r.service_id,
    service: r.service,
    upstreamId: r.upstream_id,
    upstream: r.upstream,
    upstreamCountry: r.upstream_country,
    upstreamService: r.upstream_service,
    costMicros: r.cost_micros,
    fixedPricePaisa: r.fixed_price_paisa,
    pricePaisa: r.price_paisa,
    stock: r.stock,
    enabled: r.enabled === 1,
  }));
}
