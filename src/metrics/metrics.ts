import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Gauge, Registry } from 'prom-client';
import type { AppContext } from '../app-context.js';
import { processRegistry } from './counters.js';
import { countOrdersByState } from './order-counts.js';

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.startsWith('Bearer ') ? header.slice(7).trim() : '');
  const wanted = Buffer.from(token);
  return given.length === wanted.length && timingSafeEqual(given, wanted);
}

/**
 * Serves GET /metrics behind the OTPGET_METRICS_TOKEN bearer token. Without a token configured the
 * route answers 404 like any unknown path: order counts and upstream names are not for the public.
 */
export function registerMetrics(app: FastifyInstance, ctx: AppContext): void {
  const appRegistry = new Registry();
  const counts = countOrdersByState(ctx.lines, ctx.db, () => ctx.clock.now());
  new Gauge({
    name: 'otpget_orders',
    help: 'Orders by line and state (read from the database, cached for a few seconds)',
    labelNames: ['line', 'state'] as const,
    registers: [appRegistry],
    async collect() {
      this.reset();
      for (const row of await counts()) this.set({ line: row.line, state: row.state }, row.count);
    },
  });

  app.get('/metrics', async (request, reply) => {
    const token = ctx.config.metricsToken;
    if (!token) return reply.status(404).send({ error: 'not found' });
    if (!tokenMatches(request.headers.authorization, token)) {
      return reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
    }
    const body = `${await processRegistry.metrics()}\n${await appRegistry.metrics()}`;
    return reply.type(processRegistry.contentType).send(body);
  });
}
