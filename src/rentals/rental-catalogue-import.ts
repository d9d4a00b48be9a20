import { type AuditStamp, inAuditedTransaction } from '../admin/audit.repository.js';
import type { AppContext } from '../app-context.js';
import {
  catalogueReimportJob,
  type Reimport,
  recordCatalogueImport,
  recordedSet,
} from '../catalog/catalogue-imports.js';
import type { Trx } from '../db/database.js';
import { MissingExchangeRateError, priceFromCost } from '../pricing/pricing.repository.js';
import { SMS_ACTIVATE_COUNTRIES } from '../providers/sms-activate/countries.js';
import { UpstreamError } from '../providers/types.js';
import { isoCodeOfCountryName } from '../shared/country-codes.js';
import { mapInParallel } from '../shared/in-parallel.js';
import type { Job } from '../workers/worker.js';
import {
  findPriceTier,
  findRentalServer,
  insertRentalCountry,
  listRentalCountries,
  type RentalServer,
  setPriceTierEnabled,
  updateRentalCountry,
  upsertPriceTier,
} from './catalog.repository.js';
import { RentalAdminError } from './rental-admin.service.js';
import { MONTHLY_DURATIONS, RENTAL_DURATIONS, rentalMarkupScopes } from './rental-catalog.service.js';

/**
 * `otpget rental import <server> [--countries 36,…] [--durations 720,…] [--reprice]`: reads which
 * countries the server's upstream rents in (getRentServicesAndCountries) and what each duration
 * costs there, and makes the server's countries and price tiers match, in one audited transaction.
 *
 * - A country is named from the SMS-Activate id table and joins ours by its ISO code ("ca"), never
 *   by an upstream code already on a row: those may be the previous upstream's (the sandbox's
 *   "1" is a dialling code, SMS-Activate's "1" is Ukraine). A matched row is repointed to the
 *   upstream's id and keeps its name and rented service; an id with no single ISO country
 *   (SMS-Activate's 12, "USA (virtual)") is skipped and reported.
 * - Every duration the server sells (monthly only: 720, 4320, 8640) is quoted for the country's
 *   service. A quoted tier is priced from its cost (rate × markup when it is sold); a tier whose
 *   price the operator fixed keeps it unless `reprice`. A duration the upstream no longer offers
 *   is disabled; a country with no duration left stops selling, and so does a country of ours
 *   the upstream no longer lists. Nothing is deleted: rentals keep their own snapshot.
 * - All upstream calls come first, outside the transaction; any failing writes nothing, since a
 *   partial list would switch off what it missed. An upstream listing no country (the sandbox)
 *   publishes no catalogue and is refused.
 * - The import is recorded with its narrowing (not `reprice`) and runs again on schedule
 *   (catalogue-imports.ts) while the server buys from that upstream.
 */

export interface RentalImportOptions {
  /** Upstream country ids to import (default: every one the upstream lists). */
  countries?: Set<string>;
  /** Durations to quote (default: every duration the server sells). */
  durations?: number[];
  /** Also reprice tiers whose price the operator fixed. */
  reprice?: boolean;
}

type Counts = { added: number; updated: number; unchanged: number; disabled: number };

export interface RentalImportSummary {
  server: number;
  upstreamId: number;
  /** Quotes asked of the upstream (countries × durations). */
  quotes: number;
  countries: Counts;
  tiers: Counts & { skipped: number };
  /** Upstream country ids left out, and why. */
  skipped: Array<{ upstreamCountry: string; reason: string }>;
}

/** Upstream calls at once: enough to quote 150 countries × 6 durations quickly, few enough not to be throttled. */
const PARALLEL_CALLS = 4;

const NAMES = new Map(SMS_ACTIVATE_COUNTRIES.map(([id, name]) => [String(id), name]));

type Quote = { costMicros: number; stock: number } | null;

interface Planned {
  upstreamCountry: string;
  code: string;
  name: string;
  /** The service the row rents (null: the adapter's default), as quoted. */
  service: string | null;
  quotes: Map<number, Quote>;
}

export async function importRentalCatalogue(
  ctx: AppContext,
  serverId: number,
  options: RentalImportOptions,
  stamp: AuditStamp,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<RentalImportSummary> {
  const server = await findRentalServer(ctx.db, serverId);
  if (!server) throw new RentalAdminError(`no rental server ${serverId}`);
  const upstream = await ctx.providers.upstream(server.upstreamId);
  const provider = await ctx.providers.rental(server.upstreamId);
  const listCountries = provider.listCountries?.bind(provider);
  const quote = provider.quote?.bind(provider);
  if (!listCountries || !quote)
    throw new RentalAdminError(`upstream "${upstream.name}" publishes no rental catalogue to import`);
  const durations = durationsToQuote(server, options.durations);

  const listed = await upstreamCall(upstream.name, 'list its countries', () => listCountries());
  if (listed.length === 0)
    throw new RentalAdminError(`upstream "${upstream.name}" lists no rental countries; nothing imported`);
  const asked = options.countries ? [...options.countries] : listed;
  const listedSet = new Set(listed);
  const rows = new Map(
    (await listRentalCountries(ctx.db, { serverId, enabledOnly: false })).map((c) => [c.countryCode, c]),
  );

  const skipped: RentalImportSummary['skipped'] = [];
  const planned: Planned[] = [];
  /** Our codes the import speaks for: what it plans, and what it asked but the upstream dropped. */
  const covered = new Set<string>();
  for (const upstreamCountry of asked) {
    const name = NAMES.get(upstreamCountry);
    const code = name === undefined ? undefined : isoCodeOfCountryName(name);
    if (name === undefined || code === undefined) {
      if (listedSet.has(upstreamCountry))
        skipped.push({ upstreamCountry, reason: name ? `"${name}" is no single country` : 'unknown id' });
      continue;
    }
    if (covered.has(code)) {
      skipped.push({ upstreamCountry, reason: `${code} is already imported from another id` });
      continue;
    }
    covered.add(code);
    if (!listedSet.has(upstreamCountry)) continue;
    const row = rows.get(code);
    planned.push({
      upstreamCountry,
      code,
      name: row?.name ?? name,
      service: row?.upstreamService ?? null,
      quotes: new Map(),
    });
  }

  const calls = planned.flatMap((p) => durations.map((hours) => ({ p, hours })));
  await mapInParallel(
    calls,
    PARALLEL_CALLS,
    async ({ p, hours }) => {
      const request = { country: p.upstreamCountry, hours, ...(p.service ? { service: p.service } : {}) };
      p.quotes.set(
        hours,
        await upstreamCall(upstream.name, `quote ${p.name} for ${hours} h`, () => quote(request)),
      );
    },
    onProgress,
  );

  return inAuditedTransaction(ctx.db, stamp, async (trx) => {
    const summary: RentalImportSummary = {
      server: serverId,
      upstreamId: upstream.id,
      quotes: calls.length,
      countries: { added: 0, updated: 0, unchanged: 0, disabled: 0 },
      tiers: { added: 0, updated: 0, unchanged: 0, disabled: 0, skipped: 0 },
      skipped,
    };
    const priceOf = async (code: string, costMicros: number) => {
      try {
        return await priceFromCost(trx, {
          costMicros,
          currency: upstream.currency,
          markupScopes: rentalMarkupScopes(serverId, code),
        });
      } catch (error) {
        if (error instanceof MissingExchangeRateError) throw new RentalAdminError(error.message);
        throw error;
      }
    };
    for (const p of planned) {
      const offered = [...p.quotes.values()].some((q) => q !== null);
      if (!offered && !rows.has(p.code)) {
        skipped.push({ upstreamCountry: p.upstreamCountry, reason: 'no duration on offer' });
        continue;
      }
      const countryId = await saveCountry(trx, serverId, p, offered, rows, stamp.now, summary);
      for (const [hours, q] of p.quotes) {
        const price = q === null ? null : await priceOf(p.code, q.costMicros);
        const quoted = q === null || price === null ? null : { costMicros: q.costMicros, pricePaisa: price };
        await saveTier(trx, countryId, hours, quoted, options, stamp.now, summary);
      }
    }
    // Ours that the upstream no longer lists (of those asked, when narrowed) stop selling.
    const plannedCodes = new Set(planned.map((p) => p.code));
    const dropped = [...rows.values()].filter(
      (row) =>
        row.enabled &&
        !plannedCodes.has(row.countryCode) &&
        (options.countries === undefined || covered.has(row.countryCode)),
    );
    for (const row of dropped) {
      await updateRentalCountry(trx, row.id, { enabled: false }, stamp.now);
      summary.countries.disabled++;
    }
    await recordCatalogueImport(
      trx,
      'rental',
      {
        target: serverId,
        upstreamId: upstream.id,
        options: {
          countries: options.countries ? [...options.countries].sort() : undefined,
          durations: options.durations ? [...durations].sort((a, b) => a - b) : undefined,
        },
      },
      stamp.now,
      ctx.config.catalogReimportMinutes,
    );
    return {
      result: summary,
      audit: { action: 'rental.import', target: `rental-server:${serverId}`, before: null, after: summary },
    };
  });
}

function durationsToQuote(server: RentalServer, asked: number[] | undefined): number[] {
  const sold = server.monthlyOnly ? MONTHLY_DURATIONS : RENTAL_DURATIONS;
  const unsold = (asked ?? []).find((hours) => !sold.includes(hours));
  if (unsold !== undefined)
    throw new RentalAdminError(`${server.name} sells ${sold.join(', ')} hours, not ${unsold}`);
  return asked ? [...new Set(asked)] : [...sold];
}

async function upstreamCall<T>(upstream: string, what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    throw new RentalAdminError(`upstream "${upstream}" did not ${what} (${error.kind}); nothing imported`);
  }
}

/** Adds the country or repoints ours to the upstream's id; returns its id. */
async function saveCountry(
  trx: Trx,
  serverId: number,
  p: Planned,
  offered: boolean,
  rows: Map<string, { id: number; upstreamCountry: string; enabled: boolean }>,
  now: number,
  summary: RentalImportSummary,
): Promise<number> {
  const row = rows.get(p.code);
  if (!row) {
    summary.countries.added++;
    return insertRentalCountry(
      trx,
      {
        serverId,
        countryCode: p.code,
        name: p.name,
        upstreamCountry: p.upstreamCountry,
        upstreamService: null,
      },
      now,
    );
  }
  if (row.upstreamCountry === p.upstreamCountry && row.enabled === offered) {
    summary.countries.unchanged++;
  } else {
    await updateRentalCountry(trx, row.id, { upstreamCountry: p.upstreamCountry, enabled: offered }, now);
    summary.countries[offered ? 'updated' : 'disabled']++;
  }
  return row.id;
}

async function saveTier(
  trx: Trx,
  countryId: number,
  hours: number,
  quoted: { costMicros: number; pricePaisa: number } | null,
  options: RentalImportOptions,
  now: number,
  summary: RentalImportSummary,
): Promise<void> {
  const tier = await findPriceTier(trx, countryId, hours);
  if (quoted === null) {
    if (tier?.enabled) {
      await setPriceTierEnabled(trx, countryId, hours, false, now);
      summary.tiers.disabled++;
    }
    return;
  }
  if (quoted.pricePaisa <= 0) {
    summary.tiers.skipped++; // a price always > 0: the cost is too small to sell at this rate
    return;
  }
  const keepsFixedPrice = tier?.pricePaisa != null && options.reprice !== true;
  const wanted = keepsFixedPrice
    ? { pricePaisa: tier?.pricePaisa ?? null, costMicros: null }
    : { pricePaisa: null, costMicros: quoted.costMicros };
  if (tier?.enabled && tier.pricePaisa === wanted.pricePaisa && tier.costMicros === wanted.costMicros) {
    summary.tiers.unchanged++;
    return;
  }
  await upsertPriceTier(trx, { countryId, durationHours: hours, ...wanted }, now);
  summary.tiers[tier ? 'updated' : 'added']++;
}

/** The scheduled re-import: the recorded narrowing again, never a reprice. */
export const reimportRentalCatalogue: Reimport = async (ctx, recorded, stamp) => {
  const server = await findRentalServer(ctx.db, recorded.target);
  if (!server?.enabled || server.upstreamId !== recorded.upstreamId) return false;
  const countries = recordedSet(recorded.options, 'countries');
  const durations = recordedSet(recorded.options, 'durations');
  const summary = await importRentalCatalogue(
    ctx,
    server.id,
    {
      ...(countries ? { countries } : {}),
      ...(durations ? { durations: [...durations].map(Number) } : {}),
    },
    stamp,
  );
  return { countries: summary.countries, tiers: summary.tiers };
};

export function rentalCatalogueReimportJob(ctx: AppContext): Job {
  return catalogueReimportJob(ctx, 'rental', reimportRentalCatalogue);
}
