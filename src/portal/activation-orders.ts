import type { FastifyInstance } from 'fastify';
import { findAccount } from '../accounts/accounts.repository.js';
import type { Activation, ActivationLine } from '../activations/activation-types.js';
import {
  cancelActivation,
  completeActivation,
  findCustomerActivation,
} from '../activations/activations.service.js';
import { UpstreamError } from '../providers/types.js';
import { formatPkr } from '../shared/money.js';
import { fail, handlePortal, visitorOf } from './portal-api.js';
import type { PortalDeps } from './visitor.js';

/** An order (SMS or cheap number) as the dashboard script shows it: our public id, never upstream details. */
export function orderView(a: Activation, now: number) {
  const open = a.state === 'pending' || a.state === 'active';
  return {
    id: a.publicId,
    phone: a.phone,
    state: a.state,
    code: a.code,
    text: a.smsText,
    price: formatPkr(a.pricePaisa),
    createdAt: a.createdAt,
    expiresAt: a.expiresAt,
    cancelAllowedAt: a.cancelAllowedAt,
    canCancel: a.state === 'active' && now >= a.cancelAllowedAt,
    canComplete: a.state === 'code_received',
    waiting: open,
  };
}

/** A blocked account's purchase, refused by the order engine before anything is charged. */
export const BLOCKED = 'Your account is blocked.';

/** What a customer's cancel or complete came to, in their words, with the JSON status of a refusal. */
export const VERB_OUTCOMES = {
  cancelled: { status: 200, message: 'Cancelled. The price is back in your balance.' },
  completed: { status: 200, message: 'Done. Thanks!' },
  too_early: { status: 409, message: 'Too early to cancel: wait until the cancel time shown.' },
  code_received: { status: 409, message: 'A code arrived, so the number cannot be cancelled.' },
  no_code: { status: 409, message: 'No code has arrived yet.' },
  closed: { status: 409, message: 'This order was already closed.' },
  not_found: { status: 404, message: 'No such order.' },
  provider_busy: {
    status: 502,
    message: 'The provider could not confirm the cancel. Try again in a moment.',
  },
} as const;
export type VerbOutcome = keyof typeof VERB_OUTCOMES;

/**
 * Cancels or completes one of the account's activations (SMS or cheap) through the engine the
 * wire modules use; the dashboard's buttons (JSON) and the order history's forms both come here.
 */
export async function applyActivationVerb(
  ctx: PortalDeps['ctx'],
  accountId: number,
  line: ActivationLine,
  publicId: string,
  verb: 'cancel' | 'complete',
): Promise<VerbOutcome> {
  if (verb === 'complete') {
    const result = await completeActivation(ctx, accountId, line, publicId);
    if (result === 'no_sms_received') return 'no_code';
    return result === 'already_changed' ? 'closed' : result === 'not_found' ? 'not_found' : 'completed';
  }
  try {
    const result = await cancelActivation(ctx, accountId, line, publicId);
    if (result === 'early_cancel_denied') return 'too_early';
    return result === 'already_changed' ? 'closed' : result;
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    return 'provider_busy';
  }
}

/**
 * Poll, cancel and complete for one activation line (SMS OTP or cheap numbers): the same engine
 * calls the wire modules make, scoped to the signed-in account, so another customer's id is 404.
 */
export function registerActivationOrderRoutes(
  app: FastifyInstance,
  deps: PortalDeps,
  line: ActivationLine,
): void {
  const { ctx } = deps;
  handlePortal(app, `GET /portal/api/${line}/orders/:id`, async ({ params }, request, reply) => {
    const order = await findCustomerActivation(ctx, visitorOf(request).account.id, line, params.id);
    if (!order) return fail(reply, { status: 404, error: 'No such order.' });
    return { ok: true, order: orderView(order, ctx.clock.now()) };
  });

  handlePortal(app, `POST /portal/api/${line}/orders/:id/:verb`, async ({ params }, request, reply) => {
    const accountId = visitorOf(request).account.id;
    const { id, verb } = params;
    if (verb !== 'cancel' && verb !== 'complete')
      return fail(reply, { status: 404, error: 'Unknown action.' });
    const { status, message } = VERB_OUTCOMES[await applyActivationVerb(ctx, accountId, line, id, verb)];
    if (status !== 200) return fail(reply, { status, error: message });
    const order = await findCustomerActivation(ctx, accountId, line, id);
    const balance = formatPkr((await findAccount(ctx.db, accountId))?.balance ?? 0);
    return { ok: true, message, balance, order: order ? orderView(order, ctx.clock.now()) : null };
  });
}
