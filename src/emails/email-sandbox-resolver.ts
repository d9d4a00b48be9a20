import type { Executor } from '../db/database.js';
import { findEmailOrder } from './email-orders.repository.js';

/**
 * Lets `otpget sandbox deliver <email_id> <text>` find a temp email order: by its email_id, or
 * as `email:<email_id>` where another product line's order has the same id.
 */
export async function findEmailUpstreamOrder(
  db: Executor,
  publicId: string,
): Promise<{ upstreamId: number; upstreamOrderId: string } | null> {
  const digits = /^(?:email:)?(\d{1,15})$/.exec(publicId.trim())?.[1];
  if (!digits) return null;
  const order = await findEmailOrder(db, Number(digits));
  return order?.upstreamOrderId
    ? { upstreamId: order.upstreamId, upstreamOrderId: order.upstreamOrderId }
    : null;
}
