import type { Executor } from '../db/database.js';
import type { OrderQuery, OrderSummary, ProductLines, TimelineEvent } from '../orders/product-line.js';
import { listOrderUpstreamCalls } from '../providers/upstream-calls.repository.js';

/**
 * Read-only views of every product line's orders for the console and the CLI, through the lines'
 * registry: lines own their tables and every write to them; the console only reads here and
 * changes orders through the lines (orders.service.ts).
 */

/** Orders of every line matching the query, newest first. */
export async function searchOrders<Ctx>(
  lines: ProductLines<Ctx>,
  db: Executor,
  q: OrderQuery,
): Promise<OrderSummary[]> {
  const found = (await Promise.all(lines.all.map((line) => line.searchOrders(db, q)))).flat();
  return found.sort((a, b) => b.createdAt - a.createdAt).slice(0, q.limit);
}

/** One order by line name and row id; null for an unknown line or id. */
export async function findOrder<Ctx>(
  lines: ProductLines<Ctx>,
  db: Executor,
  line: string,
  id: number,
): Promise<OrderSummary | null> {
  return (await lines.find(line)?.findOrder(db, id)) ?? null;
}

/**
 * Purchase, upstream calls, money movements, messages, operator actions and the current state, in
 * time order. Upstream calls are read from the call log (pruned after its retention period).
 */
export async function orderTimeline<Ctx>(
  lines: ProductLines<Ctx>,
  db: Executor,
  order: OrderSummary,
): Promise<TimelineEvent[]> {
  const line = lines.find(order.line);
  if (!line) throw new Error(`order of unregistered line "${order.line}"`);
  const reference = line.ledgerReference(order.id);
  const related = line.relatedLedgerPrefix?.(order.id);
  const events: TimelineEvent[] = [{ at: order.createdAt, what: 'ordered', detail: order.item }];
  const ledger = await db
    .selectFrom('ledger_entries')
    .select(['kind', 'amount', 'created_at', 'note'])
    .where((eb) =>
      eb.or([eb('reference', '=', reference), ...(related ? [eb('reference', 'like', `${related}%`)] : [])]),
    )
    .execute();
  for (const l of ledger) {
    events.push({
      at: l.created_at,
      what: l.kind,
      detail: `${l.amount} paisa${l.note ? ` (${l.note})` : ''}`,
    });
  }
  const calls = await listOrderUpstreamCalls(db, {
    orderRef: reference,
    upstreamId: order.upstreamId,
    upstreamOrderId: order.upstreamOrderId,
  });
  // Which upstream took each call: a purchase that failed over asked several.
  const upstreamIds = [...new Set(calls.map((c) => c.upstreamId))];
  const names = new Map(
    upstreamIds.length === 0
      ? []
      : (
          await db.selectFrom('upstreams').select(['id', 'name']).where('id', 'in', upstreamIds).execute()
        ).map((u) => [u.id, u.name]),
  );
  for (const c of calls) {
    events.push({
      at: c.startedAt,
      what: `upstream ${c.operation}`,
      detail: `${c.outcome} in ${c.durationMs} ms at ${names.get(c.upstreamId) ?? `upstream ${c.upstreamId}`}${c.error ? `: ${c.error}` : ''}`,
    });
  }
  events.push(...(await line.orderEvents(db, order)));
  const audit = await db
    .selectFrom('audit_log')
    .select(['actor', 'action', 'created_at'])
    .where('target', '=', `order:${order.line}:${order.id}`)
    .execute();
  for (const a of audit) events.push({ at: a.created_at, what: a.action, detail: `by ${a.actor}` });
  events.push({ at: order.updatedAt, what: `state ${order.state}`, detail: null });
  return events.sort((a, b) => a.at - b.at);
}
