import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { type Database, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { describeEachDatabase } from '../helpers/databases.js';

// An install from before the one import schedule: its recorded SMS imports sit in
// sms_catalogue_imports. Upgrading keeps each, with its narrowing and its next time.
describeEachDatabase('catalogue-imports migration', (kind) => {
  let database: Database;
  let drop: () => Promise<void>;
  let raw: Kysely<unknown>;

  before(async () => {
    const created = await kind.create();
    drop = created.drop;
    database = openDatabase(created.url, { poolSize: 2 });
    raw = database.db as unknown as Kysely<unknown>;
    await migrateToLatest(database, { holdBack: ['0104-catalogue-imports'] });
  });
  after(async () => {
    await database?.close();
    await drop?.();
  });

  it('moves every recorded SMS import, narrowed or not, to the shared schedule', async () => {
    const upstream = (await sql<{ id: number }>`SELECT id FROM upstreams ORDER BY id LIMIT 1`.execute(raw))
      .rows[0];
    assert.ok(upstream);
    await sql`INSERT INTO sms_catalogue_imports (provider_type, upstream_id, countries, services, imported_at, next_import_at)
      VALUES (2, ${upstream.id}, '150,16', 'wa', 1000, 2000), (5, ${upstream.id}, NULL, NULL, 3000, 4000)`.execute(
      raw,
    );
    assert.deepEqual(await migrateToLatest(database), ['0104-catalogue-imports']);
    const rows = await sql<
      Record<string, unknown>
    >`SELECT line, target, upstream_id, options, imported_at, next_import_at
      FROM catalogue_imports ORDER BY target`.execute(raw);
    assert.deepEqual(
      rows.rows.map((r) => [
        r.line,
        Number(r.target),
        Number(r.upstream_id),
        r.options,
        Number(r.imported_at),
        Number(r.next_import_at),
      ]),
      [
        ['sms', 2, upstream.id, '{"countries":["150","16"],"services":["wa"]}', 1000, 2000],
        ['sms', 5, upstream.id, '{}', 3000, 4000],
      ],
    );
    await assert.rejects(sql`SELECT * FROM sms_catalogue_imports`.execute(raw), 'the old table is gone');
  });
});
