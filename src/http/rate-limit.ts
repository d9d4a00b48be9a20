import { createRequire } from 'node:module';
import type { Redis as RedisClient } from 'ioredis';

/** Loaded on first use: most installs (and every CLI command) never talk to Redis. */
const require = createRequire(import.meta.url);

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the current window ends, for Retry-After. */
  retryAfterSeconds: number;
}

/**
 * Counts requests per bucket (an account, an address) in fixed windows, one second long unless
 * the caller asks for longer (sign-up counts per ten minutes and per hour). A fixed window is
 * enough here: it bounds the load any one caller can put on the server, which is its job.
 */
export interface RateLimiter {
  hit(bucket: string, limit: number, windowSeconds?: number): Promise<RateDecision>;
  close(): Promise<void>;
}

function retryAfter(nowMs: number, windowSeconds: number): number {
  return Math.max(
    1,
    Math.ceil(((Math.floor(nowMs / 1000 / windowSeconds) + 1) * windowSeconds * 1000 - nowMs) / 1000),
  );
}

export function createMemoryRateLimiter(now: () => number = Date.now): RateLimiter {
  const windows = new Map<number, { window: number; counts: Map<string, number> }>();
  return {
    async hit(bucket, limit, windowSeconds = 1) {
      const at = now();
      const current = Math.floor(at / 1000 / windowSeconds);
      let state = windows.get(windowSeconds);
      if (!state || state.window !== current) {
        // A new window: forget the old one whole, so memory stays bounded by one window of callers.
        state = { window: current, counts: new Map() };
        windows.set(windowSeconds, state);
      }
      const count = (state.counts.get(bucket) ?? 0) + 1;
      state.counts.set(bucket, count);
      return { allowed: count <= limit, retryAfterSeconds: retryAfter(at, windowSeconds) };
    },
    async close() {},
  };
}

/**
 * Shared limits for several otpget processes: one INCR (+ EXPIRE on the first hit) per request.
 * If Redis is unreachable the request is allowed: a limiter must not take the API down with it.
 */
export function createRedisRateLimiter(
  url: string,
  now: () => number = Date.now,
): RateLimiter & { ready: Promise<void> } {
  const { Redis } = require('ioredis') as { Redis: typeof RedisClient };
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', () => {});
  return {
    /** Resolves once connected; until then (and whenever Redis is down) requests are allowed. */
    ready: new Promise((resolve) => redis.once('ready', () => resolve())),
    async hit(bucket, limit, windowSeconds = 1) {
      const at = now();
      const window = Math.floor(at / 1000 / windowSeconds);
      const key =
        windowSeconds === 1
          ? `otpget:rl:${window}:${bucket}`
          : `otpget:rl:${windowSeconds}s:${window}:${bucket}`;
      try {
        const [[, count]] = (await redis
          .multi()
          .incr(key)
          .expire(key, windowSeconds + 1)
          .exec()) as [[Error | null, number]];
        return { allowed: count <= limit, retryAfterSeconds: retryAfter(at, windowSeconds) };
      } catch {
        return { allowed: true, retryAfterSeconds: 0 };
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}
