import type { Migration } from './helpers.js';

/**
 * `inbox_pulled_at`: when the rental's inbox was last read from its upstream successfully. A
 * customer's getRentalSMS reads through to the upstream when this is older than a few seconds
 * (rentals/rental-read-through.ts). Existing rows start at 0: their first read pulls.
 */
export const rentalInboxPulledAtMigration: Migration = {
  async up(db) {
    await db.schema
      .alterTable('rentals')
      .addColumn('inbox_pulled_at', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();
  },
};
