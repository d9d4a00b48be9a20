import { OtpgetError, OtpgetNetworkError, OtpgetRateLimitError } from './errors.js';

/** How to reach an otpget server. */
export interface ClientOptions {
  /** e.g. "https://otp.example.com" (no trailing path). */
  baseUrl: string;
  apiKey: string;
  /** Per-request timeout in ms (long-polls add their wait to it); default 30 s. */
  timeoutMs?: number;
  /** Retries of safe calls (reads, and purchases with an idempotency key); default 3. */
  retries?: number;
  /** A fetch implementation (tests, proxies); default the global fetch. */
  fetch?: typeof fetch;
}

/** Per-call options. */
export interface CallOptions {
  signal?: AbortSignal;
}

/** Options of a purchase: only with an idempotency key is it ever retried. */
export interface PurchaseOptions extends CallOptions {
  /**
   * 1–128 printable ASCII characters, unique per intended purchase. A retry with the same key
   * returns the first reply and charges nothing more; the SDK retries lost replies only then.
   */
  idempotencyKey?: string;
}

/** One raw reply: the body text and whether the server rate-limited the call. */
interface RawReply {
  text: string;
  retryAfterMs: number | null;
}

/** Sleeps `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Exponential backoff with jitter: 250 ms, 500 ms, 1 s, … capped at `capMs`. */
export function backoffMs(attempt: number, capMs = 5000): number {
  const base = Math.min(capMs, 250 * 2 ** attempt);
  return Math.round(base / 2 + Math.random() * (base / 2));
}

/** Sends API calls to one endpoint path; retries only what is safe to repeat. */
export class Transport {
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly retries: number;

  constructor(private readonly options: ClientOptions) {
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = options.retries ?? 3;
  }

  /**
   * Calls `action` on `path`. `safe` calls are retried after network failures, rate limits and
   * HTTP 5xx; others are sent exactly once, whatever happens.
   */
  async call(
    path: string,
    action: string,
    params: Record<string, string | number | undefined>,
    options: { signal?: AbortSignal; safe: boolean; idempotencyKey?: string; extraTimeoutMs?: number },
  ): Promise<RawReply> {
    const attempts = options.safe ? this.retries + 1 : 1;
    let lastError: unknown = null;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(backoffMs(attempt - 1), options.signal);
      try {
        const reply = await this.once(path, action, params, options);
        if (reply.retryAfterMs !== null) {
          // Refused before the action ran; only safe calls are tried again all the same.
          if (attempt + 1 >= attempts) throw new OtpgetRateLimitError(reply.retryAfterMs);
          await sleep(reply.retryAfterMs, options.signal);
          continue;
        }
        return reply;
      } catch (error) {
        if (options.signal?.aborted) throw options.signal.reason;
        if (!(error instanceof OtpgetNetworkError)) throw error;
        lastError = error;
      }
    }
    throw lastError instanceof OtpgetError ? lastError : new OtpgetNetworkError(String(lastError));
  }

  private async once(
    path: string,
    action: string,
    params: Record<string, string | number | undefined>,
    options: { signal?: AbortSignal; idempotencyKey?: string; extraTimeoutMs?: number },
  ): Promise<RawReply> {
    const query = new URLSearchParams({ api_key: this.options.apiKey, action });
    for (const [name, value] of Object.entries(params)) {
      if (value !== undefined) query.set(name, String(value));
    }
    const timeout = AbortSignal.timeout(this.timeoutMs + (options.extraTimeoutMs ?? 0));
    const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
    const headers: Record<string, string> = {};
    if (options.idempotencyKey !== undefined) headers['idempotency-key'] = options.idempotencyKey;
    let response: Response;
    try {
      response = await this.fetchImpl(`${this.options.baseUrl.replace(/\/+$/, '')}${path}?${query}`, {
        headers,
        signal,
      });
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw new OtpgetNetworkError(`${action}: ${(error as Error).message}`);
    }
    const text = await response.text().catch((error: unknown) => {
      throw new OtpgetNetworkError(`${action}: ${(error as Error).message}`);
    });
    if (response.status >= 500) throw new OtpgetNetworkError(`${action}: HTTP ${response.status}`);
    const retryAfter = response.headers.get('retry-after');
    return {
      text,
      retryAfterMs: retryAfter === null ? null : Math.max(0, Number(retryAfter) || 1) * 1000,
    };
  }
}
