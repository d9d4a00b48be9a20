import { sql } from 'kysely';
import { type Migration, withId } from './helpers.js';

/**
 * Set-password links (operator invites and password resets) and the reset requests an operator
 * hands out by hand when no mail server is configured. A link's token is stored only as its
 * SHA-256; `used_at` is set by compare-and-set, so a link works once.
 */
export const passwordLinksMigration: Migration = {
  async up(db, dialect) {
    await withId(db.schema.createTable('customer_password_links'), dialect)
      .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('purpose', 'text', (c) => c.notNull().check(sql`purpose in ('invite', 'reset')`))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('used_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('customer_password_links_account')
      .on('customer_password_links')
      .column('account_id')
      .execute();
    await withId(db.schema.createTable('password_reset_requests'), dialect)
      .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('delivery', 'text', (c) => c.notNull().check(sql`delivery in ('mail', 'operator')`))
      .addColumn('requested_at', 'bigint', (c) => c.notNull())
      .addColumn('handled_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('password_reset_requests_open')
      .on('password_reset_requests')
      .columns(['handled_at', 'requested_at'])
      .execute();
  },
};
