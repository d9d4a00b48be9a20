import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { limitParam, operatorOf } from '../admin-http.js';
import { handle } from '../admin-route.js';
import { listAudit } from '../audit.repository.js';
import { openApiDocument } from '../contract/openapi.js';
import { ADMIN_ROUTES } from '../contract/routes.js';
import { readOverview } from '../overview.service.js';

/** The overview figures, the audit log, who is signed in, and the API's own description. */
export function overviewRoutes(ctx: AppContext) {
  return async (api: FastifyInstance) => {
    handle(api, 'GET /me', async (_input, request) => ({ operator: operatorOf(request) }));

    handle(api, 'GET /overview', async ({ query }) => {
      const days = limitParam(query.days, 30, 366);
      return readOverview(ctx.lines, ctx.db, { now: ctx.clock.now(), days });
    });

    handle(api, 'GET /audit', async ({ query: q }) => {
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

    // Behind the login like every route: the API's shape is not public.
    const document = openApiDocument(ADMIN_ROUTES, '/admin/api');
    api.get('/openapi.json', async () => document);
  };
}
