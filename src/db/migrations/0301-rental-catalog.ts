import { sql } from 'kysely';
import { SANDBOX_UPSTREAMS } from './0002-sandbox-upstreams.js';
import type { Migration, SeedDb } from './helpers.js';

/**
 * The default rental catalog, on the sandbox rental upstream, reproducing the reference's example
 * data: Server 2 (monthly only) rents Canada (id 1) and the United States (id 6), Canada 720 h =
 * 840.00 (tier 1) and 4320 h = 5040.00 (tier 2); Server 1 rents four countries for 12 h to 30 days.
 * Ids are explicit so every documented example call works on a fresh install.
 */
const COUNTRIES = [
  { id: 1, server: 2, code: 'ca', name: 'Canada', dial: '1' },
  { id: 2, server: 1, code: 'gb', name: 'United Kingdom', dial: '44' },
  { id: 3, server: 1, code: 'nl', name: 'Netherlands', dial: '31' },
  { id: 4, server: 1, code: 'de', name: 'Germany', dial: '49' },
  { id: 5, server: 1, code: 'us', name: 'United States of America', dial: '1' },
  { id: 6, server: 2, code: 'us', name: 'United States of America', dial: '1' },
] as const;

/** [country id, hours, PKR] in tier-id order. Longer terms cost the monthly price × months. */
const TIERS: Array<[number, number, number]> = [
  [1, 720, 840],
  [1, 4320, 5040],
  [1, 8640, 10080],
  [6, 720, 960],
  [6, 4320, 5760],
  [6, 8640, 11520],
  [2, 12, 80],
  [2, 24, 140],
  [2, 168, 600],
  [2, 720, 1500],
  [3, 12, 70],
  [3, 24, 120],
  [3, 168, 520],
  [3, 720, 1300],
  [4, 12, 75],
  [4, 24, 130],
  [4, 168, 560],
  [4, 720, 1400],
  [5, 12, 60],
  [5, 24, 100],
  [5, 168, 450],
  [5, 720, 1200],
];

export const rentalCatalogMigration: Migration = {
  async up(untyped, dialect) {
    const db = untyped as unknown as SeedDb;
    const now = Date.now();
    const upstream = await db
      .selectFrom('upstreams')
      .select('id')
      .where('name', '=', SANDBOX_UPSTREAMS.rental)
      .executeTakeFirstOrThrow();
    await db
      .insertInto('rental_servers')
      .values(
        [
          { id: 1, name: 'Server 1', monthly_only: 0 },
          { id: 2, name: 'Server 2', monthly_only: 1 },
        ].map((s) => ({ ...s, upstream_id: upstream.id, enabled: 1, created_at: now, updated_at: now })),
      )
      .execute();
    await db
      .insertInto('rental_countries')
      .values(
        COUNTRIES.map((c) => ({
          id: c.id,
          server_id: c.server,
          country_code: c.code,
          name: c.name,
          upstream_country: c.dial,
          upstream_service: null,
          enabled: 1,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    await db
      .insertInto('rental_price_tiers')
      .values(
        TIERS.map(([countryId, hours, pkr], index) => ({
          id: index + 1,
          country_id: countryId,
          duration_hours: hours,
          price_paisa: pkr * 100,
          cost_micros: null,
          enabled: 1,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
    if (dialect === 'postgres') {
      // Explicit ids leave the sequences behind; the operator's next country or tier must not collide.
      for (const table of ['rental_countries', 'rental_price_tiers']) {
        await sql`SELECT setval(pg_get_serial_sequence(${table}, 'id'), (SELECT max(id) FROM ${sql.table(table)}))`.execute(
          db,
        );
      }
    }
  },
};
