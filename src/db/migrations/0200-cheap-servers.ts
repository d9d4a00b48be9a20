import { sql } from 'kysely';

import { SANDBOX_UPSTREAMS } from './0002-sandbox-upstreams.js';
import { type Migration, type SeedDb, withId } from './helpers.js';

/**
 * The cheap-number servers, seeded with the reference's examples on the sandbox SMS upstream so
 * every documented call works on a fresh install: server 1 "Random Facebook - Free" at 0.00 and
 * server 2 "Pakistan - Server 2" at 50.00, both type 1.
 */
export const cheapServersMigration: Migration = {
  async up(db, dialect) {
    await withId(db.schema.createTable('cheap_servers'), dialect)
      .addColumn('type', 'integer', (c) => c.notNull().check(sql`type IN (1, 2)`))
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('service_name', 'text', (c) => c.notNull())
      .addColumn('price_paisa', 'bigint', (c) => c.notNull().check(sql`price_paisa >= 0`))
      .addColumn('upstream_id', 'bigint', (c) => c.notNull().references('upstreams.id'))
      .addColumn('upstream_country', 'text', (c) => c.notNull())
      .addColumn('upstream_service', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('cheap_servers_type').on('cheap_servers').columns(['type', 'id']).execute();

    const typed = db as unknown as SeedDb;
    const sandbox = await typed
      .selectFrom('upstreams')
      .select('id')
      .where('name', '=', SANDBOX_UPSTREAMS.sms)
      .executeTakeFirst();
    if (!sandbox) return;
    const now = Date.now();
    const seed = [
      {
        name: 'Random Facebook - Free',
        service_name: 'Random Facebook - Free',
        price_paisa: 0,
        service: 'fb',
      },
      { name: 'Pakistan - Server 2', service_name: 'Pakistan Server 2', price_paisa: 5_000, service: 'ot' },
    ];
    // One insert per row, in order, so the ids are 1 and 2 as in the reference on both dialects.
    for (const row of seed) {
      await typed
        .insertInto('cheap_servers')
        .values({
          type: 1,
          name: row.name,
          service_name: row.service_name,
          price_paisa: row.price_paisa,
          upstream_id: sandbox.id,
          upstream_country: '92',
          upstream_service: row.service,
          enabled: 1,
          created_at: now,
          updated_at: now,
        })
        .execute();
    }
  },
};
