import { type AuditStamp, inAuditedTransaction } from '../../admin/audit.repository.js';
import type { Executor } from '../../db/database.js';
import { findUpstream } from '../upstreams.repository.js';
import { findSandboxOrder, insertSandboxMessage } from './sandbox.repository.js';

/** Finds the upstream order behind a customer-facing order id of one product line. */
export type UpstreamOrderResolver = (
  db: Executor,
  publicId: string,
) => Promise<{ upstreamId: number; upstreamOrderId: string } | null>;

export class SandboxDeliveryError extends Error {
  override name = 'SandboxDeliveryError';
}

/**
 * Puts a message on a sandbox order as if the upstream had received it. The running server's
 * worker picks it up on its next poll, so this works from another process (the CLI).
 */
export async function deliverSandboxMessage(
  db: Executor,
  resolvers: UpstreamOrderResolver[],
  input: { orderId: string; text: string; sender?: string; now: number },
): Promise<{ sandboxOrderId: number }> {
  for (const resolve of resolvers) {
    const found = await resolve(db, input.orderId);
    if (!found) continue;
    const upstream = await findUpstream(db, found.upstreamId);
    if (upstream?.protocol !== 'sandbox') {
      throw new SandboxDeliveryError(
        `order ${input.orderId} is served by upstream "${upstream?.name}", not the sandbox`,
      );
    }
    const sandboxOrder = await findSandboxOrder(db, Number(found.upstreamOrderId));
    if (!sandboxOrder)
      throw new SandboxDeliveryError(`order ${input.orderId} has no sandbox order behind it`);
    await insertSandboxMessage(db, {
      sandboxOrderId: sandboxOrder.id,
      sender: input.sender ?? 'Sandbox',
      text: input.text,
      now: input.now,
    });
    return { sandboxOrderId: sandboxOrder.id };
  }
  throw new SandboxDeliveryError(`no order with id ${input.orderId}`);
}

/** The operator's delivery (`otpget sandbox deliver`): the message and its audit row in one transaction. */
export async function deliverSandboxMessageAsOperator(
  db: Executor,
  stamp: AuditStamp,
  resolvers: UpstreamOrderResolver[],
  input: { orderId: string; text: string; sender?: string },
): Promise<{ sandboxOrderId: number }> {
  return inAuditedTransaction(db, stamp, async (trx) => {
    const delivered = await deliverSandboxMessage(trx, resolvers, { ...input, now: stamp.now });
    const audit = {
      action: 'sandbox.deliver',
      target: `order:${input.orderId}`,
      before: null,
      after: {
        sandboxOrderId: delivered.sandboxOrderId,
        sender: input.sender ?? 'Sandbox',
        text: input.text,
      },
    };
    return { result: delivered, audit };
  });
}
