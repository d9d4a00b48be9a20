import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { updateRowsById } from '../../src/db/bulk-update.js';
import type { Database } from '../../src/db/database.js';
import { describeEachDatabase, openScratchDatabase } from '../helpers/databases.js';

type Row = { id: number; label: string | null; amount: number | null; touched: number };

describeEachDatabase('updating many rows by id in few statements', (kind) => {
  let database: Database;
  let scratch: Awaited<ReturnType<typeof openScratchDatabase>>;
  const ROWS = 1_203; // more than two statements' worth
  before(async () => {
    scratch = await openScratchDatabase(kind);
    database = scratch.database;
    await sql`create table items (id bigint primary key, label text, amount bigint, touched bigint not null)`.execute(
      database.db,
    );
    for (let i = 1; i <= ROWS; i++) {
      await sql`insert into items (id, label, amount, touched) values (${i}, ${`old ${i}`}, ${i}, ${0})`.execute(
        database.db,
      );
    }
  });
  after(() => scratch.close());

  const read = async () =>
    (await sql<Row>`select id, label, amount, touched from items order by id`.execute(database.db)).rows.map(
      (r) => ({
        ...r,
        id: Number(r.id),
        amount: r.amount === null ? null : Number(r.amount),
        touched: Number(r.touched),
      }),
    );

  it('gives each row its own values, nulls included, leaves other rows alone, and reports progress per statement', async () => {
    const changes = [];
    // Even ids get a new label and amount (every tenth a null amount); ids divisible by 3 only a new amount.
    for (let id = 2; id <= ROWS; id += 2) {
      changes.push({ id, values: { label: `new ${id}`, amount: id % 10 === 0 ? null : id * 1_000_000_007 } });
    }
    for (let id = 3; id <= ROWS; id += 6) changes.push({ id, values: { amount: -id } });
    const written: number[] = [];
    await updateRowsById(database.db, 'items', { label: 'text', amount: 'bigint' }, changes, {
      shared: { touched: 7 },
      onWritten: (rows) => written.push(rows),
    });
    assert.equal(
      written.reduce((a, b) => a + b, 0),
      changes.length,
    );
    assert.ok(written.length >= 3, `${written.length} statements`);
    for (const row of await read()) {
      if (row.id % 2 === 0) {
        assert.deepEqual(row, {
          id: row.id,
          label: `new ${row.id}`,
          amount: row.id % 10 === 0 ? null : row.id * 1_000_000_007,
          touched: 7,
        });
      } else if (row.id % 6 === 3) {
        assert.deepEqual(row, { id: row.id, label: `old ${row.id}`, amount: -row.id, touched: 7 });
      } else {
        assert.deepEqual(row, { id: row.id, label: `old ${row.id}`, amount: row.id, touched: 0 });
      }
    }
  });

  it('does nothing for no changes, and refuses a column it was given no type for', async () => {
    await updateRowsById(database.db, 'items', {}, [], { shared: { touched: 99 } });
    assert.equal((await read()).filter((r) => r.touched === 99).length, 0);
    await assert.rejects(
      updateRowsById(database.db, 'items', {}, [{ id: 1, values: { label: 'x' } }]),
      /no type given for items\.label/,
    );
  });
});
