import type { Clock } from '../shared/clock.js';
import { UpstreamError } from './types.js';

/**
 * A circuit breaker per upstream adapter: after `failureThreshold` failures in a row that say the
 * upstream itself is down (HTTP 5xx, garbage, timeout, reset), calls stop reaching it for
 * `coolDownMs`: each fails at once with UpstreamError('unavailable'), which every line treats as
 * a definite failure before anything happened upstream (a purchase is refunded at once, a poll
 * is tried again later). After the cool-down one call goes through as a probe: success closes the
 * breaker, failure opens it for another cool-down.
 *
 * It never retries anything: each call reaches the upstream once or not at all, so a purchase is
 * never sent twice. Answers that show the upstream is up (no numbers, not found, a refused
 * request, even a refused key) count as success.
 */
export interface CircuitBreakerOptions {
  failureThreshold?: number;
  coolDownMs?: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

export interface CircuitBreaker {
  state(): BreakerState;
  /** Calls of the wrapped adapter refused without reaching the upstream. */
  refused(): number;
}

/** The raw text a refused call carries (shown as ERROR_PROVIDER_n:UPSTREAM_UNAVAILABLE on the SMS API). */
export const BREAKER_OPEN_RAW = 'UPSTREAM_UNAVAILABLE';

const DEFAULT_THRESHOLD = 10;
const DEFAULT_COOL_DOWN_MS = 30_000;

function isOutage(error: unknown): boolean {
  if (error instanceof UpstreamError) return error.kind === 'unavailable' || error.kind === 'unknown_outcome';
  return true;
}

/**
 * Wraps every method of `adapter` in one breaker. Returns the wrapped adapter and the breaker
 * (for tests and operators).
 */
export function withCircuitBreaker<T extends object>(
  adapter: T,
  clock: Clock,
  options: CircuitBreakerOptions = {},
): { adapter: T; breaker: CircuitBreaker } {
  const threshold = options.failureThreshold ?? DEFAULT_THRESHOLD;
  const coolDownMs = options.coolDownMs ?? DEFAULT_COOL_DOWN_MS;
  let failures = 0;
  let openUntil: number | null = null;
  let probing = false;
  let refusedCount = 0;

  const state = (): BreakerState => {
    if (openUntil === null) return 'closed';
    return clock.now() >= openUntil ? 'half-open' : 'open';
  };

  function onSuccess(): void {
    failures = 0;
    openUntil = null;
  }
  function onFailure(error: unknown, probe: boolean): void {
    if (!isOutage(error)) {
      onSuccess();
      return;
    }
    failures++;
    if (probe || failures >= threshold) openUntil = clock.now() + coolDownMs;
  }

  const wrapped = new Proxy(adapter, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string') return value;
      return (...args: unknown[]) => {
        const current = state();
        if (current === 'open' || (current === 'half-open' && probing)) {
          refusedCount++;
          return Promise.reject(new UpstreamError('unavailable', BREAKER_OPEN_RAW));
        }
        const probe = current === 'half-open';
        if (probe) probing = true;
        const settle = () => {
          if (probe) probing = false;
        };
        let result: unknown;
        try {
          result = (value as (...a: unknown[]) => unknown).apply(target, args);
        } catch (error) {
          settle();
          onFailure(error, probe);
          throw error;
        }
        if (!(result instanceof Promise)) {
          settle();
          return result;
        }
        return result.then(
          (ok: unknown) => {
            settle();
            onSuccess();
            return ok;
          },
          (error: unknown) => {
            settle();
            onFailure(error, probe);
            throw error;
          },
        );
      };
    },
  });
  return { adapter: wrapped, breaker: { state, refused: () => refusedCount } };
}
