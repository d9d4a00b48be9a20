import { findActivationById, refundActivationByOperator } from '../activations/activations.repository.js';
import type { AppContext } from '../app-context.js';
import type { Trx } from '../db/database.js';
import { refundEmailByOperator } from '../emails/email-settlement.js';
import { refundRentalByOperator } from '../rentals/rental-operator-refund.js';
import { findRental } from '../rentals/rentals.repository.js';
import { type Actor, writeAudit } from './audit.repository.js';
import { findOrder, type OrderLine, type OrderSummary } from './orders.repository.js';

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

/** Where an order is at its upstream, for giving the number back after the refund. */
interface UpstreamRef {
  upstreamId: number;
  upstreamOrderId: string | null;
}

/**
 * An operator's refund of one order of any line, through the line's own exactly-once path: one
 * transaction moves the order by compare-and-set from any state that is not an end state to the
 * line's refunded end state (activations and emails `cancelled`, rentals `failed`), credits the
 * price under the SAME `order_refund` reference the line's automatic refunds use, and writes the
 * audit row. Whatever races (expiry, the reconciler, the customer, a second operator), the
 * compare-and-set lets one win, and the ledger's unique (kind, reference) backs that up.
 *
 * It ignores the customer's cancel lock and does not wait for the upstream: the customer is made
 * whole first, then the number is given back upstream on a best-effort basis. A pending order
 * (upstream outcome unknown) is refunded too: if the purchase later turns out to have bought a
 * number, the line's purchase path finds the order settled and gives that number back, exactly as
 * when the reconciler refunded it first. Refunding a rental returns its purchase price and every
 * renewal charged for it (see rentals/rental-operator-refund.ts).
 */
export async function refundOrder(
  ctx: AppContext,
  actor: Actor,
  line: OrderLine,
  id: number,
  reason: string | null,
): Promise<OrderSummary> {
  const before = await findOrder(ctx.db, line, id);
  if (!before) throw new OrderRefundError('not_found', 'order not found');
  const note = `refunded by operator${reason ? `: ${reason}` : ''}`.slice(0, 500);
  const now = ctx.clock.now();
  const audit = (trx: Trx, refunded = before.price) =>
    writeAudit(trx, {
      actor,
      action: 'order.refund',
      target: `order:${line}:${id}`,
      before: { state: before.state, price: before.price },
      after: { state: line === 'rental' ? 'failed' : 'cancelled', refunded, reason },
      now,
    });

  let won: boolean;
  let upstream: UpstreamRef | null;
  if (line === 'email') {
    const refunded = await ctx.db.transaction().execute(async (trx) => {
      const result = await refundEmailByOperator(trx, id, reason, now);
      if (result?.settled.won) await audit(trx);
      return result;
    });
    if (!refunded) throw new OrderRefundError('not_found', 'order not found');
    upstream = refunded.order;
    won = refunded.settled.won;
  } else if (line === 'rental') {
    const rental = await findRental(ctx.db, id);
    if (!rental) throw new OrderRefundError('not_found', 'order not found');
    upstream = rental;
    won = await ctx.db.transaction().execute(async (trx) => {
      const refunded = await refundRentalByOperator(trx, id, reason, now);
      if (refunded !== null) await audit(trx, refunded);
      return refunded !== null;
    });
  } else {
    const activation = await findActivationById(ctx.db, id);
    if (!activation || activation.line !== line) throw new OrderRefundError('not_found', 'order not found');
    upstream = activation;
    won = await ctx.db.transaction().execute(async (trx) => {
      const refunded = await refundActivationByOperator(trx, activation, now, note);
      if (refunded) await audit(trx);
      return refunded;
    });
  }
  const after = (await findOrder(ctx.db, line, id)) ?? before;
  if (!won) {
    throw new OrderRefundError(
      'final',
      `the order is already ${after.state} (an end state); nothing was refunded`,
    );
  }
  if (upstream.upstreamOrderId) await giveBackUpstream(ctx, line, upstream, id);
  return after;
}

/**
 * Best effort, after the refund committed: tells the upstream we are done with the number, so it
 * stops charging us or refunds us. Its failure is logged only; the customer is refunded either way.
 */
async function giveBackUpstream(ctx: AppContext, line: OrderLine, ref: UpstreamRef, id: number) {
  const upstreamOrderId = ref.upstreamOrderId as string;
  try {
    const provider =
      line === 'email'
        ? await ctx.providers.email(ref.upstreamId)
        : line === 'rental'
          ? await ctx.providers.rental(ref.upstreamId)
          : await ctx.providers.sms(ref.upstreamId);
    if (!(await provider.cancel(upstreamOrderId))) {
      ctx.log.warn({ line, id, upstreamOrderId }, 'upstream refused to cancel an operator-refunded order');
    }
  } catch (error) {
    ctx.log.warn({ err: error, line, id }, 'could not cancel an operator-refunded order upstream');
  }
}
