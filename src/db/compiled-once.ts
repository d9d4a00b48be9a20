import type { Compilable, DialectAdapter, QueryResult } from 'kysely';
import type { Executor } from './database.js';

/** Stands in for one named argument while the query is built; found again among the bound values. */
class Argument {
  constructor(readonly name: string) {}
}

interface Form {
  compiled: ReturnType<Compilable<unknown>['compile']>;
  /** Per bound value: the argument it takes, or null when it is a constant of the query. */
  slots: Array<string | null>;
}

/**
 * A query of one fixed shape, built and compiled by Kysely once per database and then run with new
 * arguments. It is for the statements of every purchase: building and compiling one costs 6–45 µs
 * of CPU, about what SQLite takes to run it, and the SQL text never changes.
 *
 * `build` gets stand-ins for the named arguments. Each one it reads must reach the statement as a
 * bound value (a `where` operand, an inserted or set value, an operand of `eb(…)`), not as a list,
 * a name, or an input to JavaScript (`-amount`, `amount < 0`): the first run checks that every
 * argument read is bound, and throws otherwise. A query whose shape depends on its arguments (an
 * optional `set`, a `$if`, an inserted column left out) is one compiledOnce per shape
 * (compiledPerShape). An argument given as undefined is bound as null: where Kysely would leave
 * an undefined column out of an insert, its shape is the one without the column.
 */
export function compiledOnce<Args extends Record<string, unknown>, Row>(
  build: (db: Executor, args: Args) => Compilable<Row>,
): (db: Executor, args: Args) => Promise<QueryResult<Row>> {
  // One form per dialect adapter: a transaction shares its database's adapter.
  const forms = new WeakMap<DialectAdapter, Form>();
  return (db, args) => {
    const adapter = db.getExecutor().adapter;
    let form = forms.get(adapter);
    if (!form) {
      try {
        form = compileForm(db, build);
      } catch (error) {
        return Promise.reject(error);
      }
      forms.set(adapter, form);
    }
    const { compiled, slots } = form;
    const parameters = compiled.parameters.map((constant, i) => {
      const slot = slots[i] as string | null;
      if (slot === null) return constant;
      const value = args[slot];
      return value === undefined ? null : value;
    });
    return db.executeQuery<Row>({ ...compiled, parameters });
  };
}

function compileForm<Args extends Record<string, unknown>, Row>(
  db: Executor,
  build: (db: Executor, args: Args) => Compilable<Row>,
): Form {
  const read = new Map<string, Argument>();
  const standIns = new Proxy({} as Args, {
    get(_target, name) {
      if (typeof name !== 'string') return undefined;
      let standIn = read.get(name);
      if (!standIn) {
        standIn = new Argument(name);
        read.set(name, standIn);
      }
      return standIn;
    },
  });
  const compiled = build(db, standIns).compile();
  const slots = compiled.parameters.map((value) => (value instanceof Argument ? value.name : null));
  for (const name of read.keys()) {
    if (!slots.includes(name))
      throw new Error(`compiledOnce: argument "${name}" is not a bound value of the query (${compiled.sql})`);
  }
  return { compiled, slots };
}

/**
 * For a query with a few shapes: `make(shape)` (a compiledOnce) is called once per distinct
 * `keyOf(shape)` and kept. The shapes must be few and come from code (a table and its columns,
 * a guard's flags), never from input.
 */
export function compiledPerShape<Shape, Run>(
  keyOf: (shape: Shape) => string,
  make: (shape: Shape) => Run,
): (shape: Shape) => Run {
  const made = new Map<string, Run>();
  return (shape) => {
    const key = keyOf(shape);
    let run = made.get(key);
    if (run === undefined) {
      run = make(shape);
      made.set(key, run);
    }
    return run;
  };
}
