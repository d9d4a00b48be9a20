import type { Migration, SeedDb } from './helpers.js';

/**
 * One schedule for every line's catalogue imports (`otpget catalog import`, `rental import`,
 * `email import`): which import ran (line, its type or server, the upstream) with its narrowing as
 * JSON, and when the scheduled job runs it again. `next_import_at` is also the job's claim (a
 * compare-and-set), so of several workers one re-imports. The SMS-only table's rows move here.
 */
export const catalogueImportsMigration: Migration = {
  async up(untyped) {
    await untyped.schema
      .createTable('catalogue_imports')
      .addColumn('line', 'text', (c) => c.notNull())
      /** The SMS provider type, or the rental or email server. */
      .addColumn('target', 'integer', (c) => c.notNull())
      .addColumn('upstream_id', 'bigint', (c) => c.notNull().references('upstreams.id'))
      .addColumn('options', 'text', (c) => c.notNull())
      .addColumn('imported_at', 'bigint', (c) => c.notNull())
      .addColumn('next_import_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('catalogue_imports_pk', ['line', 'target', 'upstream_id'])
      .execute();
    const db = untyped as unknown as SeedDb;
    const rows = await db.selectFrom('sms_catalogue_imports').selectAll().execute();
    const list = (text: unknown) => (typeof text === 'string' && text !== '' ? text.split(',') : undefined);
    for (const row of rows) {
      const countries = list(row.countries);
      const services = list(row.services);
      await db
        .insertInto('catalogue_imports')
        .values({
          line: 'sms',
          target: row.provider_type,
          upstream_id: row.upstream_id,
          options: JSON.stringify({ ...(countries ? { countries } : {}), ...(services ? { services } : {}) }),
          imported_at: row.imported_at,
          next_import_at: row.next_import_at,
        })
        .execute();
    }
    await untyped.schema.dropTable('sms_catalogue_imports').execute();
  },
};
