import { sql } from 'kysely';
import type { TestServer } from './test-server.js';

/**
 * Makes the database refuse one kind of write, as a failing disk or a lost connection would: every
 * `event` on `table` whose new row meets `when` (SQL over NEW, e.g. `NEW.state = 'active'`) raises.
 * Returns the undo. Works on SQLite and PostgreSQL; one such trigger per table and event at a time.
 */
export async function breakWrites(
  server: TestServer,
  table: string,
  event: 'INSERT' | 'UPDATE',
  when = '1 = 1',
): Promise<() => Promise<void>> {
  const db = server.ctx.db;
  const name = `break_${table}_${event.toLowerCase()}`;
  if (server.ctx.database.dialect === 'sqlite') {
    await sql
      .raw(
        `CREATE TRIGGER ${name} BEFORE ${event} ON ${table} WHEN ${when} BEGIN SELECT RAISE(ABORT, 'disk on fire'); END`,
      )
      .execute(db);
    return async () => {
      await sql.raw(`DROP TRIGGER ${name}`).execute(db);
    };
  }
  await sql
    .raw(
      `CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN IF ${when} THEN RAISE EXCEPTION 'disk on fire'; END IF; RETURN NEW; END $$`,
    )
    .execute(db);
  await sql
    .raw(`CREATE TRIGGER ${name} BEFORE ${event} ON ${table} FOR EACH ROW EXECUTE FUNCTION ${name}()`)
    .execute(db);
  return async () => {
    await sql.raw(`DROP TRIGGER ${name} ON ${table}`).execute(db);
    await sql.raw(`DROP FUNCTION ${name}()`).execute(db);
  };
}
