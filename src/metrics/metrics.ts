import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { AppContext } from '../app-context.js';
import type { WireEndpoint } from '../http/wire.js';
import { countOrdersByState } from './order-counts.js';

/**
 * Prometheus metrics. Counters and histograms that code deep in the engine feeds (upstream calls,
 * code delivery) live in one process-wide registry, since adapters and repositories have no
 * request at hand; the per-application parts (orders by state, read from that app's database)
 * are rendered per scrape. Recording is a label lookup and an add: cheap on the poll hot path.
 */
export const processRegistry = new Registry();

const requests = new Counter({
  name: 'otpget_requests_total',
  help: 'Customer API requests by endpoint and action',
  labelNames: ['endpoint', 'action'] as const,
  registers: [processRegistry],
});
const latency = new Histogram({
  name: 'otpget_request_duration_seconds',
  help: 'Customer API latency by endpoint and action',
  labelNames: ['endpoint', 'action'] as const,
  buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [processRegistry],
});
const upstreamCalls = new Counter({
  name: 'otpget_upstream_calls_total',
  help: 'Calls to upstream providers by kind, upstream name and method',
  labelNames: ['kind', 'provider', 'method'] as const,
  registers: [processRegistry],
});
const upstreamErrors = new Counter({
  name: 'otpget_upstream_errors_total',
  help: 'Upstream calls that threw, by kind, upstream name, method and error kind',
  labelNames: ['kind', 'provider', 'method', 'error'] as const,
  registers: [processRegistry],
});
const codeDelivery = new Histogram({
  name: 'otpget_code_delivery_seconds',
  help: 'Time from purchase to the code being recorded, by line',
  labelNames: ['line'] as const,
  buckets: [5, 10, 20, 30, 45, 60, 90, 120, 180, 300, 600, 1200],
  registers: [processRegistry],
});

const webhookDeliveries = new Counter({
  name: 'otpget_webhook_deliveries_total',
  help: 'Customer webhook delivery attempts by outcome (delivered, failed, gave_up)',
  labelNames: ['outcome'] as const,
  registers: [processRegistry],
});

/** Counts one webhook delivery attempt; the webhook worker calls it after each POST. */
export function recordWebhookDelivery(outcome: 'delivered' | 'failed' | 'gave_up'): void {
  webhookDeliveries.inc({ outcome });
}

/** Records how long a code took to arrive after the purchase (both in epoch ms). */
export function observeCodeDelivery(line: string, createdAt: number, recordedAt: number): void {
  codeDelivery.observe({ line }, Math.max(0, recordedAt - createdAt) / 1000);
}

/**
 * Wraps an upstream adapter so every method call is counted, and every throw counted as an error
 * with the UpstreamError kind when it has one. The adapter's behaviour is unchanged.
 */
export function instrumentAdapter<T extends object>(kind: string, provider: string, adapter: T): T {
  return new Proxy(adapter, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        const labels = { kind, provider, method: property };
        upstreamCalls.inc(labels);
        const fail = (error: unknown) => {
          const errorKind = (error as { kind?: unknown })?.kind;
          upstreamErrors.inc({ ...labels, error: typeof errorKind === 'string' ? errorKind : 'error' });
          throw error;
        };
        try {
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(target, args);
          return result instanceof Promise ? result.catch(fail) : result;
        } catch (error) {
          return fail(error);
        }
      };
    },
  });
}

/**
 * Counts one customer API call; the wire frame calls it for every call, whichever server read it.
 * Unknown actions are labelled "other" so callers cannot grow the label set.
 */
export function countCustomerCall(endpoint: WireEndpoint, action: string, seconds: number): void {
  const labels = {
    endpoint: endpoint.path,
    action: Object.hasOwn(endpoint.actions, action) ? action : 'other',
  };
  requests.inc(labels);
  latency.observe(labels, seconds);
}

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
  const counts = countOrdersByState(ctx.db, () => ctx.clock.now());
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
