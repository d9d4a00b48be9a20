import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { type Database, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { postgresKind } from '../helpers/databases.js';

/**
 * On PostgreSQL a parameterised statement is prepared once per connection, and only once the
 * schema is settled: before the migrations are done a prepared `select *` could outlive the
 * columns it was planned for. One pooled connection, so every query below shares it.
 */
describe('PostgreSQL statements prepared once per connection', {
  skip: process.env.TEST_DATABASE_URL ? false : 'set TEST_DATABASE_URL to run the PostgreSQL suite',
}, () => {
  let database: Database;
  let drop: () => Promise<void>;
  before(async () => {
    const created = await postgresKind.create();
    drop = created.drop;
    database = openDatabase(created.url, { poolSize: 1 });
  });
  after(async () => {
    await database.close();
    await drop();
  });

  const balanceOf = (id: number) =>
    database.db.selectFrom('accounts').select('balance').where('id', '=', id).executeTakeFirst();
  const preparedLike = async (fragment: string) =>
    (
      await sql<{
        n: number;
      }>`select count(*)::int as n from pg_prepared_statements where statement like ${`%${fragment}%`}`.execute(
        database.db,
      )
    ).rows[0]?.n;

  it('prepares nothing before migrations, then each statement text once', async () => {
    await sql`create schema if not exists ${sql.id(database.schema ?? 'public')}`.execute(database.db);
    await sql`select ${1}::int as one`.execute(database.db);
    assert.equal(await preparedLike('::int as one'), 0, 'unsettled schema: no named statements');

    await migrateToLatest(database);
    await database.db
      .insertInto('accounts')
      .values({ name: 'p', email: null, status: 'active', balance: 7, created_at: 1, updated_at: 1 })
      .execute();
    for (let i = 0; i < 3; i++) assert.equal((await balanceOf(1))?.balance, 7);
    assert.equal(await balanceOf(999), undefined);
    assert.equal(await preparedLike('select "balance" from "accounts"'), 1, 'one prepared statement, reused');
  });

  it('keeps answering right after a failed statement in a transaction', async () => {
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        await trx.selectFrom('accounts').select('balance').where('id', '=', 1).execute();
        await sql`select ${'x'}::int`.execute(trx);
      }),
    );
    assert.equal((await balanceOf(1))?.balance, 7);
  });
});
