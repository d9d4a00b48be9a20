import { sql } from 'kysely';
import { type Migration, withId } from './helpers.js';

/** The rental line: catalog (servers, countries, price tiers), rentals, renewals and their inbox. */
export const rentalsMigration: Migration = {
  async up(db, dialect) {
    await db.schema
      .createTable('rental_servers')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('upstream_id', 'bigint', (c) => c.notNull().references('upstreams.id'))
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('monthly_only', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();

    await withId(db.schema.createTable('rental_countries'), dialect)
      .addColumn('server_id', 'integer', (c) => c.notNull().references('rental_servers.id'))
      .addColumn('country_code', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('upstream_country', 'text', (c) => c.notNull())
      .addColumn('upstream_service', 'text')
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('rental_countries_server_code', ['server_id', 'country_code'])
      .execute();

    await withId(db.schema.createTable('rental_price_tiers'), dialect)
      .addColumn('country_id', 'bigint', (c) => c.notNull().references('rental_countries.id'))
      .addColumn('duration_hours', 'integer', (c) => c.notNull())
      .addColumn('price_paisa', 'bigint', (c) => c.check(sql`price_paisa > 0`))
      .addColumn('cost_micros', 'bigint', (c) => c.check(sql`cost_micros >= 0`))
      .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('rental_price_tiers_country_hours', ['country_id', 'duration_hours'])
      .addCheckConstraint('rental_price_tiers_one_price', sql`(price_paisa IS NULL) <> (cost_micros IS NULL)`)
      .execute();

    await withId(db.schema.createTable('rentals'), dialect)
      .addColumn('order_id', 'text', (c) => c.notNull().unique())
      .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
      .addColumn('server_id', 'integer', (c) => c.notNull().references('rental_servers.id'))
      .addColumn('country_id', 'bigint', (c) => c.notNull().references('rental_countries.id'))
      .addColumn('country_code', 'text', (c) => c.notNull())
      .addColumn('duration_hours', 'integer', (c) => c.notNull())
      .addColumn('price_paisa', 'bigint', (c) => c.notNull().check(sql`price_paisa > 0`))
      .addColumn('upstream_id', 'bigint', (c) => c.notNull().references('upstreams.id'))
      .addColumn('upstream_order_id', 'text')
      .addColumn('upstream_cost_micros', 'bigint')
      .addColumn('phone', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('expiry_time', 'bigint')
      .addColumn('first_expiry_time', 'bigint')
      .addColumn('upstream_expires_at', 'bigint')
      .addColumn('renewal_count', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_sms_check_at', 'bigint')
      .addColumn('sms_lease_until', 'bigint')
      .addColumn('sms_wanted_until', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addCheckConstraint(
        'rentals_active_has_number',
        sql`status NOT IN ('active', 'expired') OR (phone IS NOT NULL AND expiry_time IS NOT NULL AND upstream_order_id IS NOT NULL)`,
      )
      .execute();
    await db.schema.createIndex('rentals_account').on('rentals').columns(['account_id', 'id']).execute();
    await db.schema
      .createIndex('rentals_status_expiry')
      .on('rentals')
      .columns(['status', 'expiry_time'])
      .execute();
    await db.schema.createIndex('rentals_sms_due').on('rentals').column('next_sms_check_at').execute();
    await db.schema
      .createIndex('rentals_status_created')
      .on('rentals')
      .columns(['status', 'created_at'])
      .execute();

    await withId(db.schema.createTable('rental_renewals'), dialect)
      .addColumn('rental_id', 'bigint', (c) => c.notNull().references('rentals.id'))
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('account_id', 'bigint', (c) => c.notNull().references('accounts.id'))
      .addColumn('duration_hours', 'integer', (c) => c.notNull())
      .addColumn('price_paisa', 'bigint', (c) => c.notNull().check(sql`price_paisa > 0`))
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('new_expiry', 'bigint')
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('rental_renewals_rental_seq', ['rental_id', 'seq'])
      .execute();
    await db.schema
      .createIndex('rental_renewals_status_created')
      .on('rental_renewals')
      .columns(['status', 'created_at'])
      .execute();

    await withId(db.schema.createTable('rental_messages'), dialect)
      .addColumn('rental_id', 'bigint', (c) => c.notNull().references('rentals.id'))
      .addColumn('upstream_message_id', 'text', (c) => c.notNull())
      .addColumn('sender', 'text')
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('code', 'text', (c) => c.notNull())
      .addColumn('received_at', 'bigint', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('rental_messages_rental_upstream_id', ['rental_id', 'upstream_message_id'])
      .execute();
    await db.schema
      .createIndex('rental_messages_rental_time')
      .on('rental_messages')
      .columns(['rental_id', 'received_at', 'id'])
      .execute();
  },
};
