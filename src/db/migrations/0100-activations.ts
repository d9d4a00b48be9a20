import { sql } from 'kysely';
import { type Migration, withId } from './helpers.js';

/**
 * Activations (SMS OTP and cheap numbers share them) and the batched-poll lease. Indexes follow
 * the hot paths: getStatus by public id, a customer's history, the worker's due and expiry scans,
 * and the batched poll's "live orders of this upstream".
 */
export const activationsMigration: Migration = {
  async up(db, dialect) {
    await withId(db.schema.createTable('activations'), dialect)
      .addColumn('public_id', 'text', (c) => c.notNull())
      .addColumn('line', 'text', (c) => c.notNull())
      .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
      .addColumn('upstream_id', 'bigint', (c) => c.notNull().references('upstreams.id'))
      .addColumn('upstream_order_id', 'text')
      .addColumn('upstream_country', 'text', (c) => c.notNull())
      .addColumn('upstream_service', 'text', (c) => c.notNull())
      .addColumn('upstream_cost_micros', 'bigint')
      .addColumn('catalog_ref', 'text', (c) => c.notNull())
      .addColumn('phone', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('price_paisa', 'bigint', (c) => c.notNull().check(sql`price_paisa >= 0`))
      .addColumn('code', 'text')
      .addColumn('sms_text', 'text')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('cancel_allowed_at', 'bigint', (c) => c.notNull())
      .addColumn('next_check_at', 'bigint')
      .addColumn('lease_until', 'bigint')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('activations_public_id')
      .unique()
      .on('activations')
      .column('public_id')
      .execute();
    await db.schema
      .createIndex('activations_account')
      .on('activations')
      .columns(['account_id', 'id'])
      .execute();
    await db.schema
      .createIndex('activations_due')
      .on('activations')
      .columns(['state', 'upstream_id', 'next_check_at'])
      .execute();
    await db.schema
      .createIndex('activations_expiry')
      .on('activations')
      .columns(['state', 'expires_at'])
      .execute();
    await db.schema
      .createIndex('activations_upstream_order')
      .on('activations')
      .columns(['upstream_id', 'upstream_order_id'])
      .execute();

    await db.schema
      .createTable('activation_poll_leases')
      .addColumn('upstream_id', 'bigint', (c) => c.primaryKey())
      .addColumn('lease_until', 'bigint', (c) => c.notNull())
      .execute();
  },
};
