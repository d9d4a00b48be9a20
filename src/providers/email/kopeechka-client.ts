/**
 * EmailProvider for kopeechka.store and its compatibles: `GET <base>/<method>?token=…&type=JSON&api=2.0`.
 * The upstream answers HTTP 200 for business errors, with `{"status":"ERROR","value":"<CODE>"}`.
 */

import type { CallKind } from '../http.js';
import { requestJson } from '../http-json.js';
import type {
  DomainOffer,
  EmailActivationState,
  EmailProvider,
  EmailPurchase,
  EmailPurchaseRequest,
  UpstreamFailureKind,
} from '../types.js';
import { UpstreamError } from '../types.js';
import { toEmailMessage } from './email-message.js';
import { arrayField, domainOffers, stringField } from './json-fields.js';

export interface KopeechkaOptions {
  /** API root, e.g. `https://api.kopeechka.store`. */
  baseUrl: string;
  /** The account's API token; sent as the `token` query parameter, never logged. */
  token: string;
  /** Per-call timeout. A purchase that times out is `unknown_outcome`. */
  timeoutMs: number;
}

// Error values from the upstream's knowledge base and client libraries. WAIT_LINK and
// ACTIVATION_CANCELED are states, handled where they can occur; unknown values are `unavailable`.
const ERROR_KINDS: Readonly<Record<string, UpstreamFailureKind>> = {
  BAD_TOKEN: 'bad_key',
  BAD_BALANCE: 'no_balance',
  OUT_OF_STOCK: 'no_numbers',
  BAD_SITE: 'bad_request',
  BAD_DOMAIN: 'bad_request',
  BAD_EMAIL: 'bad_request',
  BAD_COMMENT: 'bad_request',
  NO_ACTIVATION: 'not_found',
  ACTIVATION_NOT_FOUND: 'not_found',
  TIME_LIMIT_EXCEED: 'unavailable',
  SYSTEM_ERROR: 'unavailable',
};

type KopeechkaReply = { ok: true; body: unknown; raw: string } | { ok: false; value: string; raw: string };

export class KopeechkaEmailProvider implements EmailProvider {
  private readonly base: URL;

  constructor(private readonly options: KopeechkaOptions) {
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  }

  async buyEmail(request: EmailPurchaseRequest, signal?: AbortSignal): Promise<EmailPurchase> {
    const reply = await this.call(
      'mailbox-get-email',
      { site: request.site, mail_type: request.domain },
      'purchase',
      signal,
    );
    if (!reply.ok) throw errorFor(reply.value, reply.raw);
    const id = stringField(reply.body, 'id');
    const email = stringField(reply.body, 'mail');
    // "OK" means a mailbox may be paid for; without its id we cannot track it, so the outcome is unknown.
    if (!id || !email) throw new UpstreamError('unknown_outcome', reply.raw);
    return { upstreamOrderId: id, email };
  }

  async getActivation(upstreamOrderId: string, signal?: AbortSignal): Promise<EmailActivationState> {
    const reply = await this.call('mailbox-get-message', { id: upstreamOrderId, full: '1' }, 'read', signal);
    if (!reply.ok) {
      if (reply.value === 'WAIT_LINK') return { state: 'waiting' };
      if (reply.value === 'ACTIVATION_CANCELED') return { state: 'cancelled' };
      throw errorFor(reply.value, reply.raw);
    }
    const value = stringField(reply.body, 'value');
    const full = stringField(reply.body, 'fullmessage');
    const text = full || value;
    if (!text) throw new UpstreamError('unavailable', reply.raw);
    return { state: 'received', messages: [toEmailMessage(upstreamOrderId, text, value)] };
  }

  async cancel(upstreamOrderId: string, signal?: AbortSignal): Promise<boolean> {
    const reply = await this.call('mailbox-cancel', { id: upstreamOrderId }, 'read', signal);
    if (reply.ok) return true;
    // Already cancelled (by us earlier, or by the upstream's own 20-minute expiry): the money is back.
    if (reply.value === 'ACTIVATION_CANCELED') return true;
    const kind = ERROR_KINDS[reply.value];
    if (kind === 'bad_key' || kind === 'not_found' || kind === 'unavailable') {
      throw new UpstreamError(kind, reply.raw);
    }
    // Any other refusal (typically: a letter already arrived) keeps the activation alive.
    return false;
  }

  async getDomains(site: string, signal?: AbortSignal): Promise<DomainOffer[]> {
    const reply = await this.call('mailbox-zones', { popular: '1', site }, 'read', signal);
    if (!reply.ok) throw errorFor(reply.value, reply.raw);
    const popular = arrayField(reply.body, 'popular');
    if (!popular) throw new UpstreamError('unavailable', reply.raw);
    // `popular` lists the real mail providers with price and stock; `zones` (the upstream's own
    // throwaway domains) has no stock and is not offered.
    return domainOffers(popular);
  }

  private async call(
    method: string,
    params: Record<string, string>,
    kind: CallKind,
    signal: AbortSignal | undefined,
  ): Promise<KopeechkaReply> {
    const url = new URL(method, this.base);
    url.searchParams.set('token', this.options.token);
    url.searchParams.set('type', 'JSON');
    url.searchParams.set('api', '2.0');
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    const response = await requestJson({
      url,
      kind,
      signal,
      timeoutMs: this.options.timeoutMs,
      secrets: [this.options.token],
      exactNumberKeys: ['id', 'cost', 'balance'],
    });
    const status = stringField(response.body, 'status');
    if (status === 'OK' && response.status < 300) return { ok: true, body: response.body, raw: response.raw };
    const value = stringField(response.body, 'value');
    if (status === 'ERROR' && value) return { ok: false, value: normaliseValue(value), raw: response.raw };
    throw new UpstreamError('unavailable', response.raw || `HTTP ${response.status}`);
  }
}

/** Some compatibles spell values in words ("Activation not found"). */
function normaliseValue(value: string): string {
  return value.trim().toUpperCase().replace(/\s+/g, '_');
}

function errorFor(value: string, raw: string): UpstreamError {
  return new UpstreamError(ERROR_KINDS[value] ?? 'unavailable', raw);
}
