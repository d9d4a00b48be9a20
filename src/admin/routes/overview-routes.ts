import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { limitParam, operatorOf, query } from '../admin-http.js';
import { listAudit } from '../audit.repository.js';
import { readOverview } from '../overview.service.js';

/** The overview figures, the audit log and who is signed in. */
export function overviewRoutes(ctx: AppContext) {
  return async (api: FastifyInstance) => {
    api.get('/me', async (request) => ({ operator: operatorOf(request) }));

    api.get('/overview', async (request) => {
      const days = limitParam(query(request).days, 30, 366);
      return readOverview(ctx.lines, ctx.db, { now: ctx.clock.now(), days });
    });

    api.get('/audit', async (request) => {
      const q = query(request);
      const beforeId = q.before && /^\d{1,15}$/.test(q.before) ? Number(q.before) : undefined;
      return {
        entries: await listAudit(ctx.db, {
          limit: limitParam(q.limit, 100, 1000),
          ...(beforeId !== undefined ? { beforeId } : {}),
          ...(q.target ? { target: q.target } : {}),
          ...(q.action ? { action: q.action } : {}),
        }),
      };
    });
  };
}
