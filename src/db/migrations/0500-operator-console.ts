import { type Migration, withId } from './helpers.js';

/** Operator users and sessions, the audit log and customers' top-up requests. */
export const operatorConsoleMigration: Migration = {
  async up(db, dialect) {
    await withId(db.schema.createTable('operator_users'), dialect)
      .addColumn('email', 'text', (c) => c.notNull().unique())
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await withId(db.schema.createTable('operator_sessions'), dialect)
      .addColumn('operator_id', 'bigint', (c) => c.notNull().references('operator_users.id'))
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('revoked_at', 'bigint')
      .execute();

    await withId(db.schema.createTable('audit_log'), dialect)
      .addColumn('operator_id', 'bigint')
      .addColumn('actor', 'text', (c) => c.notNull())
      .addColumn('action', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('before_json', 'text')
      .addColumn('after_json', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('audit_log_target').on('audit_log').columns(['target', 'id']).execute();

    await withId(db.schema.createTable('topup_requests'), dialect)
      .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('method', 'text', (c) => c.notNull())
      .addColumn('payment_reference', 'text', (c) => c.notNull())
      .addColumn('note', 'text')
      .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
      .addColumn('decided_by', 'bigint')
      .addColumn('decided_at', 'bigint')
      .addColumn('decision_note', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      // One request per payment reference and method: a customer re-submitting the same payment is refused.
      .addUniqueConstraint('topup_requests_method_reference', ['method', 'payment_reference'])
      .execute();
    await db.schema
      .createIndex('topup_requests_state')
      .on('topup_requests')
      .columns(['state', 'id'])
      .execute();
    await db.schema
      .createIndex('topup_requests_account')
      .on('topup_requests')
      .columns(['account_id', 'id'])
      .execute();
  },
};
