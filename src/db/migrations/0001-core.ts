import { sql } from 'kysely';
import { type Migration, withId } from './helpers.js';

/** Accounts, API keys, the wallet ledger, settings, upstream accounts and the sandbox's own state. */
export const coreMigration: Migration = {
  async up(db, dialect) {
    await withId(db.schema.createTable('accounts'), dialect)
      .addColumn('name', 'text')
      .addColumn('email', 'text')
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
      .addColumn('balance', 'bigint', (c) => c.notNull().defaultTo(0).check(sql`balance >= 0`))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('accounts_email').on('accounts').column('email').execute();

    await withId(db.schema.createTable('api_keys'), dialect)
      .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
      .addColumn('key_hash', 'text', (c) => c.notNull().unique())
      .addColumn('key_prefix', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();
    await db.schema.createIndex('api_keys_account').on('api_keys').column('account_id').execute();

    await withId(db.schema.createTable('ledger_entries'), dialect)
      .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
      .addColumn('amount', 'bigint', (c) => c.notNull().check(sql`amount <> 0`))
      .addColumn('balance_after', 'bigint', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('reference', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('ledger_entries_kind_reference', ['kind', 'reference'])
      .execute();
    await db.schema
      .createIndex('ledger_entries_account')
      .on('ledger_entries')
      .columns(['account_id', 'id'])
      .execute();

    await db.schema
      .createTable('settings')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await withId(db.schema.createTable('upstreams'), dialect)
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('protocol', 'text', (c) => c.notNull())
      .addColumn('base_url', 'text')
      .addColumn('api_key', 'text')
      .addColumn('currency', 'text', (c) => c.notNull().defaultTo('USD'))
      .addColumn('timeout_ms', 'integer', (c) => c.notNull().defaultTo(15000))
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await withId(db.schema.createTable('sandbox_orders'), dialect)
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('address', 'text', (c) => c.notNull())
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('auto_deliver_at', 'bigint')
      .addColumn('expires_at', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('sandbox_orders_auto_deliver')
      .on('sandbox_orders')
      .column('auto_deliver_at')
      .execute();

    await withId(db.schema.createTable('sandbox_messages'), dialect)
      .addColumn('sandbox_order_id', 'bigint', (c) => c.notNull().references('sandbox_orders.id'))
      .addColumn('sender', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('sandbox_messages_order')
      .on('sandbox_messages')
      .columns(['sandbox_order_id', 'id'])
      .execute();
  },
};
