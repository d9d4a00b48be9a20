/**
 * Reading SMS-Activate-protocol replies liberally: plain-text tokens (`NO_NUMBERS`, `WRONG_MAX_PRICE:12.5`),
 * JSON error envelopes (`{"status":"error","message":…}`, HeroSMS `{"title":…}`, `{"error":…}`), BOMs,
 * stray whitespace and lower-case spellings. Every protocol error word we know is mapped in one table here.
 */
import { createHash } from 'node:crypto';
import { clipRaw } from '../http.js';
import { UpstreamError, type UpstreamFailureKind } from '../types.js';

/** Protocol error words → our failure kinds. Words not listed here are unknown replies (`unavailable`). */
const ERROR_KINDS: ReadonlyMap<string, UpstreamFailureKind> = new Map<string, UpstreamFailureKind>([
  ['NO_NUMBERS', 'no_numbers'],
  ['NO_NUMBER', 'no_numbers'],
  ['NUMBER_NOT_AVAILABLE', 'no_numbers'],
  ['NOT_AVAILABLE', 'no_numbers'],
  ['WHATSAPP_NOT_AVAILABLE', 'no_numbers'],
  ['NO_BALANCE', 'no_balance'],
  ['NO_MONEY', 'no_balance'],
  ['NO_BALANCE_FORWARD', 'no_balance'],
  ['BAD_KEY', 'bad_key'],
  ['NO_KEY', 'bad_key'],
  ['EMPTY_KEY', 'bad_key'],
  ['ACCOUNT_INACTIVE', 'bad_key'],
  ['BANNED', 'bad_key'],
  ['BAD_SERVICE', 'bad_request'],
  ['BAD_COUNTRY', 'bad_request'],
  ['BAD_ACTION', 'bad_request'],
  ['NO_ACTION', 'bad_request'],
  ['BAD_STATUS', 'bad_request'],
  ['BAD_OPERATOR', 'bad_request'],
  ['BAD_ID', 'bad_request'],
  ['BAD_NUMBER', 'bad_request'],
  ['INVALID_TIME', 'bad_request'],
  ['INCORECT_STATUS', 'bad_request'],
  ['INCORRECT_STATUS', 'bad_request'],
  ['RENT_DIE', 'bad_request'],
  ['ORDER_ALREADY_EXISTS', 'bad_request'],
  ['OPERATORS_NOT_FOUND', 'bad_request'],
  ['NO_ACTIVATION', 'not_found'],
  ['NO_ID_RENT', 'not_found'],
  ['INVALID_PHONE', 'not_found'],
  ['INVALID_ACTIVATION_ID', 'not_found'],
  ['WRONG_ACTIVATION_ID', 'not_found'],
  ['WRONG_MAX_PRICE', 'price_changed'],
  ['MAX_PRICE_EXCEEDED', 'price_changed'],
  ['ERROR_SQL', 'unavailable'],
  ['SQL_ERROR', 'unavailable'],
  ['SERVER_ERROR', 'unavailable'],
  ['NO_CONNECTION', 'unavailable'],
  ['CHANNELS_LIMIT', 'unavailable'],
  ['TOO_MANY_ACTIVE_RENTALS', 'unavailable'],
]);

/** Kind for a protocol error word (`WRONG_*` words not listed are parameter errors). */
export function errorKindFor(word: string): UpstreamFailureKind | undefined {
  const upper = word.trim().toUpperCase().replace(/\s+/g, '_');
  const known = ERROR_KINDS.get(upper);
  if (known) return known;
  if (upper.startsWith('WRONG_')) return 'bad_request';
  return undefined;
}

/** Strips a BOM and surrounding whitespace. */
export function normalizeBody(body: string): string {
  return body.replace(/^\uFEFF/, '').trim();
}

/** Parses JSON, or undefined when the body is not JSON (an object or array). */
export function parseJson(body: string): unknown {
  const text = normalizeBody(body);
  if (!(text.startsWith('{') || text.startsWith('['))) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Narrowing helper for JSON objects. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A JSON scalar as a string (`"1"`, `1` and `true` all become text); undefined for null/objects. */
export function scalarText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return undefined;
}

/** Values of a JSON array, or of an object used as an array (`{"0":…,"1":…}`), in key order. */
export function listValues(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (isRecord(value)) return Object.values(value);
  return [];
}

/**
 * The protocol error word a reply carries, if any: the first `:`-separated token of a plain-text reply
 * (`WRONG_MAX_PRICE:12.5` → `WRONG_MAX_PRICE`), or the `title` / `error` / `message` of a JSON envelope
 * (a word we know, else an upper-case token such as `OTP_RECEIVED`).
 */
export function errorWordOf(body: string): string | undefined {
  const json = parseJson(body);
  if (json !== undefined) {
    if (!isRecord(json)) return undefined;
    const candidates = ['title', 'error', 'message', 'msg']
      .map((key) => scalarText(json[key])?.split(':')[0]?.trim())
      .filter((word): word is string => word !== undefined && word !== '');
    // A known word wins ("message" may be prose next to an "error" word); else an upper-case token.
    return (
      candidates.find((word) => errorKindFor(word) !== undefined)?.toUpperCase() ??
      candidates.find((word) => /^[A-Z][A-Z0-9_]*$/.test(word))
    );
  }
  const text = normalizeBody(body);
  const word = text.split(':')[0] ?? '';
  return /^[A-Za-z_ ]+$/.test(word) ? word.trim().toUpperCase().replace(/\s+/g, '_') : undefined;
}

/** True when a body is an HTML page (proxy error, captcha, maintenance) rather than a protocol reply. */
export function looksLikeHtml(body: string): boolean {
  return /^<(?:!doctype|html|head|body|\?xml|[a-z]+[\s>])/i.test(normalizeBody(body));
}

/**
 * The UpstreamError for a reply that is not the success the caller expected: a known protocol error word
 * maps to its kind, anything else (HTML, garbage, unknown words) is `unavailable`.
 */
export function replyError(body: string, apiKey: string, httpStatus = 200): UpstreamError {
  const raw = clipRaw(body, [apiKey]);
  const word = errorWordOf(body);
  const kind = word === undefined ? undefined : errorKindFor(word);
  if (kind) return new UpstreamError(kind, raw);
  if (httpStatus === 401 || httpStatus === 403) return new UpstreamError('bad_key', raw);
  return new UpstreamError('unavailable', raw);
}

/** Short stable hash for message ids. */
export function shortHash(...parts: string[]): string {
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 16);
}
