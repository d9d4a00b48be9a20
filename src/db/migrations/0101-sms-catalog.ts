import { sql } from 'kysely';
import { type Migration, type SeedDb, withId } from './helpers.js';

/**
 * The SMS OTP catalog tables and the default catalog: provider types 1-6 all on the sandbox SMS
 * upstream, with the reference's example data (type 1: Canada 33, England 15, Pakistan 61, USA 12;
 * Pakistan's services 101 Telegram 45 PKR, 102 WhatsApp 60 PKR, 103 Instagram 55 PKR), so every
 * documented call works on a fresh install. The sandbox takes a dialling code as its country and
 * a service name as its service (it words the message with it); its currency is PKR, so with no
 * markup the cost is the price.
 */

const COUNTRIES: Array<[id: number, name: string, dialCode: string]> = [
  [33, 'Canada', '1'],
  [15, 'England', '44'],
  [61, 'Pakistan', '92'],
  [12, 'USA', '1'],
  [22, 'India', '91'],
  [14, 'Bangladesh', '880'],
  [6, 'Indonesia', '62'],
  [43, 'Germany', '49'],
];

const SERVICES: Array<[id: number, name: string]> = [
  [101, 'Telegram'],
  [102, 'WhatsApp'],
  [103, 'Instagram'],
  [104, 'Facebook'],
  [105, 'Google'],
  [106, 'TikTok'],
];

/** Type 1 prices in whole PKR, by country then service. */
const TYPE_1: Record<number, Record<number, number>> = {
  61: { 101: 45, 102: 60, 103: 55 },
  12: { 101: 120, 102: 150, 103: 110, 104: 95, 105: 130, 106: 90 },
  33: { 101: 110, 102: 140, 103: 100, 104: 90, 105: 120 },
  15: { 101: 100, 102: 135, 103: 95, 104: 85, 105: 115 },
  22: { 101: 35, 102: 50, 103: 45, 104: 30, 105: 40, 106: 30 },
  14: { 101: 30, 102: 45, 103: 40, 104: 28 },
  6: { 101: 32, 102: 48, 103: 42, 106: 28 },
  43: { 101: 125, 102: 155, 103: 115, 105: 135 },
};

/** Types 2-6: which type-1 countries they carry and their price relative to type 1 (percent). */
const OTHER_TYPES: Array<[type: number, countries: number[], percent: number]> = [
  [2, [61, 12, 22, 14], 80],
  [3, [12, 33, 15, 43], 120],
  [4, [61, 22, 6], 70],
  [5, [12, 15, 61], 150],
  [6, [61, 14, 22], 60],
];

export const smsCatalogMigration: Migration = {
  async up(untyped, dialect) {
    const db = untyped as unknown as SeedDb;
    await db.schema
      .createTable('sms_provider_types')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('upstream_id', 'bigint', (c) => c.notNull().references('upstreams.id'))
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('sms_countries')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('sms_services')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await withId(untyped.schema.createTable('sms_prices'), dialect)
      .addColumn('provider_type', 'integer', (c) => c.notNull().references('sms_provider_types.id'))
      .addColumn('country_id', 'integer', (c) => c.notNull().references('sms_countries.id'))
      .addColumn('service_id', 'integer', (c) => c.notNull().references('sms_services.id'))
      .addColumn('upstream_country', 'text', (c) => c.notNull())
      .addColumn('upstream_service', 'text', (c) => c.notNull())
      .addColumn('cost_micros', 'bigint', (c) => c.notNull().check(sql`cost_micros >= 0`))
      .addColumn('fixed_price_paisa', 'bigint')
      .addColumn('price_paisa', 'bigint', (c) => c.check(sql`price_paisa >= 0`))
      .addColumn('max_cost_micros', 'bigint')
      .addColumn('stock', 'integer')
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('synced_at', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('sms_prices_offer', ['provider_type', 'country_id', 'service_id'])
      .execute();

    const now = Date.now();
    const sandbox = await db
      .selectFrom('upstreams')
      .select('id')
      .where('name', '=', 'sandbox-sms')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('sms_provider_types')
      .values(
        [1, 2, 3, 4, 5, 6].map((id) => ({
          id,
          name: `Provider ${id}`,
          upstream_id: sandbox.id,
          enabled: 1,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    await db
      .insertInto('sms_countries')
      .values(COUNTRIES.map(([id, name]) => ({ id, name, created_at: now })))
      .execute();
    await db
      .insertInto('sms_services')
      .values(SERVICES.map(([id, name]) => ({ id, name, created_at: now })))
      .execute();
    await db.insertInto('sms_prices').values(defaultPriceRows(now)).execute();
  },
};

/** An `sms_prices` row as this migration created the table. */
type SmsPriceSeed = {
  provider_type: number;
  country_id: number;
  service_id: number;
  upstream_country: string;
  upstream_service: string;
  cost_micros: number;
  fixed_price_paisa: number | null;
  price_paisa: number | null;
  max_cost_micros: number | null;
  stock: number | null;
  enabled: number;
  synced_at: number | null;
  updated_at: number;
};

function defaultPriceRows(now: number): SmsPriceSeed[] {
  const dial = new Map(COUNTRIES.map(([id, , code]) => [id, code]));
  const serviceName = new Map(SERVICES);
  const rows: SmsPriceSeed[] = [];
  const add = (type: number, country: number, service: number, pkr: number) => {
    const paisa = pkr * 100;
    rows.push({
      provider_type: type,
      country_id: country,
      service_id: service,
      upstream_country: dial.get(country) ?? '0',
      upstream_service: serviceName.get(service) ?? String(service),
      cost_micros: paisa * 10_000,
      fixed_price_paisa: null,
      price_paisa: paisa,
      max_cost_micros: paisa * 10_000,
      stock: null,
      enabled: 1,
      synced_at: null,
      updated_at: now,
    });
  };
  for (const [country, services] of Object.entries(TYPE_1)) {
    for (const [service, pkr] of Object.entries(services)) add(1, Number(country), Number(service), pkr);
  }
  for (const [type, countries, percent] of OTHER_TYPES) {
    for (const country of countries) {
      for (const [service, pkr] of Object.entries(TYPE_1[country] ?? {})) {
        add(type, country, Number(service), Math.max(1, Math.round((pkr * percent) / 100)));
      }
    }
  }
  return rows;
}
