import type { Migration } from './helpers.js';

/**
 * Which SMS catalogues were imported (type × upstream, with the import's narrowing), so a
 * scheduled job can run each import again: an upstream's new countries and services then appear
 * without an operator, and dropped ones stop selling. `next_import_at` is also the job's claim
 * (a compare-and-set), so of several workers one re-imports.
 */
export const smsCatalogueImportsMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable('sms_catalogue_imports')
      .addColumn('provider_type', 'integer', (c) => c.notNull().references('sms_provider_types.id'))
      .addColumn('upstream_id', 'bigint', (c) => c.notNull().references('upstreams.id'))
      .addColumn('countries', 'text')
      .addColumn('services', 'text')
      .addColumn('imported_at', 'bigint', (c) => c.notNull())
      .addColumn('next_import_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('sms_catalogue_imports_pk', ['provider_type', 'upstream_id'])
      .execute();
  },
};
