import { cancelActivation } from '../activations/activations.service.js';
import type { AppContext } from '../app-context.js';
import { cancelEmailOrder } from '../emails/email-orders.service.js';
import { type Actor, writeAudit } from './audit.repository.js';
import { findOrder, type OrderLine, type OrderSummary } from './orders.repository.js';

/** A manual refund that the line refused; `reason` is the line's own word for why. */
export class OrderRefundError extends Error {
  override name = 'OrderRefundError';
  constructor(
    readonly code: 'not_found' | 'refused' | 'upstream',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Refunds an order by hand through the line's own cancel path, exactly as if its customer had
 * cancelled: the upstream is asked first, then the line's compare-and-set and its unique
 * `order_refund` reference make the refund happen at most once, whatever else races (expiry,
 * the customer, a second operator). The console never writes a refund itself. Orders the line
 * cannot cancel (a code arrived, still pending, inside the cancel lock) are refused with its reason.
 */
export async function refundOrder(
  ctx: AppContext,
  actor: Actor,
  line: OrderLine,
  id: number,
): Promise<OrderSummary> {
  const before = await findOrder(ctx.db, line, id);
  if (!before) throw new OrderRefundError('not_found', 'order not found');
  if (line === 'rental') {
    // The rental line has no cancel: a rented number is the customer's until it expires.
    throw new OrderRefundError('refused', 'rentals cannot be cancelled; credit the account by hand if owed');
  }
  let outcome: string;
  try {
    if (line === 'email') {
      outcome = (await cancelEmailOrder(ctx, before.accountId, before.id)).kind;
      if (outcome !== 'refunded')
        throw new OrderRefundError('refused', `the email line answered "${outcome}"`);
    } else {
      outcome = await cancelActivation(ctx, before.accountId, line, before.publicId);
      if (outcome !== 'cancelled')
        throw new OrderRefundError('refused', `the ${line} line answered "${outcome}"`);
    }
  } catch (error) {
    if (error instanceof OrderRefundError) throw error;
    ctx.log.warn({ err: error, line, id }, 'manual refund failed at the upstream');
    throw new OrderRefundError(
      'upstream',
      'the upstream could not confirm the cancellation; try again later',
    );
  }
  const after = await findOrder(ctx.db, line, id);
  await writeAudit(ctx.db, {
    actor,
    action: 'order.refund',
    target: `order:${line}:${id}`,
    before: { state: before.state, price: before.price },
    after: { state: after?.state ?? null, refunded: before.price },
    now: ctx.clock.now(),
  });
  return after ?? before;
}
