import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { actorOf, badRequest, body, idParam, limitParam, optionalString, query } from '../admin-http.js';
import { listTopupRequests } from '../topups.repository.js';
import { approveTopupRequest, rejectTopupRequest } from '../topups.service.js';

const STATES = ['pending', 'approved', 'rejected'] as const;

/** Top-up requests: the queue, approve (credits once through the ledger), reject. */
export function topupsRoutes(ctx: AppContext) {
  return async (api: FastifyInstance) => {
    api.get('/topups', async (request) => {
      const q = query(request);
      const state = q.state && q.state !== 'all' ? q.state : undefined;
      if (state !== undefined && !(STATES as readonly string[]).includes(state)) {
        throw badRequest('state must be pending, approved, rejected or all');
      }
      const accountId = q.account && /^\d{1,15}$/.test(q.account) ? Number(q.account) : undefined;
      return {
        topups: await listTopupRequests(ctx.db, {
          ...(state ? { state: state as (typeof STATES)[number] } : {}),
          ...(accountId !== undefined ? { accountId } : {}),
          limit: limitParam(q.limit, 100, 1000),
        }),
      };
    });

    api.post('/topups/:id/approve', async (request) => {
      return approveTopupRequest(ctx.db, ctx.clock, actorOf(request), {
        id: idParam(request),
        note: optionalString(body(request), 'note', 500),
      });
    });

    api.post('/topups/:id/reject', async (request) => {
      return {
        request: await rejectTopupRequest(ctx.db, ctx.clock, actorOf(request), {
          id: idParam(request),
          note: optionalString(body(request), 'note', 500),
        }),
      };
    });
  };
}
