/**
 * Connection settings shared by the activation and rent clients, and the one function that sends an
 * action to `/stubs/handler_api.php`.
 */
import { type CallKind, sendUpstream, type UpstreamReply } from '../http.js';
import { normalizeBody } from './replies.js';

/** Settings for one SMS-Activate-protocol upstream account. */
export interface SmsActivateConnection {
  /**
   * The upstream's base URL (`https://hero-sms.com`) or its full handler URL
   * (`https://api.example.com/stubs/handler_api.php`); a URL whose path does not end in `.php` gets
   * `/stubs/handler_api.php` appended.
   */
  baseUrl: string;
  /** Sent as `api_key`; never logged or put in an error message. */
  apiKey: string;
  /** Timeout for read-only and status-changing calls, in ms. */
  timeoutMs: number;
  /** Timeout for calls that buy (getNumber, getRentNumber, continueRentNumber); defaults to `timeoutMs`. */
  purchaseTimeoutMs?: number;
}

/** How one action is sent. */
export interface ActionCall {
  /** What the action does upstream; a `purchase` also gets `purchaseTimeoutMs`. */
  kind: CallKind;
  signal?: AbortSignal;
}

/** Resolves the handler URL once, validating the base URL early (at construction, not at the first call). */
export function handlerUrl(baseUrl: string): URL {
  const url = new URL(baseUrl);
  if (!/\.php$/i.test(url.pathname)) {
    url.pathname = `${url.pathname.replace(/\/+$/, '')}/stubs/handler_api.php`;
  }
  return url;
}

/** Sends `action` with `params`; returns the reply with its body stripped of BOM and whitespace. */
export async function sendAction(
  connection: SmsActivateConnection,
  endpoint: URL,
  action: string,
  params: Record<string, string | undefined>,
  call: ActionCall,
): Promise<UpstreamReply> {
  const url = new URL(endpoint);
  url.searchParams.set('api_key', connection.apiKey);
  url.searchParams.set('action', action);
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined) url.searchParams.set(name, value);
  }
  const timeoutMs =
    call.kind === 'purchase' ? (connection.purchaseTimeoutMs ?? connection.timeoutMs) : connection.timeoutMs;
  const reply = await sendUpstream({
    url,
    headers: { accept: 'text/plain, application/json;q=0.9, */*;q=0.1' },
    timeoutMs,
    signal: call.signal,
    kind: call.kind,
    secrets: [connection.apiKey],
  });
  return { ...reply, body: normalizeBody(reply.body) };
}
