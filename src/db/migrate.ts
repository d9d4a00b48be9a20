import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
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
  for (let attempt = 1; ; attempt++) {
    try {
      return await migrateOnce(database, options.holdBack ?? []);
    } catch (error) {
      // Kysely looks for its own tables across all PostgreSQL schemas; a schema dropped by someone
      // else at that instant (parallel test runs, another install) fails the look-up. Look again.
      if (attempt >= 3 || !/schema .* does not exist|relation .* does not exist/i.test(String(error)))
        throw error;
    }
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
