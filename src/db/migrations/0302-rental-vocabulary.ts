import type { Migration } from './helpers.js';

/**
 * Rentals and renewals take the order vocabulary of the activations table: `state`,
 * `next_check_at`, `lease_until`. Renaming keeps every row; both databases carry the rename into
 * the CHECK constraint and the indexes. The indexes are rebuilt only so their names say the same.
 * `sms_wanted_until` keeps its name: it is the rental's own "a customer is reading" window, with
 * no counterpart on the other order tables.
 */
export const rentalVocabularyMigration: Migration = {
  async up(db) {
    await db.schema.alterTable('rentals').renameColumn('status', 'state').execute();
    await db.schema.alterTable('rentals').renameColumn('next_sms_check_at', 'next_check_at').execute();
    await db.schema.alterTable('rentals').renameColumn('sms_lease_until', 'lease_until').execute();
    await db.schema.alterTable('rental_renewals').renameColumn('status', 'state').execute();

    await db.schema.dropIndex('rentals_status_expiry').execute();
    await db.schema.dropIndex('rentals_sms_due').execute();
    await db.schema.dropIndex('rentals_status_created').execute();
    await db.schema.dropIndex('rental_renewals_status_created').execute();
    await db.schema
      .createIndex('rentals_state_expiry')
      .on('rentals')
      .columns(['state', 'expiry_time'])
      .execute();
    await db.schema.createIndex('rentals_due').on('rentals').column('next_check_at').execute();
    await db.schema
      .createIndex('rentals_state_created')
      .on('rentals')
      .columns(['state', 'created_at'])
      .execute();
    await db.schema
      .createIndex('rental_renewals_state_created')
      .on('rental_renewals')
      .columns(['state', 'created_at'])
      .execute();
  },
};
