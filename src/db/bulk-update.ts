import { type RawBuilder, sql } from 'kysely';
import type { Executor } from './database.js';

/** The SQL type a column's values are cast to: PostgreSQL types each bound value in a CASE as text otherwise. */
export type ColumnType = 'bigint' | 'text';

export interface RowChange {
  id: number;
  /** The new value of each column this change sets; every change of one call sets the same columns. */
  values: Readonly<Record<string, number | string | null>>;
}

/** Rows per statement: well under SQLite's and PostgreSQL's limits on bound values at three columns. */
const ROWS_PER_STATEMENT = 500;

/**
 * Writes a different value per row into many rows of one table in one UPDATE per 500 rows
 * (`SET col = CASE id WHEN … THEN … END … WHERE id IN (…)`), where one UPDATE per row costs a
 * round trip each: 6,000 price rows after a catalogue import were 6,000 statements. Runs on
 * whatever `db` is, so inside the caller's transaction when given one. Changes are grouped by the
 * columns they set.
 */
export async function updateRowsById(
  db: Executor,
  table: string,
  types: Readonly<Record<string, ColumnType>>,
  changes: readonly RowChange[],
  options: {
    /** Columns set to one value on every row (an `updated_at`). */
    shared?: Readonly<Record<string, number | string>>;
    /** Called after each statement with the rows it wrote: a progress line's feed. */
    onWritten?: (rows: number) => void;
  } = {},
): Promise<void> {
  const { shared = {}, onWritten = () => {} } = options;
  const groups = new Map<string, RowChange[]>();
  for (const change of changes) {
    const columns = Object.keys(change.values).sort().join(',');
    const group = groups.get(columns) ?? [];
    group.push(change);
    groups.set(columns, group);
  }
  for (const [key, group] of groups) {
    const columns = key === '' ? [] : key.split(',');
    for (let i = 0; i < group.length; i += ROWS_PER_STATEMENT) {
      const chunk = group.slice(i, i + ROWS_PER_STATEMENT);
      const sets: RawBuilder<unknown>[] = columns.map((column) => {
        const type = types[column];
        if (!type) throw new Error(`updateRowsById: no type given for ${table}.${column}`);
        const branches = chunk.map(
          (c) => sql`WHEN ${c.id} THEN CAST(${c.values[column] ?? null} AS ${sql.raw(type)})`,
        );
        return sql`${sql.ref(column)} = CASE ${sql.ref('id')} ${sql.join(branches, sql` `)} END`;
      });
      for (const [column, value] of Object.entries(shared)) sets.push(sql`${sql.ref(column)} = ${value}`);
      if (sets.length === 0) continue;
      const ids = chunk.map((c) => c.id);
      await sql`UPDATE ${sql.table(table)} SET ${sql.join(sets)} WHERE ${sql.ref('id')} IN (${sql.join(ids)})`.execute(
        db,
      );
      onWritten(chunk.length);
    }
  }
}
