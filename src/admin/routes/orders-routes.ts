import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { AdminHttpError, actorOf, badRequest, limitParam, notFound, text } from '../admin-http.js';
import { handle } from '../admin-route.js';
import { findOrder, orderTimeline, searchOrders } from '../orders.repository.js';
import { OrderRefundError, refundOrder } from '../orders.service.js';

/** The `:line` of the URL: a registered line's name. */
function knownLine(ctx: AppContext, line: string): string {
  if (!ctx.lines.find(line)) throw badRequest(`line must be one of ${ctx.lines.names.join(', ')}`);
  return line;
}

/** Orders of every line: search by id, number, email or account; timeline; manual refund. */
export function ordersRoutes(ctx: AppContext) {
  return async (api: FastifyInstance) => {
    handle(api, 'GET /orders', async ({ query: q }) => {
      const accountId = q.account && /^\d{1,15}$/.test(q.account) ? Number(q.account) : undefined;
      return {
        orders: await searchOrders(ctx.lines, ctx.db, {
          ...(q.q ? { text: q.q.slice(0, 200) } : {}),
          ...(accountId !== undefined ? { accountId } : {}),
          limit: limitParam(q.limit, 50, 500),
        }),
      };
    });

    handle(api, 'GET /orders/:line/:id', async ({ params }) => {
      const order = await findOrder(ctx.lines, ctx.db, knownLine(ctx, params.line), Number(params.id));
      if (!order) throw notFound('order');
      // This process's buffered upstream calls first, so the timeline includes the latest ones.
      await ctx.upstreamCalls.flush();
      return { order, timeline: await orderTimeline(ctx.lines, ctx.db, order) };
    });

    handle(api, 'POST /orders/:line/:id/refund', async ({ params, body }, request) => {
      try {
        const line = knownLine(ctx, params.line);
        return {
          order: await refundOrder(ctx, actorOf(request), line, Number(params.id), text(body.reason)),
        };
      } catch (error) {
        if (!(error instanceof OrderRefundError)) throw error;
        throw new AdminHttpError({ not_found: 404, final: 409 }[error.code], error.message);
      }
    });
  };
}
