import { sql } from 'kysely';
import { type Migration, withId } from './helpers.js';

/** The temp email line: servers, service catalogue, offers, orders and received messages. */
export const emailsMigration: Migration = {
  async up(db, dialect) {
    await db.schema
      .createTable('email_servers')
      .addColumn('server', 'integer', (c) => c.primaryKey())
      .addColumn('upstream_id', 'bigint', (c) => c.notNull().references('upstreams.id'))
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('email_services')
      .addColumn('code', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('site', 'text', (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .execute();

    await withId(db.schema.createTable('email_offers'), dialect)
      .addColumn('server', 'integer', (c) => c.notNull())
      .addColumn('service_code', 'text', (c) => c.notNull())
      .addColumn('domain', 'text', (c) => c.notNull())
      .addColumn('price', 'bigint', (c) => c.notNull().check(sql`price > 0`))
      .addColumn('stock', 'bigint', (c) => c.notNull().check(sql`stock >= 0`))
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('email_offers_key', ['server', 'service_code', 'domain'])
      .execute();

    await withId(db.schema.createTable('email_orders'), dialect)
      .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
      .addColumn('server', 'integer', (c) => c.notNull())
      .addColumn('upstream_id', 'bigint', (c) => c.notNull().references('upstreams.id'))
      .addColumn('service_code', 'text', (c) => c.notNull())
      .addColumn('service_name', 'text', (c) => c.notNull())
      .addColumn('site', 'text', (c) => c.notNull())
      .addColumn('domain', 'text', (c) => c.notNull())
      .addColumn('price', 'bigint', (c) => c.notNull().check(sql`price > 0`))
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('email', 'text')
      .addColumn('upstream_order_id', 'text')
      .addColumn('cost_micros', 'bigint')
      .addColumn('code', 'text')
      .addColumn('expires_at', 'bigint')
      .addColumn('next_check_at', 'bigint')
      .addColumn('lease_until', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('email_orders_account')
      .on('email_orders')
      .columns(['account_id', 'id'])
      .execute();
    await db.schema
      .createIndex('email_orders_due')
      .on('email_orders')
      .columns(['state', 'next_check_at'])
      .execute();
    await db.schema
      .createIndex('email_orders_upstream_order')
      .on('email_orders')
      .columns(['upstream_id', 'upstream_order_id'])
      .execute();

    await withId(db.schema.createTable('email_messages'), dialect)
      .addColumn('order_id', 'bigint', (c) => c.notNull().references('email_orders.id'))
      .addColumn('upstream_message_id', 'text', (c) => c.notNull())
      .addColumn('sender', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('raw', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('link', 'text', (c) => c.notNull())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('email_messages_order_message', ['order_id', 'upstream_message_id'])
      .execute();
  },
};
