import type { Migration } from './helpers.js';

/** An upstream push names its own order id: find the rental behind it by index. */
export const rentalUpstreamOrderIndexMigration: Migration = {
  async up(db) {
    await db.schema
      .createIndex('rentals_upstream_order')
      .on('rentals')
      .columns(['upstream_id', 'upstream_order_id'])
      .execute();
  },
};
