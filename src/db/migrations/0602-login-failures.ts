import type { Migration } from './helpers.js';

/**
 * Failed logins per login name (customer or operator email, known or not), for the per-account
 * backoff in shared/login-backoff.ts. A row lives until `expires_at`; logins prune old rows.
 */
export const loginFailuresMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable('login_failures')
      .addColumn('subject', 'text', (c) => c.primaryKey())
      .addColumn('failures', 'integer', (c) => c.notNull())
      .addColumn('locked_until', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('login_failures_expires').on('login_failures').column('expires_at').execute();
  },
};
