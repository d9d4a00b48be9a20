import { type RawBuilder, sql } from 'kysely';
import type { DayCost } from './product-line.js';

const DAY_MS = 86_400_000;

/** The day number (since the epoch, UTC) of a row's `created_at`, for grouping costs per day. */
export function createdDay(): RawBuilder<number> {
  return sql<number>`(created_at / ${sql.lit(DAY_MS)})`;
}

/** Rows of (day number, upstream, summed cost) as per-day costs, dropping empty sums. */
export function toDayCosts(rows: { d: number; upstream_id: number; c: number | string | null }[]): DayCost[] {
  return rows
    .filter((r) => r.c !== null && Number(r.c) > 0)
    .map((r) => ({
      day: Math.floor(Number(r.d)) * DAY_MS,
      upstreamId: r.upstream_id,
      costMicros: Number(r.c),
    }));
}
