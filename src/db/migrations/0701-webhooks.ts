import { type Migration, withId } from './helpers.js';

/** Customer webhooks and their stored deliveries (the worker sends and retries them). */
export const webhooksMigration: Migration = {
  async up(db, dialect) {
    await withId(db.schema.createTable('webhooks'), dialect)
      .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
      .addColumn('url', 'text', (c) => c.notNull())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('removed_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('webhooks_account')
      .on('webhooks')
      .columns(['account_id', 'enabled'])
      .execute();

    await withId(db.schema.createTable('webhook_deliveries'), dialect)
      .addColumn('webhook_id', 'bigint', (c) => c.notNull().references('webhooks.id'))
      .addColumn('account_id', 'bigint', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('payload', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('lease_until', 'bigint')
      .addColumn('last_status', 'integer')
      .addColumn('last_error', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('delivered_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_due')
      .on('webhook_deliveries')
      .columns(['state', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_account')
      .on('webhook_deliveries')
      .columns(['account_id', 'id'])
      .execute();
  },
};
