import { type Migration, withId } from './helpers.js';

/** Idempotency keys of purchase calls: the first request's hash and its stored reply. */
export const idempotencyMigration: Migration = {
  async up(db, dialect) {
    await withId(db.schema.createTable('idempotency_keys'), dialect)
      .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
      .addColumn('idem_key', 'text', (c) => c.notNull())
      .addColumn('request_hash', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('reply_kind', 'text')
      .addColumn('reply_body', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('completed_at', 'bigint')
      .addUniqueConstraint('idempotency_keys_account_key', ['account_id', 'idem_key'])
      .execute();
    await db.schema
      .createIndex('idempotency_keys_created')
      .on('idempotency_keys')
      .columns(['created_at'])
      .execute();
  },
};
