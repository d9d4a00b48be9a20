import { sql } from 'kysely';
import { type Migration, type SeedDb, withId } from './helpers.js';

/**
 * Routing: a provider type buys from an ordered list of upstreams (`sms_type_routes`, today's one
 * upstream becoming a list of one) under a policy, and an offer belongs to one upstream of its
 * type (`sms_prices.upstream_id`, filled with the type's upstream), so (type, country, service)
 * may have one offer per upstream. SQLite cannot drop a table constraint, so there the offers
 * table is rebuilt; PostgreSQL alters it in place (keeping its id sequence). The `best` policy
 * reads an entry's recent orders, hence the index on (catalog_ref, created_at).
 */
export const smsRoutesMigration: Migration = {
  async up(db, dialect) {
    const untyped = db as unknown as SeedDb;
    await db.schema
      .alterTable('sms_provider_types')
      .addColumn('route_policy', 'text', (c) => c.notNull().defaultTo('priority'))
      .execute();
    await db.schema
      .createTable('sms_type_routes')
      .addColumn('provider_type', 'integer', (c) => c.notNull().references('sms_provider_types.id'))
      .addColumn('upstream_id', 'bigint', (c) => c.notNull().references('upstreams.id'))
      .addColumn('position', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('sms_type_routes_pk', ['provider_type', 'upstream_id'])
      .addUniqueConstraint('sms_type_routes_position', ['provider_type', 'position'])
      .execute();
    await db.schema
      .createIndex('activations_catalog_ref')
      .on('activations')
      .columns(['catalog_ref', 'created_at'])
      .execute();
    await sql`INSERT INTO sms_type_routes (provider_type, upstream_id, position)
      SELECT id, upstream_id, 0 FROM sms_provider_types`.execute(db);

    if (dialect === 'postgres') {
      await sql`ALTER TABLE sms_prices ADD COLUMN upstream_id bigint REFERENCES upstreams(id)`.execute(db);
      await sql`UPDATE sms_prices p SET upstream_id = t.upstream_id
        FROM sms_provider_types t WHERE t.id = p.provider_type`.execute(db);
      await sql`ALTER TABLE sms_prices ALTER COLUMN upstream_id SET NOT NULL`.execute(db);
      await sql`ALTER TABLE sms_prices DROP CONSTRAINT sms_prices_offer`.execute(db);
      await sql`ALTER TABLE sms_prices ADD CONSTRAINT sms_prices_offer
        UNIQUE (provider_type, country_id, service_id, upstream_id)`.execute(db);
    } else {
      await withId(untyped.schema.createTable('sms_prices_next'), dialect)
        .addColumn('provider_type', 'integer', (c) => c.notNull().references('sms_provider_types.id'))
        .addColumn('country_id', 'integer', (c) => c.notNull().references('sms_countries.id'))
        .addColumn('service_id', 'integer', (c) => c.notNull().references('sms_services.id'))
        .addColumn('upstream_id', 'bigint', (c) => c.notNull().references('upstreams.id'))
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
        .addUniqueConstraint('sms_prices_offer', ['provider_type', 'country_id', 'service_id', 'upstream_id'])
        .execute();
      await sql`INSERT INTO sms_prices_next (id, provider_type, country_id, service_id, upstream_id,
          upstream_country, upstream_service, cost_micros, fixed_price_paisa, price_paisa,
          max_cost_micros, stock, enabled, synced_at, updated_at)
        SELECT p.id, p.provider_type, p.country_id, p.service_id, t.upstream_id,
          p.upstream_country, p.upstream_service, p.cost_micros, p.fixed_price_paisa, p.price_paisa,
          p.max_cost_micros, p.stock, p.enabled, p.synced_at, p.updated_at
        FROM sms_prices p JOIN sms_provider_types t ON t.id = p.provider_type`.execute(db);
      await sql`DROP TABLE sms_prices`.execute(db);
      await sql`ALTER TABLE sms_prices_next RENAME TO sms_prices`.execute(db);
    }
  },
};
