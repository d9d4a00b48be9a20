import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.js';
import { contractValidator } from '../http/contract/contract-route.js';
import {
  adminErrorHandler,
  consoleCookie,
  requireOperator,
  SESSION_COOKIE,
  sessionToken,
} from './admin-http.js';
import { handle } from './admin-route.js';
import { login, logout, SESSION_TTL_MS } from './operators.service.js';
import { accountsRoutes } from './routes/accounts-routes.js';
import { catalogRoutes } from './routes/catalog-routes.js';
import { importRoutes } from './routes/import-routes.js';
import { ordersRoutes } from './routes/orders-routes.js';
import { overviewRoutes } from './routes/overview-routes.js';
import { passwordLinksRoutes } from './routes/password-links-routes.js';
import { pricesRoutes } from './routes/prices-routes.js';
import { switchesRoutes } from './routes/switches-routes.js';
import { topupsRoutes } from './routes/topups-routes.js';
import { upstreamsRoutes } from './routes/upstreams-routes.js';

/** Login attempts per second per client address: scrypt is slow on purpose, guessing must be too. */
const LOGIN_ATTEMPTS_PER_SECOND = 10;

const LOGIN_REFUSED = 'wrong email or password (after several failed tries, wait a few minutes)';

/**
 * The operator API under /admin/api (JSON). Login returns a bearer token and sets the console
 * cookie (same token); every other route needs one of them. The customer API keys are a separate
 * credential and never open the admin API.
 */
export async function registerAdminApi(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(
    async (api) => {
      api.setErrorHandler(adminErrorHandler);
      api.setValidatorCompiler(contractValidator);

      handle(api, 'POST /login', async ({ body }, request, reply) => {
        if (!(await ctx.rateLimiter.hit(`admin-login:${request.ip}`, LOGIN_ATTEMPTS_PER_SECOND)).allowed) {
          return reply
            .status(429)
            .header('retry-after', '1')
            .send({ error: 'too many attempts, wait a second' });
        }
        const session = await login(ctx.db, ctx.clock, { ...body, address: request.ip });
        // One answer for a wrong password and a name in backoff: neither tells whether it exists.
        if (!session) return reply.status(401).send({ error: LOGIN_REFUSED });
        reply.setCookie(SESSION_COOKIE, session.token, consoleCookie(ctx, request, SESSION_TTL_MS / 1000));
        return { token: session.token, expiresAt: session.expiresAt, operator: session.operator };
      });

      handle(api, 'POST /logout', async (_input, request, reply) => {
        const found = sessionToken(request);
        if (found) await logout(ctx.db, ctx.clock, found.token);
        reply.setCookie(SESSION_COOKIE, '', consoleCookie(ctx, request, 0));
        return { ok: true as const };
      });

      await api.register(async (protectedApi) => {
        protectedApi.addHook('preValidation', requireOperator(ctx));
        for (const routes of [
          overviewRoutes,
          accountsRoutes,
          ordersRoutes,
          topupsRoutes,
          upstreamsRoutes,
          pricesRoutes,
          catalogRoutes,
          importRoutes,
          switchesRoutes,
          passwordLinksRoutes,
        ]) {
          await protectedApi.register(routes(ctx));
        }
        // Unknown admin paths answer 401 before 404, so the API's shape is not probeable without a login.
        protectedApi.setNotFoundHandler({ preValidation: requireOperator(ctx) }, (_request, reply) =>
          reply.status(404).send({ error: 'no such admin route' }),
        );
      });
    },
    { prefix: '/admin/api' },
  );
}
