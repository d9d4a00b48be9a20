import { performance } from 'node:perf_hooks';
import type { Executor } from '../db/database.js';
import { findAccountByKeyHash } from './accounts.repository.js';
import { hashApiKey } from './api-keys.js';

export interface Caller {
  accountId: number;
  status: 'active' | 'blocked';
}

export interface Authenticator {
  /** The caller behind an API key, or null for a missing, unknown or revoked key. */
  authenticate(apiKey: string | undefined): Promise<Caller | null>;
  /** Drops cached answers, e.g. right after this process blocked an account or rotated a key. */
  forget(): void;
}

/**
 * The key check sits on every request, so answers are cached in memory for `ttlMs` (default
 * one second). A block or key rotation made by another process therefore takes effect within
 * that time; one made by this process takes effect at once through `forget()`.
 * Unknown keys are cached too, so guessing keys cannot turn into a database load.
 */
export function createAuthenticator(
  db: Executor,
  options: { ttlMs?: number; maxEntries?: number } = {},
): Authenticator {
  const ttlMs = options.ttlMs ?? 1000;
  const maxEntries = options.maxEntries ?? 100_000;
  const cache = new Map<string, { caller: Caller | null; expiresAt: number }>();
  // Concurrent requests with the same uncached key share one query.
  const inFlight = new Map<string, Promise<Caller | null>>();

  async function lookup(hash: string): Promise<Caller | null> {
    const caller = await findAccountByKeyHash(db, hash);
    if (cache.size >= maxEntries) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(hash, { caller, expiresAt: performance.now() + ttlMs });
    return caller;
  }

  return {
    async authenticate(apiKey) {
      if (!apiKey || apiKey.length > 200) return null;
      const hash = hashApiKey(apiKey);
      const cached = cache.get(hash);
      if (cached && cached.expiresAt > performance.now()) return cached.caller;
      let pending = inFlight.get(hash);
      if (!pending) {
        pending = lookup(hash).finally(() => inFlight.delete(hash));
        inFlight.set(hash, pending);
      }
      return pending;
    },
    forget() {
      cache.clear();
    },
  };
}
