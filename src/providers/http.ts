/**
 * The one HTTP transport every upstream adapter sends through (SMS-Activate activations and rent,
 * kopeechka, SMS-Activate email). It owns the timeout, the answer to "was the request sent", the
 * response size limit and the redaction of secrets, so the same network failure means the same
 * thing on every product line.
 *
 * **Was it sent?** Decided by the phase the call failed in, not by a list of error codes:
 * - The request's bytes are written only once the connection is established (TCP connect, plus the
 *   TLS handshake for https). A failure before that point — refused, DNS (ENOTFOUND, EAI_AGAIN),
 *   unreachable, a TLS certificate error, our timeout or the caller's abort firing while still
 *   connecting, an invalid URL — is **definitely not sent**: `unavailable`, even for a purchase,
 *   so the caller may refund at once.
 * - From the moment the connection is established the request may have left, and the upstream may
 *   have executed it even if we never see a byte back. A timeout, reset, caller abort or malformed
 *   reply from then on is `unknown_outcome` for a call with a side effect (purchase or change) and
 *   `unavailable` for a read (reads may simply be repeated).
 * - A call with a side effect always opens a connection of its own. A reused keep-alive connection
 *   counts as established from the start, and one the server closed while idle fails the same way
 *   as one reset mid-request; a fresh connection keeps "not sent" provable where it matters.
 *
 * **Replies.** Any status below 300 and 4xx are returned for the adapter's protocol layer. 5xx is
 * `unavailable` (the upstream said it failed) except 504 on a call with a side effect, which is
 * `unknown_outcome` (a gateway gave up waiting for an origin that may still have executed it).
 * Redirects are never followed (the key would travel to another address, and a redirected purchase
 * could run twice); since a server may redirect after doing the work (a 303 after a POST), a 3xx,
 * like a body over MAX_RESPONSE_BYTES (the upstream answered, we cannot know what), is
 * `unknown_outcome` for a side effect and `unavailable` for a read.
 *
 * **Never retried.** This module sends each call exactly once; whether to try again is the
 * caller's decision, and a purchase is never repeated (a lost reply may have bought something).
 *
 * **Secrets** (API keys in a query string or header) never enter an error: every text leaving this
 * module goes through clipRaw, and no URL is ever put in a message.
 */
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import { UpstreamError } from './types.js';

/**
 * What a call does upstream. `purchase` (buys: getNumber, getRentNumber, mailbox-get-email, …) and
 * `change` (setStatus, setRentStatus) may take effect even when the reply is lost; `read` never
 * does. The email adapters send their cancel as a read: a lost cancel is simply asked again, and a
 * repeated cancel answers "already cancelled".
 */
export type CallKind = 'purchase' | 'change' | 'read';

export interface UpstreamRequest {
  url: URL;
  method?: 'GET' | 'POST' | 'DELETE';
  headers?: Record<string, string>;
  body?: string;
  /** Budget for the whole call: connecting, sending and reading the reply. */
  timeoutMs: number;
  /** The caller's own cancellation (request shutdown, worker stop). */
  signal?: AbortSignal;
  kind: CallKind;
  /** Values that must never appear in an error (API keys and tokens), plain or URL-encoded. */
  secrets: readonly string[];
}

/** A reply below 300 or a 4xx; its body is decoded as UTF-8 (a BOM is dropped). */
export interface UpstreamReply {
  status: number;
  body: string;
  headers: Headers;
}

/** Largest reply body read (a full price list is a few MB); anything bigger is not a protocol reply. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

const RAW_LIMIT = 200;

/** Sends one request, once. Throws UpstreamError as described in the module comment. */
export async function sendUpstream(request: UpstreamRequest): Promise<UpstreamReply> {
  if (request.signal?.aborted) throw new UpstreamError('unavailable', 'request cancelled before sending');
  const hasEffect = request.kind !== 'read';
  const maybeSent = hasEffect ? 'unknown_outcome' : 'unavailable';
  const reply = await exchange(request).catch((failure: unknown) => {
    throw toUpstreamError(failure, maybeSent, request);
  });
  const { status } = reply;
  if (status >= 500) {
    const raw = clipRaw(reply.body, request.secrets);
    throw new UpstreamError(
      status === 504 && hasEffect ? 'unknown_outcome' : 'unavailable',
      raw || `HTTP ${status}`,
    );
  }
  if (status >= 300 && status < 400) {
    // Not followed; and a 303 after a POST is how some servers say "done, see there".
    throw new UpstreamError(
      maybeSent,
      `HTTP ${status} redirect, not followed: check the upstream's base URL`,
    );
  }
  return reply;
}

/**
 * Replaces every secret in a text with `***`: as written, percent-encoded, and as a query string
 * encodes it (URLSearchParams writes a space as `+` and also encodes `!'()~`).
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret === '') continue;
    const inQuery = new URLSearchParams({ s: secret }).toString().slice(2);
    for (const form of new Set([secret, encodeURIComponent(secret), inQuery]))
      out = out.split(form).join('***');
  }
  return out;
}

/**
 * An upstream text made safe for UpstreamError.raw: BOM dropped, whitespace and control characters
 * collapsed to single spaces (a line break would corrupt a one-line `ERROR_PROVIDER_n:raw`
 * answer), secrets redacted, then cut to 200 characters (after redaction, so no key is half-cut).
 */
export function clipRaw(text: string, secrets: readonly string[]): string {
  const oneLine = text.replace(/^\uFEFF/, '').replace(/[\s\p{Cc}]+/gu, ' ');
  return redactSecrets(oneLine, secrets).trim().slice(0, RAW_LIMIT);
}

/** Why `exchange` failed, and whether the connection had been established by then. */
class CallFailure {
  constructor(
    readonly reason: 'timeout' | 'aborted' | 'error' | 'too_large',
    readonly connected: boolean,
    readonly error?: unknown,
  ) {}
}

function exchange(request: UpstreamRequest): Promise<UpstreamReply> {
  return new Promise<UpstreamReply>((resolve, reject) => {
    let connected = false;
    let finished = false;
    let outgoing: http.ClientRequest | undefined;
    // When the timer or the caller's abort fires, I/O that completed meanwhile (a busy event loop
    // runs due timers before it polls) is let through first: a connection the kernel already
    // established has its request written then, and counts as established.
    const stopSoon = (reason: 'timeout' | 'aborted') => setImmediate(() => fail(reason));
    const onAbort = () => stopSoon('aborted');
    const timer = setTimeout(() => stopSoon('timeout'), request.timeoutMs);
    request.signal?.addEventListener('abort', onAbort, { once: true });
    function finish(): boolean {
      if (finished) return false;
      finished = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      return true;
    }
    function fail(reason: CallFailure['reason'], error?: unknown): void {
      if (!finish()) return;
      outgoing?.destroy();
      reject(new CallFailure(reason, connected, error));
    }

    try {
      outgoing = openRequest(request);
    } catch (error) {
      fail('error', error); // refused locally (unsupported protocol, bad header value): nothing was sent
      return;
    }
    const sending = outgoing;
    sending.on('socket', (socket: Socket) => {
      // A reused keep-alive socket is connected (and past any TLS handshake: it carried a request
      // before). A fresh one is still looking up or connecting: it counts from its connect event.
      if (sending.reusedSocket) connected = true;
      else socket.once(socket instanceof TLSSocket ? 'secureConnect' : 'connect', () => (connected = true));
    });
    sending.on('error', (error) => fail('error', error));
    sending.on('response', (response) => {
      connected = true;
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_RESPONSE_BYTES) fail('too_large');
        else chunks.push(chunk);
      });
      response.on('error', (error) => fail('error', error));
      response.on('aborted', () => fail('error', new Error('reply cut off')));
      response.on('end', () => {
        if (!finish()) return;
        resolve({
          status: response.statusCode ?? 0,
          body: new TextDecoder().decode(Buffer.concat(chunks)),
          headers: toHeaders(response.headers),
        });
      });
    });
    sending.end(request.body);
  });
}

function openRequest(request: UpstreamRequest): http.ClientRequest {
  const { protocol } = request.url;
  if (protocol !== 'http:' && protocol !== 'https:') throw new Error(`unsupported protocol ${protocol}`);
  const headers: Record<string, string> = { ...request.headers };
  if (request.body !== undefined) headers['content-length'] = String(Buffer.byteLength(request.body));
  return (protocol === 'https:' ? https : http).request(request.url, {
    method: request.method ?? 'GET',
    headers,
    // A call with a side effect gets a connection of its own (see the module comment), closed after.
    ...(request.kind === 'read' ? {} : { agent: false }),
  });
}

function toHeaders(source: http.IncomingHttpHeaders): Headers {
  const headers = new Headers();
  for (const [name, value] of Object.entries(source)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) headers.append(name, one);
  }
  return headers;
}

function toUpstreamError(
  failure: unknown,
  maybeSent: 'unknown_outcome' | 'unavailable',
  request: UpstreamRequest,
): UpstreamError {
  if (!(failure instanceof CallFailure)) return new UpstreamError(maybeSent, 'transport error');
  const { reason, connected } = failure;
  const kind = connected ? maybeSent : 'unavailable';
  switch (reason) {
    case 'timeout':
      return new UpstreamError(
        kind,
        connected
          ? `no reply within ${request.timeoutMs} ms`
          : `connect timeout after ${request.timeoutMs} ms`,
      );
    case 'aborted':
      return new UpstreamError(kind, connected ? 'request aborted' : 'request cancelled before sending');
    case 'too_large':
      return new UpstreamError(maybeSent, `reply larger than ${MAX_RESPONSE_BYTES} bytes`);
    case 'error': {
      const detail = errorCodes(failure.error)[0] ?? messageOf(failure.error);
      const text = connected ? `connection lost: ${detail}` : `connection failed: ${detail}`;
      return new UpstreamError(kind, clipRaw(text, request.secrets));
    }
  }
}

/** Every `code` along the error's cause chain (socket errors may come wrapped, or as an AggregateError). */
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

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : 'network error';
}
