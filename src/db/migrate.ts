import { type Kysely, type MigrationResultSet, Migrator, sql } from 'kysely';
import { type Database, ensureSchemaExists } from './database.js';
import { migrations } from './migrations/index.js';

/**
 * Brings the schema up to date. Safe to run from several processes: Kysely takes a migration lock.
 * Each product line numbers its migrations in its own range, so a newer release can add a
 * migration that sorts before one already applied: unordered migrations are allowed.
 * `holdBack` leaves the named migrations unapplied, so a test can build the schema an older
 * release had, fill it, and then upgrade it the way an install does.
 */
export async function migrateToLatest(
  database: Database,
  options: { holdBack?: readonly string[] } = {},
): Promise<string[]> {
  const holdBack = options.holdBack ?? [];
  // Only a schema with every migration applied is final for the process.
  const settled = (applied: string[]) => {
    if (holdBack.length === 0) database.settleSchema();
    return applied;
  };
  if (await upToDate(database, holdBack)) return settled([]);
  for (let attempt = 1; ; attempt++) {
    try {
      return settled(await migrateOnce(database, holdBack));
    } catch (error) {
      // Kysely looks for its own tables across all PostgreSQL schemas; a schema dropped by someone
      // else at that instant (parallel test runs, another install) fails the look-up. Look again.
      if (attempt >= 3 || !/schema .* does not exist|relation .* does not exist/i.test(String(error)))
        throw error;
    }
  }
}

/**
 * Whether every migration is already applied, by one read of Kysely's own table. Most callers
 * (each CLI command, every server start after the first) find nothing to do, and the migrator
 * would first look for its tables across every PostgreSQL schema and take its lock. Any failure
 * (a fresh database without the table) means "not sure": the migrator runs as before.
 */
async function upToDate(database: Database, holdBack: readonly string[]): Promise<boolean> {
  try {
    const table = sql.table(database.schema ? `${database.schema}.kysely_migration` : 'kysely_migration');
    const { rows } = await sql<{ name: string }>`select name from ${table}`.execute(database.db);
    const applied = new Set(rows.map((row) => row.name));
    return Object.keys(migrations).every((name) => holdBack.includes(name) || applied.has(name));
  } catch {
    return false;
  }
}

async function migrateOnce(database: Database, holdBack: readonly string[]): Promise<string[]> {
  await ensureSchemaExists(database);
  const migrator = new Migrator({
    db: database.db as unknown as Kysely<unknown>,
    provider: {
      getMigrations: async () =>
        Object.fromEntries(
          Object.entries(migrations)
            .filter(([name]) => !holdBack.includes(name))
            .map(([name, migration]) => [
              name,
              { up: (db: Kysely<unknown>) => migration.up(db, database.dialect) },
            ]),
        ),
    },
    ...(database.schema ? { migrationTableSchema: database.schema } : {}),
    allowUnorderedMigrations: true,
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
