import { type Kysely, type MigrationResultSet, Migrator } from 'kysely';
import { type Database, ensureSchemaExists } from './database.js';
import { migrations } from './migrations/index.js';

/** Brings the schema up to date. Safe to run from several processes: Kysely takes a migration lock. */
export async function migrateToLatest(database: Database): Promise<string[]> {
  await ensureSchemaExists(database);
  const migrator = new Migrator({
    db: database.db as unknown as Kysely<unknown>,
    provider: {
      getMigrations: async () =>
        Object.fromEntries(
          Object.entries(migrations).map(([name, migration]) => [
            name,
            { up: (db: Kysely<unknown>) => migration.up(db, database.dialect) },
          ]),
        ),
    },
    ...(database.schema ? { migrationTableSchema: database.schema } : {}),
  });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    const reason = result.error instanceof Error ? result.error.message : String(result.error);
    throw new Error(`migration ${failed?.migrationName ?? ''} failed: ${reason}`);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
