import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { type Database, openDatabase } from '../../src/db/database.js';
import { createGroupCommit, type GroupCommit } from '../../src/db/group-commit.js';
import { describeEachDatabase, openScratchDatabase } from '../helpers/databases.js';

describeEachDatabase('group commit of purchase-path writes', (kind) => {
  let database: Database;
  let writes: GroupCommit;
  let scratch: Awaited<ReturnType<typeof openScratchDatabase>>;
  let url: string;
  const names = async () =>
    (await sql<{ name: string }>`select name from items order by name`.execute(database.db)).rows.map(
      (r) => r.name,
    );

  before(async () => {
    scratch = await openScratchDatabase(kind);
    database = scratch.database;
    url = scratch.url;
    await sql`create table items (name text primary key, n integer not null)`.execute(database.db);
    writes = createGroupCommit(database);
  });
  after(() => scratch.close());

  it('commits concurrent works; one that fails is rolled back alone and gets its own error', async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) =>
        writes.transaction(async (trx) => {
          await sql`insert into items (name, n) values (${`a${String(i).padStart(2, '0')}`}, ${i})`.execute(
            trx,
          );
          if (i % 10 === 3) throw new Error(`refused ${i}`);
          await sql`update items set n = n + 1000 where name = ${`a${String(i).padStart(2, '0')}`}`.execute(
            trx,
          );
          return i;
        }),
      ),
    );
    outcomes.forEach((outcome, i) => {
      if (i % 10 === 3) assert.deepEqual(outcome, { status: 'rejected', reason: new Error(`refused ${i}`) });
      else assert.deepEqual(outcome, { status: 'fulfilled', value: i });
    });
    const rows = (await sql<{ name: string; n: number }>`select name, n from items`.execute(database.db))
      .rows;
    assert.equal(rows.length, 36);
    assert.ok(
      rows.every((r) => Number(r.n) >= 1000),
      'every committed work ran whole',
    );
  });

  it('answers a work only once what it wrote is committed and readable elsewhere', async () => {
    // Another handle, as another process would have.
    const elsewhere = openDatabase(url);
    try {
      await writes.statement((db) => sql`insert into items (name, n) values ('visible', 1)`.execute(db));
      const seen = await sql<{ n: number }>`select n from items where name = 'visible'`.execute(elsewhere.db);
      assert.equal(Number(seen.rows[0]?.n), 1);
    } finally {
      await elsewhere.close();
    }
  });

  it('a statement that violates a constraint fails alone', async () => {
    const [duplicate, fresh] = await Promise.allSettled([
      writes.statement((db) => sql`insert into items (name, n) values ('visible', 2)`.execute(db)),
      writes.statement((db) => sql`insert into items (name, n) values ('fresh', 3)`.execute(db)),
    ]);
    assert.equal(duplicate.status, 'rejected');
    assert.equal(fresh.status, 'fulfilled');
    assert.ok((await names()).includes('fresh'));
  });
});
