import type { AppContext } from '../app-context.js';
import { UpstreamError } from '../providers/types.js';
import type {
  Activation,
  ActivationLine,
  ActivationState,
  CancelResult,
  CompleteResult,
} from './activation-types.js';
import {
  findActivationById,
  findActivationStatus,
  findCustomerActivationRow,
  markActivationFinished,
  recordActivationCode,
  refundActivation,
} from './activations.repository.js';
import { codeOfMessage, firstMessage } from './message-code.js';

export { buyActivation } from './activation-purchase.js';

export type {
  Activation,
  ActivationLine,
  ActivationOffer,
  ActivationState,
  BuyResult,
  CancelResult,
  CompleteResult,
} from './activation-types.js';

import { announceActivationCode } from '../events/order-events.js';

/**
 * The activation engine shared by the SMS OTP and cheap-number lines: the purchase reservation,
 * completion and cancellation. The worker side (polls, expiry, reconciliation) is in
 * activation-jobs.ts. Every state change is a compare-and-set; only its winner moves money.
 */

/** A customer's order; null for unknown ids, other customers' ids and the other line's ids. */
export async function findCustomerActivation(
  ctx: AppContext,
  accountId: number,
  line: ActivationLine,
  publicId: string,
): Promise<Activation | null> {
  const row = await findCustomerActivationRow(ctx.db, accountId, line, publicId);
  if (!row) return null;
  const { upstreamService: _internal, ...activation } = row;
  return activation;
}

/**
 * getStatus's view of a customer's order: one indexed read of our database, never an upstream
 * call. Null for unknown ids, other customers' ids and the other line's ids.
 */
export function getActivationStatus(
  ctx: AppContext,
  accountId: number,
  line: ActivationLine,
  publicId: string,
): Promise<{ state: ActivationState; code: string | null } | null> {
  return findActivationStatus(ctx.database, accountId, line, publicId);
}

/**
 * The customer confirms the code (setStatus 3/6): code_received → finished, then the upstream is
 * told (SMS-Activate status 6). The upstream call cannot undo the completion; its failure is logged.
 */
export async function completeActivation(
  ctx: AppContext,
  accountId: number,
  line: ActivationLine,
  publicId: string,
): Promise<CompleteResult> {
  const activation = await findCustomerActivationRow(ctx.db, accountId, line, publicId);
  if (!activation) return 'not_found';
  if (activation.state === 'pending' || activation.state === 'active') return 'no_sms_received';
  if (activation.state !== 'code_received') return 'already_changed';
  if (!(await markActivationFinished(ctx.db, activation.id, ctx.clock.now()))) return 'already_changed';
  // Usually quick; a slow upstream must not hold the customer's reply, so the call goes on alone.
  await Promise.race([finishUpstream(ctx, activation), delay(FINISH_WAIT_MS)]);
  return 'finished';
}

/** How long completing waits for the upstream's finish before answering anyway. */
const FINISH_WAIT_MS = 2_000;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Tells the upstream an order is done; never throws (the order is finished either way). */
export async function finishUpstream(
  ctx: AppContext,
  activation: { id: number; upstreamId: number; upstreamOrderId: string | null },
): Promise<void> {
  if (!activation.upstreamOrderId) return;
  try {
    const provider = await ctx.providers.sms(activation.upstreamId);
    await provider.finish(activation.upstreamOrderId);
  } catch (error) {
    ctx.log.warn(
      { err: error, activationId: activation.id },
      'upstream finish failed; it ends the order itself',
    );
  }
}

/**
 * The customer cancels (setStatus 8). After the cancel lock, the upstream is asked FIRST; the
 * refund happens only once it confirms (or says the order is gone). If it refuses because a code
 * came, the code is fetched and recorded ('code_received'). When the upstream cannot be reached
 * the UpstreamError is thrown and nothing changes: the wire answers an error, the customer may
 * retry, and expiry settles the order in any case.
 */
export async function cancelActivation(
  ctx: AppContext,
  accountId: number,
  line: ActivationLine,
  publicId: string,
): Promise<CancelResult> {
  const activation = await findCustomerActivationRow(ctx.db, accountId, line, publicId);
  if (!activation) return 'not_found';
  switch (activation.state) {
    case 'pending':
      // The purchase has not reported back yet; it cannot be cancelled upstream before it does.
      return 'early_cancel_denied';
    case 'code_received':
      return 'code_received';
    case 'active':
      break;
    default:
      return 'already_changed';
  }
  if (ctx.clock.now() < activation.cancelAllowedAt) return 'early_cancel_denied';
  const upstreamOrderId = activation.upstreamOrderId as string;
  const provider = await ctx.providers.sms(activation.upstreamId);

  let confirmed: boolean;
  try {
    confirmed = await provider.cancel(upstreamOrderId);
  } catch (error) {
    if (!(error instanceof UpstreamError && error.kind === 'not_found')) throw error;
    confirmed = true; // the upstream no longer knows the order: nothing can arrive on it
  }
  if (confirmed) {
    const won = await refundActivation(
      ctx.db,
      activation,
      ['active'],
      'cancelled',
      ctx.clock.now(),
      'cancelled by customer',
    );
    return won ? 'cancelled' : afterLostRace(ctx, activation.id);
  }

  // Refused: most often because a code arrived. Fetch it so the customer sees it.
  const state = await provider.getActivation(upstreamOrderId);
  if (state.state === 'cancelled') {
    const won = await refundActivation(
      ctx.db,
      activation,
      ['active'],
      'cancelled',
      ctx.clock.now(),
      'cancelled upstream',
    );
    return won ? 'cancelled' : afterLostRace(ctx, activation.id);
  }
  const message = state.state === 'waiting' ? undefined : firstMessage(state.messages);
  if (!message) return 'early_cancel_denied'; // the upstream's own lock is longer than ours: try later
  const won = await recordActivationCode(ctx.db, activation.id, {
    code: codeOfMessage(message, activation.upstreamService),
    smsText: message.text,
    now: ctx.clock.now(),
  });
  if (won) await announceActivationCode(ctx, activation.id);
  return afterLostRace(ctx, activation.id);
}

/**
 * What a cancel answers when another path changed the order first: what a sequential repeat of the
 * same cancel would answer now, so racing identical cancels get one success and the repeat's reply
 * (a cancel of a cancelled order is already changed, never a second "cancelled").
 */
async function afterLostRace(ctx: AppContext, id: number): Promise<CancelResult> {
  const current = await findActivationById(ctx.db, id);
  return current?.state === 'code_received' ? 'code_received' : 'already_changed';
}
