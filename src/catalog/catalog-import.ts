import { type AuditStamp, inAuditedTransaction } from '../admin/audit.repository.js';
import type { AppContext } from '../app-context.js';
import { type RowChange, updateRowsById } from '../db/bulk-update.js';
import type { Executor } from '../db/database.js';
import { type UpstreamCatalogue, UpstreamError } from '../providers/types.js';
import { serviceNameOfCode } from '../sms/service-codes.js';
import { findProviderType } from './catalog.repository.js';
import { CatalogAdminError } from './catalog-admin.js';
import { recordCatalogueImport } from './catalogue-imports.js';
import { recomputeSmsPrices } from './sms-prices.js';
import { findTypeRoute, resolveSmsUpstream } from './sms-routes.js';

/**
 * `otpget catalog import <type> [--upstream U]`: reads one upstream's own catalogue (getCountries,
 * getServicesList, getPrices) and makes our countries, services and that upstream's offers for the
 * type match it, in one audited transaction, with prices recomputed by the usual rate and markup
 * rules. The CLI and the console call it once per upstream of the type's route.
 *
 * - A country is matched to ours by name (case, spacing and a few common aliases aside: "United
 *   Kingdom" is our "England"), never by an upstream country code already on an offer: those are
 *   the previous upstream's codes when a type changes upstream (the sandbox's "1" is a dialling
 *   code, SMS-Activate's "1" is Ukraine). A service is matched by the upstream code an offer of
 *   ours uses (codes are words, not numbers), else by the SMS-Activate code table (tg →
 *   Telegram), else by name. What matches nothing becomes a new country or
 *   service with the next free id of ours.
 * - Offers the upstream lists are added or updated (cost, stock, enabled); its offers of the type
 *   it no longer lists are disabled with no stock (other upstreams' offers are not touched). Nothing is deleted: orders refer to offers only
 *   by their catalogue reference, and a disabled offer can come back on the next import.
 * - `countries` / `services` narrow it to those upstream country ids and service codes (also for
 *   what is disabled).
 * - An offer with a fixed customer price keeps it; only its cost and stock change.
 */

export interface ImportFilter {
  countries?: Set<string>;
  services?: Set<string>;
}

export interface ImportSummary {
  type: number;
  upstreamId: number;
  countries: { matched: number; added: number };
  services: { matched: number; added: number };
  offers: { added: number; updated: number; unchanged: number; disabled: number };
}

/** Names as the matcher compares them: lower case, letters and digits only, aliases resolved. */
const COUNTRY_ALIASES: Readonly<Record<string, string>> = {
  unitedkingdom: 'england',
  uk: 'england',
  greatbritain: 'england',
  unitedstates: 'usa',
  unitedstatesofamerica: 'usa',
  us: 'usa',
};
const nameKey = (name: string) => name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '');
const countryKey = (name: string) => COUNTRY_ALIASES[nameKey(name)] ?? nameKey(name);

const INSERT_CHUNK = 200;
const OFFER_COLUMNS = {
  upstream_country: 'text',
  upstream_service: 'text',
  cost_micros: 'bigint',
  stock: 'bigint',
  enabled: 'bigint',
} as const;

/** How far the writing is: rows written of rows to write (countries, services and offers). */
export type ImportProgress = (written: number, total: number) => void;

export async function importSmsCatalogue(
  ctx: AppContext,
  type: number,
  filter: ImportFilter,
  stamp: AuditStamp,
  onProgress: ImportProgress = () => {},
  /** The upstream whose offers these become; default the type's route head. */
  upstreamId?: number,
): Promise<ImportSummary> {
  const providerType = await findProviderType(ctx.db, type);
  if (!providerType) throw new CatalogAdminError(`provider type ${type} does not exist`);
  const from = upstreamId ?? providerType.upstreamId;
  const upstream = await ctx.providers.upstream(from);
  if (upstream.kind !== 'sms')
    throw new CatalogAdminError(`upstream "${upstream.name}" is not an SMS upstream`);
  const provider = await ctx.providers.sms(from);
  if (!provider.getCatalogue || !provider.getPrices) {
    throw new CatalogAdminError(
      `upstream "${upstream.name}" publishes no catalogue to import (its protocol has none)`,
    );
  }
  // Upstream calls first, outside any transaction; a failing one writes nothing.
  const [catalogue, prices] = await Promise.all([provider.getCatalogue(), provider.getPrices()]).catch(
    (error: unknown) => {
      if (!(error instanceof UpstreamError)) throw error;
      throw new CatalogAdminError(
        `upstream "${upstream.name}" did not send its catalogue (${error.kind}); nothing imported`,
      );
    },
  );
  const wanted = (country: string, service: string) =>
    (!filter.countries || filter.countries.has(country)) &&
    (!filter.services || filter.services.has(service));
  return inAuditedTransaction(ctx.db, stamp, async (trx) => {
    const summary = await applyCatalogue(trx, type, from, catalogue, prices, wanted, stamp.now, onProgress);
    await recomputeSmsPrices(trx, stamp.now);
    const list = (items: Set<string> | undefined) => (items ? [...items].sort() : undefined);
    await recordCatalogueImport(
      trx,
      'sms',
      {
        target: type,
        upstreamId: from,
        options: { countries: list(filter.countries), services: list(filter.services) },
      },
      stamp.now,
      ctx.config.catalogReimportMinutes,
    );
    return {
      result: summary,
      audit: { action: 'catalog.import', target: `sms-type:${type}`, before: null, after: summary },
    };
  });
}

/**
 * The import as the CLI and the console run it: from the one named upstream (id or name), or from
 * each upstream of the type's route in order. `progress` gives each upstream's progress callback;
 * `ms` is each import's wall time.
 */
export async function importSmsCatalogueFromRoute(
  ctx: AppContext,
  type: number,
  filter: ImportFilter,
  stamp: AuditStamp,
  upstream?: string,
  progress: (upstream: string) => ImportProgress = () => () => {},
): Promise<Array<{ upstream: string; summary: ImportSummary; ms: number }>> {
  const upstreams =
    upstream !== undefined
      ? [await resolveSmsUpstream(ctx.db, upstream)]
      : await Promise.all(
          ((await findTypeRoute(ctx.db, type))?.upstreamIds ?? []).map((id) => ctx.providers.upstream(id)),
        );
  const done: Array<{ upstream: string; summary: ImportSummary; ms: number }> = [];
  for (const from of upstreams) {
    const started = performance.now(); // how long it took, for the operator: wall time, not the clock
    const summary = await importSmsCatalogue(ctx, type, filter, stamp, progress(from.name), from.id);
    done.push({ upstream: from.name, summary, ms: Math.round(performance.now() - started) });
  }
  return done;
}

async function applyCatalogue(
  db: Executor,
  type: number,
  upstreamId: number,
  catalogue: UpstreamCatalogue,
  prices: Map<string, { costMicros: number; stock: number }>,
  wanted: (country: string, service: string) => boolean,
  now: number,
  onProgress: ImportProgress,
): Promise<ImportSummary> {
  const [countries, services, rows] = await Promise.all([
    db.selectFrom('sms_countries').select(['id', 'name']).execute(),
    db.selectFrom('sms_services').select(['id', 'name']).execute(),
    db
      .selectFrom('sms_prices')
      .select([
        'id',
        'country_id',
        'service_id',
        'upstream_country',
        'upstream_service',
        'cost_micros',
        'stock',
        'enabled',
      ])
      .where('provider_type', '=', type)
      .where('upstream_id', '=', upstreamId)
      .execute(),
  ]);
  const summary: ImportSummary = {
    type,
    upstreamId,
    countries: { matched: 0, added: 0 },
    services: { matched: 0, added: 0 },
    offers: { added: 0, updated: 0, unchanged: 0, disabled: 0 },
  };

  const countryByName = new Map(countries.map((c) => [countryKey(c.name), c.id]));
  const serviceByName = new Map(services.map((s) => [nameKey(s.name), s.id]));
  const countryByUpstream = new Map<string, number>();
  const serviceByUpstream = new Map(
    rows
      .filter((r) => /^[a-z][a-z0-9_]*$/i.test(r.upstream_service) && !/^\d+$/.test(r.upstream_service))
      .map((r) => [r.upstream_service, r.service_id]),
  );
  const upstreamCountryName = new Map(catalogue.countries.map((c) => [c.id, c.name]));
  const upstreamServiceName = new Map(catalogue.services.map((s) => [s.code, s.name]));
  let nextCountryId = Math.max(0, ...countries.map((c) => c.id)) + 1;
  let nextServiceId = Math.max(100, ...services.map((s) => s.id)) + 1;
  const newCountries: Array<{ id: number; name: string; created_at: number }> = [];
  const newServices: Array<{ id: number; name: string; created_at: number }> = [];
  const resolved = { countries: new Set<string>(), services: new Set<string>() };

  const ourCountry = (code: string): number => {
    const known = countryByUpstream.get(code);
    const name = upstreamCountryName.get(code) ?? `Country ${code}`;
    const id = known ?? countryByName.get(countryKey(name));
    if (!resolved.countries.has(code)) {
      resolved.countries.add(code);
      if (id === undefined) summary.countries.added++;
      else summary.countries.matched++;
    }
    if (id !== undefined) {
      countryByUpstream.set(code, id);
      return id;
    }
    const created = nextCountryId++;
    newCountries.push({ id: created, name, created_at: now });
    countryByUpstream.set(code, created);
    countryByName.set(countryKey(name), created);
    return created;
  };
  const ourService = (code: string): number => {
    const name = upstreamServiceName.get(code) ?? serviceNameOfCode(code) ?? code;
    const known =
      serviceByUpstream.get(code) ??
      serviceByName.get(nameKey(serviceNameOfCode(code) ?? '')) ??
      serviceByName.get(nameKey(name));
    if (!resolved.services.has(code)) {
      resolved.services.add(code);
      if (known === undefined) summary.services.added++;
      else summary.services.matched++;
    }
    if (known !== undefined) {
      serviceByUpstream.set(code, known);
      return known;
    }
    const created = nextServiceId++;
    newServices.push({ id: created, name, created_at: now });
    serviceByUpstream.set(code, created);
    serviceByName.set(nameKey(name), created);
    return created;
  };

  const byOffer = new Map(rows.map((r) => [`${r.country_id}/${r.service_id}`, r]));
  const listed = new Set<number>();
  /** Offers added in this import, so two upstream codes mapped onto one offer of ours add it once. */
  const adding = new Set<string>();
  const inserts: Array<Record<string, unknown>> = [];
  const updates: RowChange[] = [];
  for (const [key, offer] of prices) {
    const [upstreamCountry = '', upstreamService = ''] = key.split('/');
    if (!wanted(upstreamCountry, upstreamService)) continue;
    const countryId = ourCountry(upstreamCountry);
    const serviceId = ourService(upstreamService);
    const offerKey = `${countryId}/${serviceId}`;
    if (adding.has(offerKey)) continue; // the first upstream code for an offer wins
    const row = byOffer.get(offerKey);
    if (!row) {
      adding.add(offerKey);
      inserts.push({
        provider_type: type,
        country_id: countryId,
        service_id: serviceId,
        upstream_id: upstreamId,
        upstream_country: upstreamCountry,
        upstream_service: upstreamService,
        cost_micros: offer.costMicros,
        fixed_price_paisa: null,
        price_paisa: null,
        max_cost_micros: null,
        stock: offer.stock,
        enabled: 1,
        synced_at: now,
        updated_at: now,
      });
      summary.offers.added++;
      continue;
    }
    if (listed.has(row.id)) continue;
    listed.add(row.id);
    const same =
      row.upstream_country === upstreamCountry &&
      row.upstream_service === upstreamService &&
      row.cost_micros === offer.costMicros &&
      row.stock === offer.stock &&
      row.enabled === 1;
    if (same) {
      summary.offers.unchanged++;
      continue;
    }
    updates.push({
      id: row.id,
      values: {
        upstream_country: upstreamCountry,
        upstream_service: upstreamService,
        cost_micros: offer.costMicros,
        stock: offer.stock,
        enabled: 1,
      },
    });
    summary.offers.updated++;
  }
  // What the upstream no longer lists (within the filter) stops selling.
  for (const row of rows) {
    if (listed.has(row.id) || row.enabled === 0 || !wanted(row.upstream_country, row.upstream_service))
      continue;
    updates.push({ id: row.id, values: { enabled: 0, stock: 0 } });
    summary.offers.disabled++;
  }

  const total = newCountries.length + newServices.length + inserts.length + updates.length;
  let written = 0;
  const wrote = (rows: number) => {
    written += rows;
    onProgress(written, total);
  };
  for (let i = 0; i < newCountries.length; i += INSERT_CHUNK) {
    const chunk = newCountries.slice(i, i + INSERT_CHUNK);
    await db.insertInto('sms_countries').values(chunk).execute();
    wrote(chunk.length);
  }
  for (let i = 0; i < newServices.length; i += INSERT_CHUNK) {
    const chunk = newServices.slice(i, i + INSERT_CHUNK);
    await db.insertInto('sms_services').values(chunk).execute();
    wrote(chunk.length);
  }
  for (let i = 0; i < inserts.length; i += INSERT_CHUNK) {
    const chunk = inserts.slice(i, i + INSERT_CHUNK);
    await db
      .insertInto('sms_prices')
      .values(chunk as never)
      .execute();
    wrote(chunk.length);
  }
  await updateRowsById(db, 'sms_prices', OFFER_COLUMNS, updates, {
    shared: { synced_at: now, updated_at: now },
    onWritten: wrote,
  });
  return summary;
}
