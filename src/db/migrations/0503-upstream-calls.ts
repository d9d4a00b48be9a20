import { type Migration, withId } from './helpers.js';

/** The upstream-call log: one row per call an adapter made, pruned after a retention period. */
export const upstreamCallsMigration: Migration = {
  async up(db, dialect) {
    await withId(db.schema.createTable('upstream_calls'), dialect)
      .addColumn('upstream_id', 'bigint', (c) => c.notNull())
      .addColumn('operation', 'text', (c) => c.notNull())
      .addColumn('order_ref', 'text')
      .addColumn('upstream_order_id', 'text')
      .addColumn('started_at', 'bigint', (c) => c.notNull())
      .addColumn('duration_ms', 'bigint', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('error', 'text')
      .execute();
    await db.schema
      .createIndex('upstream_calls_upstream_order')
      .on('upstream_calls')
      .columns(['upstream_id', 'upstream_order_id'])
      .execute();
    await db.schema
      .createIndex('upstream_calls_order_ref')
      .on('upstream_calls')
      .column('order_ref')
      .execute();
    await db.schema
      .createIndex('upstream_calls_upstream_started')
      .on('upstream_calls')
      .columns(['upstream_id', 'started_at'])
      .execute();
    await db.schema.createIndex('upstream_calls_started').on('upstream_calls').column('started_at').execute();
  },
};
