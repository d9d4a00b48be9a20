import type { Clock } from '../shared/clock.js';
import type { UpstreamCallLog } from './upstream-call-log.js';

/** Adapter methods whose first argument is the upstream's order id. */
const ORDER_ID_ARGUMENT = new Set(['getActivation', 'cancel', 'finish', 'getMessages', 'extend']);
/** Purchases: the upstream's order id comes back in the reply. */
const PURCHASES = new Set(['buyNumber', 'rentNumber', 'buyEmail']);

/** The order whose purchase call is being started right now (see withOrderRef). */
let startingFor: string | null = null;

/**
 * Runs `work` with our order's reference attached to the upstream call it starts, so a purchase
 * (whose upstream order id is not known before the reply, or ever, when it fails) still shows in
 * that order's timeline. Later calls are matched by the upstream order id instead.
 *
 * The reference is read when the call starts, which happens synchronously inside `work` (the
 * breaker, metrics and recording wrappers call through without awaiting first). A module
 * variable set around that synchronous start does this without AsyncLocalStorage, whose async
 * hooks would tax every promise of the process.
 */
export function withOrderRef<T>(orderRef: string, work: () => Promise<T>): Promise<T> {
  const outer = startingFor;
  startingFor = orderRef;
  try {
    return work();
  } finally {
    startingFor = outer;
  }
}

/**
 * A short error text safe to store: the error's kind and message, with URLs and anything that
 * looks like a key or token removed (adapters may put a request URL, key included, in a message).
 */
export function describeUpstreamError(error: unknown): string {
  const kind = (error as { kind?: unknown })?.kind;
  const message = error instanceof Error ? error.message : String(error);
  const cleaned = message
    .replace(/\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, '<url>')
    .replace(/\b(api_?key|key|token|secret|password)=[^&\s]*/gi, '$1=***')
    .replace(/\s+/g, ' ')
    .trim();
  const prefix = typeof kind === 'string' && !cleaned.includes(kind) ? `${kind}: ` : '';
  return `${prefix}${cleaned}`.slice(0, 200);
}

/**
 * Wraps an adapter so every method call is recorded in the upstream-call log: operation, order
 * reference (from `withOrderRef`, the call's arguments or a purchase's reply), start, duration and
 * outcome. Recording is a buffer push; it never changes what the call returns or throws.
 */
export function recordUpstreamCalls<T extends object>(
  adapter: T,
  upstreamId: number,
  callLog: UpstreamCallLog,
  clock: Clock,
): T {
  return new Proxy(adapter, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        const startedAt = clock.now();
        const started = performance.now();
        const orderRef = startingFor;
        const fromArgs =
          ORDER_ID_ARGUMENT.has(property) && typeof args[0] === 'string' ? (args[0] as string) : null;
        const record = (outcome: 'ok' | 'error', result: unknown, error: unknown) => {
          const replied = PURCHASES.has(property)
            ? (result as { upstreamOrderId?: unknown } | undefined)?.upstreamOrderId
            : undefined;
          callLog.record({
            upstreamId,
            operation: property,
            orderRef,
            upstreamOrderId: fromArgs ?? (typeof replied === 'string' ? replied : null),
            startedAt,
            durationMs: Math.round(performance.now() - started),
            outcome,
            error: outcome === 'error' ? describeUpstreamError(error) : null,
          });
        };
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          record('error', undefined, error);
          throw error;
        }
        if (!(result instanceof Promise)) {
          record('ok', result, null);
          return result;
        }
        return result.then(
          (resolved: unknown) => {
            record('ok', resolved, null);
            return resolved;
          },
          (error: unknown) => {
            record('error', undefined, error);
            throw error;
          },
        );
      };
    },
  });
}
