import { Counter, Histogram, Registry } from 'prom-client';
import type { WireEndpoint } from '../http/wire-types.js';

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
