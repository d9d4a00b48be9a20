/**
 * A small JSON client over global fetch for the email upstream adapters. It owns the mapping
 * from transport failures to UpstreamError kinds, so every adapter fails the same way:
 *
 * - nothing was sent (connection refused, DNS, TLS, connect timeout) → `unavailable`;
 * - the request may have left (timeout, socket reset, caller abort) → `unknown_outcome` for a
 *   purchase, `unavailable` for a read;
 * - HTTP 5xx, HTML or any body that is not JSON → `unavailable` with the body as raw.
 *
 * 4xx answers with a JSON body are returned to the adapter, which knows the upstream's error
 * vocabulary. Raw texts are redacted of every secret, and no URL ever enters an error.
 */
import { UpstreamError } from '../types.js';

/** Whether a lost reply may hide a side effect (a purchase) or not (a read, a cancel). */
export type CallKind = 'purchase' | 'read';

export interface JsonRequest {
  url: URL;
  method?: 'GET' | 'POST' | 'DELETE';
  headers?: Record<string, string>;
  /** Sent as a JSON body. */
  body?: unknown;
  timeoutMs: number;
  signal?: AbortSignal;
  kind: CallKind;
  /** Values that must never appear in an error (API tokens). */
  secrets: readonly string[];
  /**
   * Keys whose JSON number values are handed back as their exact decimal text (money, ids),
   * because JSON.parse would turn them into floats.
   */
  exactNumberKeys?: readonly string[];
}

export interface JsonResponse {
  status: number;
  /** Parsed body; undefined for an empty body (e.g. 204). */
  body: unknown;
  /** The body text, trimmed and redacted, for UpstreamError.raw. */
  raw: string;
}

const RAW_LIMIT = 200;

// Error codes meaning the request never reached the upstream, so even a purchase did not happen.
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
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
]);

/** Perform one request. Throws UpstreamError for every failure except a 4xx with a JSON body. */
export async function requestJson(request: JsonRequest): Promise<JsonResponse> {
  const { secrets, kind } = request;
  if (request.signal?.aborted) throw new UpstreamError('unavailable', 'request aborted before sending');
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([timeout, request.signal]) : timeout;
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (request.body !== undefined) headers['content-type'] = 'application/json';

  let status: number;
  let text: string;
  try {
    const response = await fetch(request.url, {
      method: request.method ?? 'GET',
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      signal,
      redirect: 'error',
    });
    status = response.status;
    text = await response.text();
  } catch (error) {
    const aborted = request.signal?.aborted === true;
    throw transportError(error, kind, timeout.aborted, aborted, request.timeoutMs, secrets);
  }

  const raw = cleanRaw(text, secrets);
  if (status >= 500) throw new UpstreamError('unavailable', raw || `HTTP ${status}`);
  if (text.trim() === '') {
    if (status >= 200 && status < 300) return { status, body: undefined, raw };
    throw new UpstreamError('unavailable', `HTTP ${status}`);
  }
  const body = parseJson(text, request.exactNumberKeys ?? []);
  if (body === undefined) throw new UpstreamError('unavailable', raw);
  return { status, body, raw };
}

/** Replace every secret (plain and URL-encoded) in a text. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === '') continue;
    for (const form of new Set([secret, encodeURIComponent(secret)])) out = out.split(form).join('***');
  }
  return out;
}

/** Trim, collapse whitespace, redact and cut to the UpstreamError.raw limit. */
export function cleanRaw(text: string, secrets: readonly string[]): string {
  return redactSecrets(text.replace(/\s+/g, ' ').trim(), secrets).slice(0, RAW_LIMIT);
}

/**
 * JSON.parse that keeps the numbers under `exactKeys` as their decimal text. The rewrite only
 * touches `"key": <number>` pairs, which cannot occur inside a JSON string (quotes are escaped).
 */
function parseJson(text: string, exactKeys: readonly string[]): unknown {
  let source = text;
  if (exactKeys.length > 0) {
    const keys = exactKeys.map((key) => key.replace(/[^A-Za-z0-9_]/g, '')).join('|');
    const pattern = new RegExp(`"(${keys})"(\\s*):(\\s*)(-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)`, 'g');
    source = source.replace(pattern, '"$1"$2:$3"$4"');
  }
  try {
    return JSON.parse(source) as unknown;
  } catch {
    return undefined;
  }
}

function transportError(
  error: unknown,
  kind: CallKind,
  timedOut: boolean,
  callerAborted: boolean,
  timeoutMs: number,
  secrets: readonly string[],
): UpstreamError {
  const maybeSent: UpstreamError['kind'] = kind === 'purchase' ? 'unknown_outcome' : 'unavailable';
  if (timedOut) return new UpstreamError(maybeSent, `no reply within ${timeoutMs} ms`);
  // The caller's abort rejects fetch with the caller's own reason, so look at the signal instead.
  if (callerAborted) return new UpstreamError(maybeSent, 'request aborted');
  const code = findErrorCode(error);
  if (code !== undefined && NOT_SENT_CODES.has(code)) {
    return new UpstreamError('unavailable', `connection failed: ${code}`);
  }
  const detail = code ?? (error instanceof Error ? error.message : 'network error');
  return new UpstreamError(maybeSent, cleanRaw(`connection lost: ${detail}`, secrets));
}

/** undici wraps the socket error as `cause` (sometimes an AggregateError); find its code. */
function findErrorCode(error: unknown, depth = 0): string | undefined {
  if (depth > 5 || typeof error !== 'object' || error === null) return undefined;
  const candidate = error as { code?: unknown; cause?: unknown; errors?: unknown };
  if (typeof candidate.code === 'string' && candidate.code !== 'UND_ERR_ABORTED') return candidate.code;
  const fromCause = findErrorCode(candidate.cause, depth + 1);
  if (fromCause !== undefined) return fromCause;
  if (Array.isArray(candidate.errors)) {
    for (const inner of candidate.errors) {
      const code = findErrorCode(inner, depth + 1);
      if (code !== undefined) return code;
    }
  }
  return undefined;
}
