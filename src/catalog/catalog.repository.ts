import { sql } from 'kysely';
import { compiledOnce } from '../db/compiled-once.js';
import type { Database, Executor } from '../db/database.js';
import { batchPerTurn } from '../db/row-lookup.js';

/** Reads of the SMS OTP catalog for the wire: countries per type, services with prices, one offer. */

export interface CatalogCountry {
  id: number;
  name: string;
}

export interface ProviderType {
  id: number;
  name: string;
  upstreamId: number;
  enabled: boolean;
}

export interface PricedService {
  id: number;
  name: string;
  pricePaisa: number;
}

/** One upstream's side of what getNumber buys: the codes and limit it is sent. */
export interface SmsRouteOffer {
  upstreamId: number;
  upstreamCountry: string;
  upstreamService: string;
  costMicros: number;
  /** Sent as maxPrice; null sends none (a free row, or a fixed price with no rate for the currency). */
  maxCostMicros: number | null;
  /** Place in the type's route (0: the head). */
  position: number;
  currency: string;
}

/** What getNumber buys: the key's one customer price and the routes that price covers. */
export interface SmsOffer {
  /** Null while the key has no price (e.g. no exchange rate for its upstreams' currencies yet). */
  pricePaisa: number | null;
  policy: string;
  /** Route order; an upstream whose cost is above what the price covers is left out. */
  routes: SmsRouteOffer[];
}

export async function listProviderTypes(db: Executor): Promise<ProviderType[]> {
  const rows = await db.selectFrom('sms_provider_types').selectAll().orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, name: r.name, upstreamId: r.upstream_id, enabled: r.enabled === 1 }));
}

export async function findProviderType(db: Executor, id: number): Promise<ProviderType | null> {
  const r = await db.selectFrom('sms_provider_types').selectAll().where('id', '=', id).executeTakeFirst();
  return r ? { id: r.id, name: r.name, upstreamId: r.upstream_id, enabled: r.enabled === 1 } : null;
}

/** Countries with at least one sellable service, per enabled type (every enabled type is a key), by name. */
export async function listCountriesByType(
  db: Executor,
  type: number | null,
): Promise<Map<number, CatalogCountry[]>> {
  const types = await db
    .selectFrom('sms_provider_types')
    .select('id')
    .where('enabled', '=', 1)
    .$if(type !== null, (qb) => qb.where('id', '=', type as number))
    .orderBy('id')
    .execute();
  const result = new Map<number, CatalogCountry[]>(types.map((t) => [t.id, []]));
  const rows = await db
    .selectFrom('sms_prices as p')
    .innerJoin('sms_countries as c', 'c.id', 'p.country_id')
    .innerJoin('sms_provider_types as t', 't.id', 'p.provider_type')
    .select(['p.provider_type', 'c.id', 'c.name'])
    .distinct()
    .where('p.enabled', '=', 1)
    .where('p.price_paisa', 'is not', null)
    .where('t.enabled', '=', 1)
    .$if(type !== null, (qb) => qb.where('p.provider_type', '=', type as number))
    .orderBy('p.provider_type')
    .orderBy('c.name')
    .orderBy('c.id')
    .execute();
  for (const row of rows) result.get(row.provider_type)?.push({ id: row.id, name: row.name });
  return result;
}

/** Sellable services of a country in a type, by service id. */
export async function listPricedServices(
  db: Executor,
  type: number,
  countryId: number,
): Promise<PricedService[]> {
  const rows = await db
    .selectFrom('sms_prices as p')
    .innerJoin('sms_services as s', 's.id', 'p.service_id')
    .select(['s.id', 's.name', 'p.price_paisa'])
    .where('p.provider_type', '=', type)
    .where('p.country_id', '=', countryId)
    .where('p.enabled', '=', 1)
    .where('p.price_paisa', 'is not', null)
    .orderBy('s.id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, pricePaisa: r.price_paisa as number }));
}

export async function countryExists(db: Executor, id: number): Promise<boolean> {
  return (
    (await db.selectFrom('sms_countries').select('id').where('id', '=', id).executeTakeFirst()) !== undefined
  );
}

/** Whether the type offers anything at all in the country (BAD_COUNTRY vs BAD_SERVICE). */
export async function typeHasCountry(db: Executor, type: number, countryId: number): Promise<boolean> {
  const row = await db
    .selectFrom('sms_prices')
    .select('id')
    .where('provider_type', '=', type)
    .where('country_id', '=', countryId)
    .where('enabled', '=', 1)
    .executeTakeFirst();
  return row !== undefined;
}

/** The enabled offers of enabled types with their route position, best route first. */
function offerRows(db: Executor) {
  return db
    .selectFrom('sms_prices as p')
    .innerJoin('sms_provider_types as t', 't.id', 'p.provider_type')
    .innerJoin('sms_type_routes as r', (join) =>
      join.onRef('r.provider_type', '=', 'p.provider_type').onRef('r.upstream_id', '=', 'p.upstream_id'),
    )
    .innerJoin('upstreams as u', 'u.id', 'p.upstream_id')
    .select([
      'p.provider_type',
      'p.country_id',
      'p.service_id',
      'p.upstream_id',
      'p.upstream_country',
      'p.upstream_service',
      'p.cost_micros',
      'p.price_paisa',
      'p.max_cost_micros',
      'r.position',
      't.route_policy',
      'u.currency',
    ])
    .where('p.enabled', '=', 1)
    .where('t.enabled', '=', 1)
    .orderBy('r.position');
}

type OfferRow = Awaited<ReturnType<ReturnType<typeof offerRows>['execute']>>[number];

/**
 * getNumber's one catalog read: the enabled offers of (type, country, service) on the enabled
 * type's route, the price from the key's price row; null when the type sells nothing of the key.
 */
export async function findSmsOffer(
  db: Executor,
  type: number,
  countryId: number,
  serviceId: number,
): Promise<SmsOffer | null> {
  return toSmsOffer((await offersOfKey(db, { type, countryId, serviceId })).rows);
}

/** The offers of one catalogue key, compiled once: getNumber asks this on every purchase. */
const offersOfKey = compiledOnce((db, key: { type: number; countryId: number; serviceId: number }) =>
  offerRows(db)
    .where('p.provider_type', '=', key.type)
    .where('p.country_id', '=', key.countryId)
    .where('p.service_id', '=', key.serviceId),
);

export type SmsOfferReader = (type: number, countryId: number, serviceId: number) => Promise<SmsOffer | null>;
const offerReaders = new WeakMap<Database, SmsOfferReader>();

/**
 * findSmsOffer for the purchase path of a whole database. On PostgreSQL the reads asked in one
 * event-loop turn share one query (a busy product is asked for by many purchases at once: one
 * round trip instead of one each); SQLite reads in-process and has no round trip to save.
 */
export function smsOfferReader(database: Database): SmsOfferReader {
  let reader = offerReaders.get(database);
  if (reader) return reader;
  if (database.dialect === 'postgres') {
    const batched = batchPerTurn(async (keys) => {
      const tuples = keys.map((key) => key.split(':').map(Number) as [number, number, number]);
      const { rows } = await offersOfKeys(database.db, {
        types: tuples.map(([type]) => type),
        countryIds: tuples.map(([, countryId]) => countryId),
        serviceIds: tuples.map(([, , serviceId]) => serviceId),
      });
      const byKey = new Map<string, OfferRow[]>();
      for (const row of rows) {
        const key = `${row.provider_type}:${row.country_id}:${row.service_id}`;
        byKey.set(key, [...(byKey.get(key) ?? []), row]);
      }
      return new Map([...byKey].map(([key, keyRows]) => [key, toSmsOffer(keyRows)]));
    });
    reader = async (type, countryId, serviceId) =>
      (await batched(`${type}:${countryId}:${serviceId}`)) ?? null;
  } else {
    reader = (type, countryId, serviceId) => findSmsOffer(database.db, type, countryId, serviceId);
  }
  offerReaders.set(database, reader);
  return reader;
}

/**
 * The offers of a turn's catalogue keys in one PostgreSQL query: three arrays zipped by unnest, so
 * the statement has one text (compiled once, prepared once) however many keys a turn brings.
 */
const offersOfKeys = compiledOnce(
  (db, keys: { types: number[]; countryIds: number[]; serviceIds: number[] }) =>
    offerRows(db).where(
      sql<boolean>`(p.provider_type, p.country_id, p.service_id) in (select * from unnest(${keys.types}::integer[], ${keys.countryIds}::integer[], ${keys.serviceIds}::integer[]))`,
    ),
);

function toSmsOffer(rows: OfferRow[]): SmsOffer | null {
  const first = rows[0];
  if (!first) return null;
  const priceRow = rows.find((r) => r.price_paisa !== null);
  return {
    pricePaisa: priceRow?.price_paisa ?? null,
    policy: first.route_policy,
    routes: rows
      .filter((r) => r === priceRow || (r.max_cost_micros !== null && r.cost_micros <= r.max_cost_micros))
      .map((r) => ({
        upstreamId: r.upstream_id,
        upstreamCountry: r.upstream_country,
        upstreamService: r.upstream_service,
        costMicros: r.cost_micros,
        maxCostMicros: r.max_cost_micros,
        position: r.position,
        currency: r.currency,
      })),
  };
}

/** Names of the given countries and services by our id: labels for orders that name them by id. */
export async function smsCatalogNames(
  db: Executor,
  countryIds: number[],
  serviceIds: number[],
): Promise<{ countries: Map<number, string>; services: Map<number, string> }> {
  const [countries, services] = await Promise.all([
    countryIds.length === 0
      ? []
      : db.selectFrom('sms_countries').select(['id', 'name']).where('id', 'in', countryIds).execute(),
    serviceIds.length === 0
      ? []
      : db.selectFrom('sms_services').select(['id', 'name']).where('id', 'in', serviceIds).execute(),
  ]);
  return {
    countries: new Map(countries.map((c) => [c.id, c.name])),
    services: new Map(services.map((s) => [s.id, s.name])),
  };
}
