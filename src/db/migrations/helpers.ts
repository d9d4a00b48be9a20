import type { CreateTableBuilder, Kysely } from 'kysely';

/*
 * Migrations are frozen in time: they import nothing from the live code (only Kysely and these
 * helpers), so a later change to a catalogue, a table type or a constant cannot change what a
 * fresh install gets or break an old migration. `npm run lint` checks it.
 */

/** The SQL dialect a migration runs on (the same names as db/database.ts's `Dialect`). */
export type Dialect = 'sqlite' | 'postgres';

/**
 * The handle migrations seed rows through: plain column → value records, checked by the
 * database. Typing seeds against the live schema would tie an old migration to today's columns.
 */
export type SeedDb = Kysely<Record<string, Record<string, unknown>>>;

/** A versioned migration. It receives the dialect so column types can differ where SQL does. */
export interface Migration {
  up(db: Kysely<unknown>, dialect: Dialect): Promise<void>;
}

/** An auto-incrementing integer primary key on both dialects. */
export function withId<T extends string>(
  table: CreateTableBuilder<T, never>,
  dialect: Dialect,
): CreateTableBuilder<T, 'id'> {
  return dialect === 'postgres'
    ? table.addColumn('id', 'bigserial', (c) => c.primaryKey())
    : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
}
