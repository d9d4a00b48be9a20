import { sql } from 'kysely';
import type { TestServer } from './test-server.js';

export const AUDIT_REFUSAL = 'the audit log refuses this row';

/**
 * Makes every insert into the audit log fail, as a crash or a full disk between the change and
 * its audit row would: a change whose row is written in its own transaction then
 * leaves the database exactly as it was.
 */
export async function refuseAuditRows(server: TestServer): Promise<void> {
  const { db, dialect } = server.ctx.database;
  if (dialect === 'sqlite') {
    await sql`CREATE TRIGGER audit_refused BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, ${sql.lit(AUDIT_REFUSAL)}); END`.execute(
      db,
    );
  } else {
    await sql`CREATE OR REPLACE FUNCTION audit_refused() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION ${sql.lit(AUDIT_REFUSAL)}; END $$`.execute(
      db,
    );
    await sql`CREATE TRIGGER audit_refused BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_refused()`.execute(
      db,
    );
  }
}

export async function acceptAuditRows(server: TestServer): Promise<void> {
  const { db, dialect } = server.ctx.database;
  await (dialect === 'sqlite'
    ? sql`DROP TRIGGER audit_refused`
    : sql`DROP TRIGGER audit_refused ON audit_log`
  ).execute(db);
}

/** The rows added to and gone from each table between two snapshots; {} when nothing changed. */
export function changes(before: Record<string, string[]>, after: Record<string, string[]>) {
  const changed: Record<string, { added: string[]; gone: string[] }> = {};
  for (const table of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const was = new Set(before[table] ?? []);
    const is = new Set(after[table] ?? []);
    const added = [...is].filter((r) => !was.has(r));
    const gone = [...was].filter((r) => !is.has(r));
    if (added.length > 0 || gone.length > 0) changed[table] = { added, gone };
  }
  return changed;
}

/** Every row of every table, in a comparable form. */
export async function snapshot(server: TestServer): Promise<Record<string, string[]>> {
  const { db, dialect } = server.ctx.database;
  // This database's own tables only: other suites' PostgreSQL schemas come and go meanwhile.
  const names = (
    await (dialect === 'sqlite'
      ? sql<{
          name: string;
        }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`
      : sql<{ name: string }>`SELECT table_name AS name FROM information_schema.tables
          WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`
    ).execute(db)
  ).rows.map((r) => r.name);
  const tables: Record<string, string[]> = {};
  for (const name of names) {
    // The log of upstream calls is written in batches after the calls, never in a change's
    // transaction: a test's own purchases land in it whenever the server flushes it.
    if (name === 'upstream_calls') continue;
    const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(name)}`.execute(db);
    tables[name] = rows.rows.map((r) => JSON.stringify(r)).sort();
  }
  return tables;
}
