import type { AppContext } from '../app-context.js';
import type { OrderSummary, ProductLine } from '../orders/product-line.js';
import { type Actor, writeAudit } from './audit.repository.js';
import { findOrder } from './orders.repository.js';

/** A manual refund that could not be made; the message is safe to show the operator. */
export class OrderRefundError extends Error {
  override name = 'OrderRefundError';
  constructor(
    readonly code: 'not_found' | 'final',
    message: string,
  ) {
    super(message);
  }
}

/**
 * An operator's refund of one order of any line, through the line's own exactly-once path
 * (`ProductLine.operatorRefund`): one transaction moves the order by compare-and-set from any
 * state that is not an end state to the line's refunded end state (activations and emails
 * `cancelled`, rentals `failed`), credits the price under the SAME `order_refund` reference the
 * line's automatic refunds use, and writes the audit row. Whatever races (expiry, the reconciler,
 * the customer, a second operator), the compare-and-set lets one win, and the ledger's unique
 * (kind, reference) backs that up.
 *
 * It ignores the customer's cancel lock and does not wait for the upstream: the customer is made
 * whole first, then the number is given back upstream on a best-effort basis. A pending order
 * (upstream outcome unknown) is refunded too: if the purchase later turns out to have bought a
 * number, the line's purchase path finds the order settled and gives that number back, exactly as
 * when the reconciler refunded it first. Refunding a rental also refunds its renewals, each under
 * its own reference; the audit row records the total.
 */
export async function refundOrder(
  ctx: AppContext,
  actor: Actor,
  lineName: string,
  id: number,
  reason: string | null,
): Promise<OrderSummary> {
  const line = ctx.lines.find(lineName);
  const before = line ? await line.findOrder(ctx.db, id) : null;
  if (!line || !before) throw new OrderRefundError('not_found', 'order not found');
  const note = `refunded by operator${reason ? `: ${reason}` : ''}`.slice(0, 500);
  const now = ctx.clock.now();
  const won = await ctx.db.transaction().execute(async (trx) => {
    const refunded = await line.operatorRefund(trx, before, note, now);
    if (refunded === null) return false;
    await writeAudit(trx, {
      actor,
      action: 'order.refund',
      target: `order:${line.name}:${id}`,
      before: { state: before.state, price: before.price },
      after: { state: line.refundedState, refunded, reason },
      now,
    });
    return true;
  });
  const after = (await findOrder(ctx.lines, ctx.db, line.name, id)) ?? before;
  if (!won) {
    throw new OrderRefundError(
      'final',
      `the order is already ${after.state} (an end state); nothing was refunded`,
    );
  }
  if (before.upstreamOrderId) await giveBackUpstream(ctx, line, before, before.upstreamOrderId);
  return after;
}

/**
 * Best effort, after the refund committed: tells the upstream we are done with the number, so it
 * stops charging us or refunds us. Its failure is logged only; the customer is refunded either way.
 */
async function giveBackUpstream(
  ctx: AppContext,
  line: ProductLine<AppContext>,
  order: OrderSummary,
  upstreamOrderId: string,
) {
  const id = order.id;
  try {
    const provider = await ctx.providers[line.upstreamKind](order.upstreamId);
    if (!(await provider.cancel(upstreamOrderId))) {
      ctx.log.warn(
        { line: line.name, id, upstreamOrderId },
        'upstream refused to cancel an operator-refunded order',
      );
    }
  } catch (error) {
    ctx.log.warn({ err: error, line: line.name, id }, 'could not cancel an operator-refunded order upstream');
  }
}
