/** What a request is waiting for: a long-poll (`wait=N`) or the first request of its idempotency key. */
export type WaitKind = 'long_poll' | 'idempotency';

/**
 * Per-account counts of requests that are holding a connection open while they wait, in this
 * process. A cap keeps one account from tying up the server's sockets and timers; a request over
 * the cap does not wait but answers at once with what it would have answered at its deadline.
 */
export interface WaitSlots {
  /** Takes a slot; the returned function gives it back (once). null when the account holds `limit` already. */
  take(kind: WaitKind, accountId: number, limit: number): (() => void) | null;
  /** How many slots of a kind the account holds now. */
  held(kind: WaitKind, accountId: number): number;
}

export function createWaitSlots(): WaitSlots {
  const counts = new Map<string, number>();
  return {
    take(kind, accountId, limit) {
      const key = `${kind}:${accountId}`;
      const now = counts.get(key) ?? 0;
      if (now >= limit) return null;
      counts.set(key, now + 1);
      let given = false;
      return () => {
        if (given) return;
        given = true;
        const left = (counts.get(key) ?? 1) - 1;
        if (left <= 0) counts.delete(key);
        else counts.set(key, left);
      };
    },
    held(kind, accountId) {
      return counts.get(`${kind}:${accountId}`) ?? 0;
    },
  };
}
