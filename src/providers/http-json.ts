/**
 * JSON requests over the one upstream transport (./http.ts), for the adapters whose upstream speaks
 * JSON (the email upstreams). Transport failures, 5xx and redirects are classified by the
 * transport; this adds only: a 4xx with a JSON body is handed to the adapter (which knows the
 * upstream's error vocabulary), and a body that is not JSON (HTML, garbage, an empty error) is
 * `unavailable` with the body as raw.
 */
import { type CallKind, clipRaw, sendUpstream } from './http.js';
import { UpstreamError } from './types.js';

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
  /** The body text, clipped and redacted, for UpstreamError.raw. */
  raw: string;
}

/** Performs one request. Throws UpstreamError for every failure except a 4xx with a JSON body. */
export async function requestJson(request: JsonRequest): Promise<JsonResponse> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (request.body !== undefined) headers['content-type'] = 'application/json';
  const reply = await sendUpstream({
    url: request.url,
    method: request.method,
    headers,
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
    timeoutMs: request.timeoutMs,
    signal: request.signal,
    kind: request.kind,
    secrets: request.secrets,
  });
  const { status, body: text } = reply;
  const raw = clipRaw(text, request.secrets);
  if (text.trim() === '') {
    if (status >= 200 && status < 300) return { status, body: undefined, raw };
    throw new UpstreamError('unavailable', `HTTP ${status}`);
  }
  const body = parseJson(text, request.exactNumberKeys ?? []);
  if (body === undefined) throw new UpstreamError('unavailable', raw);
  return { status, body, raw };
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
