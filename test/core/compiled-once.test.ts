import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { compiledOnce } from '../../src/db/compiled-once.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { describeEachDatabase } from '../helpers/databases.js';

describeEachDatabase('a query compiled once and run with new arguments', (kind) => {
  let database: Database;
  let drop: () => Promise<void>;
  before(async () => {
    const created = await kind.createMigrated();
    drop = created.drop;
    database = openDatabase(created.url);
    for (const [name, status] of [
      ['a', 'active'],
      ['b', 'blocked'],
      ['c', 'active'],
    ] as const) {
      await database.db
        .insertInto('accounts')
        .values({
          name,
          balance: 100,
          status,
          created_at: 1,
          updated_at: 1,
        })
        .execute();
    }
  });
  after(async () => {
    await database.close();
    await drop();
  });

  // A constant ('active') between two arguments: the compiled form keeps it in place.
  const activeNamed = compiledOnce((db, args: { name: string; atLeast: number }) =>
    db
      .selectFrom('accounts')
      .select(['name', 'balance'])
      .where('name', '=', args.name)
      .where('status', '=', 'active')
      .where('balance', '>=', args.atLeast),
  );

  it('answers each call with its own arguments, as the query built anew would', async () => {
    assert.deepEqual((await activeNamed(database.db, { name: 'a', atLeast: 100 })).rows, [
      { name: 'a', balance: 100 },
    ]);
    assert.deepEqual((await activeNamed(database.db, { name: 'a', atLeast: 101 })).rows, []);
    assert.deepEqual((await activeNamed(database.db, { name: 'b', atLeast: 0 })).rows, []);
    assert.deepEqual((await activeNamed(database.db, { name: 'c', atLeast: 0 })).rows, [
      { name: 'c', balance: 100 },
    ]);
    const built = await database.db
      .selectFrom('accounts')
      .select(['name', 'balance'])
      .where('name', '=', 'c')
      .where('status', '=', 'active')
      .where('balance', '>=', 0)
      .execute();
    assert.deepEqual((await activeNamed(database.db, { name: 'c', atLeast: 0 })).rows, built);
  });

  it('runs inside a transaction, whose writes it sees and whose rollback undoes it', async () => {
    const credit = compiledOnce((db, args: { name: string; amount: number }) =>
      db
        .updateTable('accounts')
        .set((eb) => ({ balance: eb('balance', '+', args.amount) }))
        .where('name', '=', args.name)
        .returning('balance'),
    );
    await assert.rejects(
      database.db.transaction().execute(async (trx) => {
        assert.deepEqual((await credit(trx, { name: 'a', amount: 5 })).rows, [{ balance: 105 }]);
        assert.deepEqual((await credit(trx, { name: 'a', amount: 7 })).rows, [{ balance: 112 }]);
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.deepEqual((await activeNamed(database.db, { name: 'a', atLeast: 0 })).rows, [
      { name: 'a', balance: 100 },
    ]);
    assert.deepEqual((await credit(database.db, { name: 'a', amount: -1 })).rows, [{ balance: 99 }]);
  });

  it('refuses an argument that does not reach the statement as a bound value', async () => {
    const negated = compiledOnce((db, args: { amount: number }) =>
      db.selectFrom('accounts').select('name').where('balance', '>=', -args.amount),
    );
    await assert.rejects(negated(database.db, { amount: 1 }), /argument "amount" is not a bound value/);
  });
});
