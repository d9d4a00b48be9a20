import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { actorOf, limitParam, text } from '../admin-http.js';
import { handle } from '../admin-route.js';
import { listTopupRequests } from '../topups.repository.js';
import { approveTopupRequest, rejectTopupRequest } from '../topups.service.js';

const STATES = ['pending', 'approved', 'rejected'] as const;
type State = (typeof STATES)[number];
const isState = (s: string | undefined): s is State =>
  (STATES as readonly (string | undefined)[]).includes(s);

/** Top-up requests: the queue, approve (credits once through the ledger), reject. */
export function topupsRoutes(ctx: AppContext) {
  return async (api: FastifyInstance) => {
    handle(api, 'GET /topups', async ({ query: q }) => {
      const accountId = q.account && /^\d{1,15}$/.test(q.account) ? Number(q.account) : undefined;
      return {
        topups: await listTopupRequests(ctx.db, {
          ...(isState(q.state) ? { state: q.state } : {}),
          ...(accountId !== undefined ? { accountId } : {}),
          limit: limitParam(q.limit, 100, 1000),
        }),
      };
    });

    handle(api, 'POST /topups/:id/approve', async ({ params, body }, request) =>
      approveTopupRequest(ctx.db, ctx.clock, actorOf(request), {
        id: Number(params.id),
        note: text(body.note),
      }),
    );

    handle(api, 'POST /topups/:id/reject', async ({ params, body }, request) => ({
      request: await rejectTopupRequest(ctx.db, ctx.clock, actorOf(request), {
        id: Number(params.id),
        note: text(body.note),
      }),
    }));
  };
}
