import type { Executor } from '../db/database.js';

/** One call an adapter made to an upstream, as the upstream-call log stores it. */
export interface UpstreamCall {
  upstreamId: number;
  /** The adapter method: buyNumber, getActivation, cancel, getMessages, … */
  operation: string;
  /** Our order's ledger reference (`activation:7`, `rental:3`, `email:9`) when the caller said. */
  orderRef: string | null;
  /** The upstream's own order id, from the call's arguments or a purchase's reply. */
  upstreamOrderId: string | null;
  startedAt: number;
  durationMs: number;
  outcome: 'ok' | 'error';
  /** Short, redacted error text; null for successes. */
  error: string | null;
}

export async function insertUpstreamCalls(db: Executor, calls: UpstreamCall[]): Promise<void> {
  if (calls.length === 0) return;
  await db
    .insertInto('upstream_calls')
    .values(
      calls.map((c) => ({
        upstream_id: c.upstreamId,
        operation: c.operation,
        order_ref: c.orderRef,
        upstream_order_id: c.upstreamOrderId,
        started_at: c.startedAt,
        duration_ms: c.durationMs,
        outcome: c.outcome,
        error: c.error,
      })),
    )
    .execute();
}

type Row = {
  upstream_id: number;
  operation: string;
  order_ref: string | null;
  upstream_order_id: string | null;
  started_at: number;
  duration_ms: number;
  outcome: string;
  error: string | null;
};

const toCall = (r: Row): UpstreamCall => ({
  upstreamId: r.upstream_id,
  operation: r.operation,
  orderRef: r.order_ref,
  upstreamOrderId: r.upstream_order_id,
  startedAt: r.started_at,
  durationMs: Number(r.duration_ms),
  outcome: r.outcome === 'ok' ? 'ok' : 'error',
  error: r.error,
});

const COLUMNS = [
  'upstream_id',
  'operation',
  'order_ref',
  'upstream_order_id',
  'started_at',
  'duration_ms',
  'outcome',
  'error',
] as const;

/** The calls about one order: by our reference, or by the upstream's order id on its upstream. */
export async function listOrderUpstreamCalls(
  db: Executor,
  order: { orderRef: string; upstreamId: number; upstreamOrderId: string | null },
): Promise<UpstreamCall[]> {
  const rows = await db
    .selectFrom('upstream_calls')
    .select(COLUMNS)
    .where((eb) =>
      eb.or([
        eb('order_ref', '=', order.orderRef),
        ...(order.upstreamOrderId === null
          ? []
          : [
              eb.and([
                eb('upstream_id', '=', order.upstreamId),
                eb('upstream_order_id', '=', order.upstreamOrderId),
              ]),
            ]),
      ]),
    )
    .orderBy('started_at')
    .orderBy('id')
    .limit(500)
    .execute();
  return rows.map(toCall);
}

/** An upstream's most recent calls, newest first. */
export async function listRecentUpstreamCalls(
  db: Executor,
  upstreamId: number,
  limit: number,
): Promise<UpstreamCall[]> {
  const rows = await db
    .selectFrom('upstream_calls')
    .select(COLUMNS)
    .where('upstream_id', '=', upstreamId)
    .orderBy('started_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
  return rows.map(toCall);
}

/** Deletes calls started before `before`; returns how many went. */
export async function pruneUpstreamCalls(db: Executor, before: number): Promise<number> {
  const result = await db.deleteFrom('upstream_calls').where('started_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}
