/**
 * The one HTTP call every SMS-Activate-protocol request makes: a GET on Node's global fetch with a per-call
 * timeout, turning transport failures into UpstreamError kinds. Whether a failure may have taken effect
 * upstream depends on when it happened, so the caller says whether the call buys or changes something.
 */
import { UpstreamError } from '../types.js';
import { clipRaw, redact } from './replies.js';

/** How one call is made. */
export interface UpstreamGetOptions {
  timeoutMs: number;
  /** The caller's own cancellation (request shutdown, worker stop). */
  signal?: AbortSignal;
  /**
   * True for calls that buy or change something (getNumber, setStatus, getRentNumber, …): a failure after the
   * request left is then `unknown_outcome`, because the upstream may have executed it. Read-only calls get
   * `unavailable` instead, which callers may simply retry.
   */
  mutating: boolean;
  /** Secret to keep out of every message (the API key travels in the query string). */
  secret: string;
}

/** A reply that reached us with a non-5xx status; the protocol layer decides what its body means. */
export interface UpstreamReply {
  status: number;
  body: string;
  headers: Headers;
}

/**
 * Error codes that prove nothing was sent: the connection was never established (refused, DNS, routing,
 * TLS handshake) or the URL was rejected locally.
 */
const NOT_SENT_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_NONAME',
  'EAI_FAIL',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_INVALID_ARG',
  'ERR_INVALID_URL',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
]);

/**
 * GETs `url` and returns the reply for any status below 500. Throws UpstreamError:
 * - `unavailable` when nothing was sent (refused, DNS, caller already aborted), on HTTP 5xx (raw = body),
 *   and on timeouts/resets of read-only calls;
 * - `unknown_outcome` on timeouts/resets of mutating calls, and on HTTP 504 for them (the gateway gave up
 *   waiting for an origin that may still have executed the purchase).
 * The URL (which holds the API key) never appears in a thrown message.
 */
export async function upstreamGet(url: URL, options: UpstreamGetOptions): Promise<UpstreamReply> {
  const { timeoutMs, signal, mutating, secret } = options;
  if (signal?.aborted) throw new UpstreamError('unavailable', 'request cancelled before sending');
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([timeout, signal]) : timeout;
  let response: Response;
  let body: string;
  try {
    response = await fetch(url, {
      method: 'GET',
      headers: { accept: 'text/plain, application/json;q=0.9, */*;q=0.1' },
      signal: combined,
    });
    body = await response.text();
  } catch (error) {
    throw transportError(error, { mutating, secret, timedOut: timeout.aborted, timeoutMs });
  }
  if (response.status >= 500) {
    const kind = mutating && response.status === 504 ? 'unknown_outcome' : 'unavailable';
    const raw = clipRaw(body, secret);
    throw new UpstreamError(kind, raw === '' ? `HTTP ${response.status}` : raw);
  }
  return { status: response.status, body, headers: response.headers };
}

function transportError(
  error: unknown,
  context: { mutating: boolean; secret: string; timedOut: boolean; timeoutMs: number },
): UpstreamError {
  const afterSending = context.mutating ? 'unknown_outcome' : 'unavailable';
  if (context.timedOut) return new UpstreamError(afterSending, `timeout after ${context.timeoutMs} ms`);
  const codes = errorCodes(error);
  const description = redact(describe(error, codes), context.secret).slice(0, 200);
  if (codes.some((code) => NOT_SENT_CODES.has(code))) return new UpstreamError('unavailable', description);
  // Resets, "other side closed", caller aborts mid-flight: the request may already have been executed.
  return new UpstreamError(afterSending, description);
}

/** Every `code` along the error's cause chain (fetch wraps the socket error as `cause`). */
function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  const queue: unknown[] = [error];
  while (queue.length > 0) {
    const current = queue.shift();
    if (typeof current !== 'object' || current === null || seen.has(current)) continue;
    seen.add(current);
    const { code, cause, errors } = current as { code?: unknown; cause?: unknown; errors?: unknown };
    if (typeof code === 'string') codes.push(code);
    queue.push(cause);
    if (Array.isArray(errors)) queue.push(...errors);
  }
  return codes;
}

function describe(error: unknown, codes: string[]): string {
  if (codes.length > 0) return `network error ${codes.join('/')}`;
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.name}: ${error.message}${cause}`;
  }
  return 'network error';
}
