import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { type Database, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { describeEachDatabase } from '../helpers/databases.js';

// An install from before the one order vocabulary: its rentals, renewals and email orders carry
// the old column names. Upgrading must keep every row and value under the new names.
const VOCABULARY_MIGRATIONS = ['0302-rental-vocabulary', '0402-email-vocabulary'];

describeEachDatabase('order-table vocabulary migration', (kind) => {
  let database: Database;
  let drop: () => Promise<void>;
  let raw: Kysely<unknown>;

  before(async () => {
    const created = await kind.create();
    drop = created.drop;
    database = openDatabase(created.url, { poolSize: 2 });
    raw = database.db as unknown as Kysely<unknown>;
    await migrateToLatest(database, { holdBack: VOCABULARY_MIGRATIONS });
  });
  after(async () => {
    await database?.close();
    await drop?.();
  });

  it('keeps every rental, renewal and email order under the new names', async () => {
    await sql`INSERT INTO accounts (name, status, balance, created_at, updated_at) VALUES ('old', 'active', 0, 1, 1)`.execute(
      raw,
    );
    const account = (await sql<{ id: number }>`SELECT id FROM accounts WHERE name = 'old'`.execute(raw))
      .rows[0];
    const country = (
      await sql<{
        id: number;
        server_id: number;
        country_code: string;
      }>`SELECT id, server_id, country_code FROM rental_countries ORDER BY id LIMIT 1`.execute(raw)
    ).rows[0];
    const upstream = (await sql<{ id: number }>`SELECT id FROM upstreams ORDER BY id LIMIT 1`.execute(raw))
      .rows[0];
    assert.ok(account && country && upstream, 'the old schema has its catalogue');
    await sql`INSERT INTO rentals (order_id, account_id, server_id, country_id, country_code, duration_hours,
        price_paisa, upstream_id, upstream_order_id, upstream_cost_micros, phone, status, expiry_time,
        first_expiry_time, renewal_count, next_sms_check_at, sms_lease_until, sms_wanted_until, created_at, updated_at)
      VALUES ('R-OLD-1', ${account.id}, ${country.server_id}, ${country.id}, ${country.country_code}, 12,
        5000, ${upstream.id}, 'up-1', 123456, '15550001111', 'active', 9000, 8000, 1, 700, 800, 900, 10, 20)`.execute(
      raw,
    );
    const rental = (await sql<{ id: number }>`SELECT id FROM rentals WHERE order_id = 'R-OLD-1'`.execute(raw))
      .rows[0];
    assert.ok(rental);
    await sql`INSERT INTO rental_renewals (rental_id, seq, account_id, duration_hours, price_paisa, status, new_expiry, created_at, updated_at)
      VALUES (${rental.id}, 1, ${account.id}, 12, 4000, 'done', 9000, 30, 40)`.execute(raw);
    await sql`INSERT INTO email_orders (account_id, server, upstream_id, service_code, service_name, site, domain,
        price, state, email, upstream_order_id, cost_micros, code, expires_at, next_check_at, lease_until, created_at, updated_at)
      VALUES (${account.id}, 1, ${upstream.id}, 'ig', 'Instagram', 'instagram.com', 'gmail.com',
        1700, 'waiting', 'a@gmail.com', 'up-2', 654321, NULL, 5000, 600, 650, 50, 60)`.execute(raw);

    const applied = await migrateToLatest(database);
    assert.deepEqual([...applied].sort(), VOCABULARY_MIGRATIONS);

    const db = database.db;
    const renamedRental = await db
      .selectFrom('rentals')
      .selectAll()
      .where('order_id', '=', 'R-OLD-1')
      .executeTakeFirstOrThrow();
    assert.equal(renamedRental.state, 'active');
    assert.equal(Number(renamedRental.next_check_at), 700);
    assert.equal(Number(renamedRental.lease_until), 800);
    assert.equal(Number(renamedRental.sms_wanted_until), 900);
    assert.equal(Number(renamedRental.price_paisa), 5000);
    assert.equal(Number(renamedRental.upstream_cost_micros), 123456);
    assert.equal(renamedRental.phone, '15550001111');
    const renewal = await db
      .selectFrom('rental_renewals')
      .selectAll()
      .where('rental_id', '=', rental.id)
      .executeTakeFirstOrThrow();
    assert.equal(renewal.state, 'done');
    assert.equal(Number(renewal.price_paisa), 4000);
    const email = await db
      .selectFrom('email_orders')
      .selectAll()
      .where('upstream_order_id', '=', 'up-2')
      .executeTakeFirstOrThrow();
    assert.equal(Number(email.price_paisa), 1700);
    assert.equal(Number(email.upstream_cost_micros), 654321);
    assert.equal(email.state, 'waiting');
    assert.equal(email.email, 'a@gmail.com');

    for (const [table, gone] of [
      ['rentals', 'status'],
      ['rentals', 'next_sms_check_at'],
      ['rentals', 'sms_lease_until'],
      ['rental_renewals', 'status'],
      ['email_orders', 'price'],
      ['email_orders', 'cost_micros'],
    ] as const) {
      await assert.rejects(
        sql`SELECT ${sql.ref(gone)} FROM ${sql.table(table)}`.execute(raw),
        `${table}.${gone} is gone`,
      );
    }
  });

  it('still enforces the constraints that named a renamed column', async () => {
    // rentals_active_has_number: an active rental must have its number.
    await assert.rejects(
      sql`UPDATE rentals SET phone = NULL WHERE order_id = 'R-OLD-1'`.execute(raw),
      'the CHECK on state follows the rename',
    );
    // email_orders: price above 0.
    await assert.rejects(
      sql`UPDATE email_orders SET price_paisa = 0`.execute(raw),
      'the CHECK on price follows the rename',
    );
  });
});
