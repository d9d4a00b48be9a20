import type { Executor } from '../db/database.js';
import type { ProductLines, StateCount } from './product-line.js';

/** Orders of every line by state: each line counts its own table. */
export async function ordersByState<Ctx>(lines: ProductLines<Ctx>, db: Executor): Promise<StateCount[]> {
  const counts = await Promise.all(lines.all.map((line) => line.countOrdersByState(db)));
  return counts.flat().sort((a, b) => a.line.localeCompare(b.line) || a.state.localeCompare(b.state));
}
