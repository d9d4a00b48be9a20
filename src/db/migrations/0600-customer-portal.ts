import { sql } from 'kysely';
import type { Migration } from './helpers.js';

/**
 * Browser sign-in for customers: one login per account. The email is stored lower-cased and
 * unique here (accounts.email stays free-form and non-unique for operator-made accounts);
 * session_version is part of every session cookie, so bumping it (logout, password change)
 * invalidates every cookie issued before.
 */
export const customerPortalMigration: Migration = {
  async up(db) {
    await db.schema
      .createTable('customer_logins')
      .addColumn('account_id', 'bigint', (c) => c.primaryKey().references('accounts.id'))
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('session_version', 'integer', (c) =>
        c.notNull().defaultTo(1).check(sql`session_version > 0`),
      )
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
  },
};
