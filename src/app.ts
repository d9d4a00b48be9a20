import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import type { Logger } from 'pino';
import { createAuthenticator } from './accounts/authenticator.js';
import { pollPushedActivation } from './activations/activation-jobs.js';
import { activationLines } from './activations/activation-lines.js';
import { registerAdminApi } from './admin/admin-api.js';
import { registerCustomerTopups } from './admin/customer-topups.js';
import { registerAdminPages } from './admin/web/pages.js';
import type { AppContext } from './app-context.js';
import { cheapHandlerEndpoint } from './cheap/cheap-handler.wire.js';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import { createGroupCommit } from './db/group-commit.js';
import { registerDocs } from './docs/docs.routes.js';
import { registerOpenApi } from './docs/openapi.js';
import { emailHandlerEndpoint } from './emails/email-handler.wire.js';
import { emailLine } from './emails/email-line.js';
import { createEventBus } from './events/event-bus.js';
import { compileProxyTrust } from './http/client-address.js';
import { fastLaneServerFactory } from './http/fast-lane.js';
import { createLogger } from './http/logging.js';
import { parseQueryString } from './http/query-string.js';
import { createMemoryRateLimiter, createRedisRateLimiter } from './http/rate-limit.js';
import { createWaitSlots } from './http/wait-slots.js';
import { registerWireEndpoint } from './http/wire.js';
import type { WireEndpoint } from './http/wire-types.js';
import { registerMetrics } from './metrics/metrics.js';
import { createProductLines, type ProductLines } from './orders/product-line.js';
import { registerPortal } from './portal/portal.js';
import { type AdapterFactories, createProviderRegistry } from './providers/registry.js';
import { createUpstreamCallLog } from './providers/upstream-call-log.js';
import { registerUpstreamPush } from './providers/upstream-push.routes.js';
import { rentalHandlerEndpoint } from './rentals/rental-handler.wire.js';
import { rentalLine } from './rentals/rental-line.js';
import { pullPushedRental } from './rentals/rental-read-through.js';
import { type Clock, systemClock } from './shared/clock.js';
import { registerSmsGatewayWebhook } from './sim-pool/sms-gateway.routes.js';
import { handlerApiEndpoint } from './sms/handler-api.wire.js';
import { defaultAdapterFactories } from './upstream-adapters.js';
import { systemWebhookNetwork, type WebhookNetwork } from './webhooks/webhook-destination.js';
import { registerWebhookRoutes } from './webhooks/webhooks.routes.js';

/**
 * The product lines, in the order the console and the CLI list them. The one place that names
 * them all: the worker's jobs, `ledger check`, the metrics and the order search iterate this.
 */
export function productLines(): ProductLines<AppContext> {
  return createProductLines([...activationLines, rentalLine, emailLine]);
}

/** Builds the shared context from configuration and an open database; tests pass their own clock or adapters. */
export function createContext(
  config: Config,
  database: Database,
  overrides: {
    clock?: Clock;
    log?: Logger;
    factories?: AdapterFactories;
    webhookNetwork?: WebhookNetwork;
  } = {},
): AppContext {
  const clock = overrides.clock ?? systemClock;
  const groupCommit = createGroupCommit(database);
  const log = overrides.log ?? createLogger(config);
  const upstreamCalls = createUpstreamCallLog(database.db, log);
  return {
    config,
    database,
    db: database.db,
    groupCommit,
    clock,
    log,
    auth: createAuthenticator(database.db),
    events: createEventBus(database, log),
    rateLimiter: config.redisUrl ? createRedisRateLimiter(config.redisUrl) : createMemoryRateLimiter(),
    upstreamCalls,
    webhookNetwork: overrides.webhookNetwork ?? systemWebhookNetwork,
    waitSlots: createWaitSlots(),
    lines: productLines(),
    providers: createProviderRegistry({
      db: database.db,
      groupCommit,
      clock,
      callLog: upstreamCalls,
      sandboxDelayMs: config.sandboxDelayMs,
      factories: overrides.factories ?? defaultAdapterFactories(),
    }),
  };
}

/** The customer API endpoints, in the order the docs present them; the docs and their tests read this list. */
export function customerEndpoints(ctx: AppContext): WireEndpoint[] {
  return [
    handlerApiEndpoint(ctx),
    cheapHandlerEndpoint(ctx),
    rentalHandlerEndpoint(ctx),
    emailHandlerEndpoint(ctx),
  ];
}

/** The HTTP application: the four customer endpoints and health. */
export async function createApp(ctx: AppContext): Promise<FastifyInstance> {
  const endpoints = customerEndpoints(ctx);
  // One predicate for both servers: Fastify's request.ip/protocol and the fast lane's clientOf.
  const trust = compileProxyTrust(ctx.config.trustedProxies);
  const app = Fastify({
    serverFactory: fastLaneServerFactory(ctx, endpoints, trust),
    trustProxy: trust,
    loggerInstance: ctx.log as FastifyBaseLogger,
    bodyLimit: 64 * 1024,
    // Read by the fast lane's server factory too: one server, one set of timeouts.
    requestTimeout: ctx.config.requestTimeoutMs,
    // Customers poll at high rates: one access log line per request is written at debug level only.
    logController: new LogController({
      disableRequestLogging: ctx.log.level !== 'debug' && ctx.log.level !== 'trace',
    }),
    routerOptions: { ignoreTrailingSlash: true, querystringParser: parseQueryString },
  });
  app.addHook('onClose', () => ctx.rateLimiter.close());
  app.addHook('onClose', () => ctx.events.close());
  app.addHook('onClose', () => ctx.upstreamCalls.close());
  await app.register(formbody);
  // Every cookie read and written goes through this parser; a value with bad escapes stays as
  // sent (never throws), so it simply fails as a session or CSRF token.
  await app.register(cookie);
  // A malformed JSON body must not become a 400 with parser internals: treat it as no parameters.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, JSON.parse(body as string));
    } catch {
      done(null, {});
    }
  });
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, _body, done) => done(null, {}));
  // Only framework-level failures land here (oversized body, bad URL): a short 4xx, or a generic 500.
  app.setErrorHandler((error, request, reply) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    if (status >= 500 || status < 400) {
      request.log.error({ err: error }, 'request failed');
      return reply.status(500).send({ error: 'internal error' });
    }
    return reply.status(status).send({ error: (error as { code?: string }).code ?? 'bad request' });
  });

  app.get('/healthz', async () => ({ status: 'ok' }));
  await registerAdminApi(app, ctx);
  registerAdminPages(app);
  registerCustomerTopups(app, ctx);
  registerMetrics(app, ctx);
  for (const endpoint of endpoints) registerWireEndpoint(app, ctx, endpoint);
  // The customer portal and the docs site; the docs mark what these endpoints do not serve yet.
  registerDocs(app, await registerPortal(app, ctx), endpoints);
  registerOpenApi(app);
  await registerSmsGatewayWebhook(app, ctx);
  registerUpstreamPush(app, ctx, { activation: pollPushedActivation, rental: pullPushedRental });
  registerWebhookRoutes(app, ctx);
  return app;
}
