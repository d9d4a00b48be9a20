import { sql } from 'kysely';
import { type Migration, type SeedDb, withId } from './helpers.js';

/** The name of the built-in upstream that hands out the operator's own SIM cards. */
export const SIM_POOL_UPSTREAM = 'sim-pool';

/** The operator's own SIMs, their hand-outs to orders, the SMS received on them, and the sim-pool upstream. */
export const simPoolMigration: Migration = {
  async up(db, dialect) {
    await withId(db.schema.createTable('sims'), dialect)
      .addColumn('phone', 'text', (c) => c.notNull())
      .addColumn('label', 'text')
      .addColumn('device_id', 'text')
      .addColumn('sim_slot', 'integer')
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('last_claimed_at', 'bigint')
      .addColumn('removed_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('sims_phone_current')
      .on('sims')
      .column('phone')
      .unique()
      .where(sql.ref('removed_at'), 'is', null)
      .execute();
    await db.schema.createIndex('sims_device').on('sims').columns(['device_id', 'sim_slot']).execute();

    await withId(db.schema.createTable('sim_orders'), dialect)
      .addColumn('sim_id', 'bigint', (c) => c.notNull().references('sims.id'))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('ended_at', 'bigint')
      .execute();
    // The guarantee that two buyers never get the same SIM: at most one live order per SIM.
    await db.schema
      .createIndex('sim_orders_one_live')
      .on('sim_orders')
      .column('sim_id')
      .unique()
      .where(sql.ref('state'), '=', 'live')
      .execute();

    await withId(db.schema.createTable('sim_messages'), dialect)
      .addColumn('event_id', 'text', (c) => c.notNull().unique())
      .addColumn('device_id', 'text', (c) => c.notNull())
      .addColumn('sim_slot', 'integer')
      .addColumn('sim_id', 'bigint', (c) => c.references('sims.id'))
      .addColumn('sim_order_id', 'bigint', (c) => c.references('sim_orders.id'))
      .addColumn('sender', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addColumn('stored_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('sim_messages_order')
      .on('sim_messages')
      .columns(['sim_order_id', 'id'])
      .execute();

    const now = Date.now();
    await (db as unknown as SeedDb)
      .insertInto('upstreams')
      .values({
        name: SIM_POOL_UPSTREAM,
        kind: 'sms',
        protocol: 'sim-pool',
        base_url: null,
        api_key: null,
        currency: 'PKR',
        timeout_ms: 5000,
        enabled: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
  },
};
