import { Redis } from 'ioredis';

export interface RateDecision {
  allowed: boolean;
  /** Seconds until the current window ends, for Retry-After. */
  retryAfterSeconds: number;
}

/**
 * Counts requests per bucket (an account, an address) in one-second windows. A fixed window is
 * enough here: it bounds the load any one caller can put on the server, which is its job.
 */
export interface RateLimiter {
  hit(bucket: string, limitPerSecond: number): Promise<RateDecision>;
  close(): Promise<void>;
}

export function createMemoryRateLimiter(now: () => number = Date.now): RateLimiter {
  let window = 0;
  let counts = new Map<string, number>();
  return {
    async hit(bucket, limitPerSecond) {
      const current = Math.floor(now() / 1000);
      if (current !== window) {
        // A new second: forget the old one whole, so memory stays bounded by one second of callers.
        window = current;
        counts = new Map();
      }
      const count = (counts.get(bucket) ?? 0) + 1;
      counts.set(bucket, count);
      return { allowed: count <= limitPerSecond, retryAfterSeconds: 1 };
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
  const redis = new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false });
  redis.on('error', () => {});
  return {
    /** Resolves once connected; until then (and whenever Redis is down) requests are allowed. */
    ready: new Promise((resolve) => redis.once('ready', () => resolve())),
    async hit(bucket, limitPerSecond) {
      const key = `otpget:rl:${Math.floor(now() / 1000)}:${bucket}`;
      try {
        const [[, count]] = (await redis.multi().incr(key).expire(key, 2).exec()) as [[Error | null, number]];
        return { allowed: count <= limitPerSecond, retryAfterSeconds: 1 };
      } catch {
        return { allowed: true, retryAfterSeconds: 0 };
      }
    },
    async close() {
      redis.disconnect();
    },
  };
}
