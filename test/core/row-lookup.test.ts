import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../../src/db/database.js';
import { createRowLookup } from '../../src/db/row-lookup.js';
import { describeEachDatabase, openScratchDatabase } from '../helpers/databases.js';

type Row = { name: string; size: number };

describeEachDatabase('row lookup for hot reads', (kind) => {
  let database: Database;
  let scratch: Awaited<ReturnType<typeof openScratchDatabase>>;
  before(async () => {
    scratch = await openScratchDatabase(kind);
    database = scratch.database;
    await sql`create table things (name text primary key, size integer not null)`.execute(database.db);
    for (let i = 0; i < 50; i++) {
      await sql`insert into things (name, size) values (${`n${i}`}, ${i * 10})`.execute(database.db);
    }
  });
  after(() => scratch.close());

  it('answers many concurrent lookups, repeated and missing keys included, each with its own row', async () => {
    const lookup = createRowLookup<Row>(database, {
      table: 'things',
      key: 'name',
      columns: ['name', 'size'],
    });
    const keys = Array.from({ length: 1_200 }, (_, i) => (i % 7 === 0 ? `missing${i}` : `n${i % 50}`));
    const rows = await Promise.all(keys.map((key) => lookup(key)));
    rows.forEach((row, i) => {
      const key = keys[i] ?? '';
      if (key.startsWith('missing')) assert.equal(row, undefined, key);
      else assert.deepEqual({ ...row }, { name: key, size: Number(key.slice(1)) * 10 }, key);
    });
  });

  it('sees committed writes at once and never a transaction still open', async () => {
    const lookup = createRowLookup<Row>(database, { table: 'things', key: 'name', columns: ['size'] });
    await sql`update things set size = 999 where name = 'n3'`.execute(database.db);
    assert.equal((await lookup('n3'))?.size, 999);
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let inserted: () => void = () => {};
    const insertDone = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const transaction = database.db.transaction().execute(async (trx) => {
      await sql`insert into things (name, size) values ('open', 1)`.execute(trx);
      inserted();
      await held;
      throw new Error('roll back');
    });
    await insertDone;
    assert.equal(await lookup('open'), undefined);
    release();
    await assert.rejects(transaction, /roll back/);
    assert.equal(await lookup('open'), undefined);
  });

  it('reads each batch from a snapshot taken after it was asked, never an older one', async () => {
    const lookup = createRowLookup<Row>(database, { table: 'things', key: 'name', columns: ['size'] });
    const batch = () => Promise.all(['n7', 'n8', 'n7'].map((key) => lookup(key)));
    for (const size of [700, 701, 702]) {
      await sql`update things set size = ${size} where name = 'n7'`.execute(database.db);
      assert.deepEqual(
        (await batch()).map((row) => row?.size),
        [size, 80, size],
      );
    }
  });

  it('looks up rows by an integer id given as its decimal text', async () => {
    await sql`create table numbered (id integer primary key, size integer not null)`.execute(database.db);
    for (const id of [1, 2, 30])
      await sql`insert into numbered (id, size) values (${id}, ${id * 3})`.execute(database.db);
    const lookup = createRowLookup<{ size: number }>(database, {
      table: 'numbered',
      key: 'id',
      keyType: 'integer',
      columns: ['size'],
    });
    const rows = await Promise.all(['1', '30', '4', '2', '30'].map((key) => lookup(key)));
    assert.deepEqual(
      rows.map((row) => (row ? Number(row.size) : null)),
      [3, 90, null, 6, 90],
    );
    assert.equal(Number((await lookup('2'))?.size), 6, 'a lookup alone too');
  });

  it('reports a failed query to every caller of the batch', async () => {
    const lookup = createRowLookup<Row>(database, { table: 'no_such_table', key: 'name', columns: ['size'] });
    const results = await Promise.allSettled([lookup('a'), lookup('b'), lookup('a')]);
    assert.deepEqual(
      results.map((r) => r.status),
      ['rejected', 'rejected', 'rejected'],
    );
  });
});
