import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.js';
import {
  AdminHttpError,
  actorOf,
  badRequest,
  body,
  idParam,
  limitParam,
  notFound,
  optionalString,
  query,
} from '../admin-http.js';
import { findOrder, orderTimeline, searchOrders } from '../orders.repository.js';
import { OrderRefundError, refundOrder } from '../orders.service.js';

/** The `:line` of the URL: a registered line's name. */
function lineParam(ctx: AppContext, request: FastifyRequest): string {
  const { line } = request.params as { line: string };
  if (!ctx.lines.find(line)) throw badRequest(`line must be one of ${ctx.lines.names.join(', ')}`);
  return line;
}

/** Orders of every line: search by id, number, email or account; timeline; manual refund. */
export function ordersRoutes(ctx: AppContext) {
  return async (api: FastifyInstance) => {
    api.get('/orders', async (request) => {
      const q = query(request);
      const accountId = q.account && /^\d{1,15}$/.test(q.account) ? Number(q.account) : undefined;
      return {
        orders: await searchOrders(ctx.lines, ctx.db, {
          ...(q.q ? { text: q.q.slice(0, 200) } : {}),
          ...(accountId !== undefined ? { accountId } : {}),
          limit: limitParam(q.limit, 50, 500),
        }),
      };
    });

    api.get('/orders/:line/:id', async (request) => {
      const order = await findOrder(ctx.lines, ctx.db, lineParam(ctx, request), idParam(request));
      if (!order) throw notFound('order');
      // This process's buffered upstream calls first, so the timeline includes the latest ones.
      await ctx.upstreamCalls.flush();
      return { order, timeline: await orderTimeline(ctx.lines, ctx.db, order) };
    });

    api.post('/orders/:line/:id/refund', async (request) => {
      try {
        const reason = optionalString(body(request), 'reason', 200);
        const line = lineParam(ctx, request);
        return { order: await refundOrder(ctx, actorOf(request), line, idParam(request), reason) };
      } catch (error) {
        if (!(error instanceof OrderRefundError)) throw error;
        throw new AdminHttpError({ not_found: 404, final: 409 }[error.code], error.message);
      }
    });
  };
}
