import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.js';
import { readParams } from '../http/params.js';
import { formatPkr, parsePkr } from '../shared/money.js';
import type { TopupReply } from './customer-topups.contract.js';
import { listTopupRequests, type TopupRequest } from './topups.repository.js';
import { submitTopupRequest, TopupError } from './topups.service.js';

/** A request as the customer sees it: PKR strings, no operator details. */
function customerView(t: TopupRequest): TopupReply<'listed'>['topups'][number] {
  return {
    id: t.id,
    amount: formatPkr(t.amount),
    method: t.method,
    payment_reference: t.paymentReference,
    state: t.state,
    created_at: new Date(t.createdAt).toISOString(),
  };
}

/**
 * The customers' top-up API (ours, not in the reference; the customer portal calls it):
 * `POST /api/topups` with api_key, amount (PKR, e.g. "500"), method (jazzcash | easypaisa | bank),
 * payment_reference and an optional note → 201 {status:"ok", topup}; `GET /api/topups?api_key=…`
 * → {status:"ok", topups:[…]}. Errors: 401 bad key, 403 blocked, 400 invalid, 409 duplicate
 * reference, 429 too many requests, each as {status:"error", error}. The shapes are
 * customer-topups.contract.ts.
 */
export function registerCustomerTopups(app: FastifyInstance, ctx: AppContext): void {
  const fail = (reply: FastifyReply, status: number, error: string) =>
    reply.status(status).send({ status: 'error', error } satisfies TopupReply<'refused'>);

  async function caller(request: FastifyRequest, reply: FastifyReply) {
    const params = readParams(request);
    // The same per-address limit as the customer APIs (429 here: this is our own JSON API).
    const { rateLimitPerIp } = ctx.config;
    if (rateLimitPerIp > 0 && !(await ctx.rateLimiter.hit(`ip:${request.ip}`, rateLimitPerIp)).allowed) {
      reply.header('retry-after', '1');
      fail(reply, 429, 'too many requests');
      return null;
    }
    const found = await ctx.auth.authenticate(params.api_key);
    if (!found) {
      fail(reply, 401, 'invalid API key');
      return null;
    }
    if (found.status !== 'active') {
      fail(reply, 403, 'account is blocked');
      return null;
    }
    return { params, accountId: found.accountId };
  }

  app.post('/api/topups', async (request, reply) => {
    const call = await caller(request, reply);
    if (!call) return reply;
    const amount = parsePkr(call.params.amount ?? '');
    if (amount === null || amount === 0)
      return fail(reply, 400, 'amount must be a PKR amount like 500 or 12.50');
    try {
      const created = await submitTopupRequest(ctx.db, ctx.clock, {
        accountId: call.accountId,
        amount,
        method: call.params.method ?? '',
        paymentReference: call.params.payment_reference ?? '',
        note: call.params.note?.slice(0, 500) || null,
      });
      return reply
        .status(201)
        .send({ status: 'ok', topup: customerView(created) } satisfies TopupReply<'submitted'>);
    } catch (error) {
      if (error instanceof TopupError)
        return fail(reply, error.code === 'duplicate' ? 409 : 400, error.message);
      request.log.error({ err: error }, 'top-up submission failed');
      return fail(reply, 500, 'internal error');
    }
  });

  app.get('/api/topups', async (request, reply) => {
    const call = await caller(request, reply);
    if (!call) return reply;
    const topups = await listTopupRequests(ctx.db, { accountId: call.accountId, limit: 50 });
    return { status: 'ok', topups: topups.map(customerView) } satisfies TopupReply<'listed'>;
  });
}
