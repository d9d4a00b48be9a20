/**
 * EmailProvider for the SMS-Activate email API v2 shape (REST, `X-API-Key` header), which
 * compatibles copy: `GET /emails/domains?site=`, `POST /emails`, `GET|DELETE /emails/{id}`.
 * Errors come as HTTP 4xx with `{"title":"<CODE>","details":"…"}`.
 */

import { parseCostMicros } from '../../shared/micros.js';
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
import { arrayField, domainOffers, rawField, stringField } from './json-fields.js';

export interface SmsActivateEmailOptions {
  /** The v2 API root including its path, e.g. `https://api.sms-activate.ae/api/v2`. */
  baseUrl: string;
  /** The account's API key; sent as the `X-API-Key` header, never logged. */
  token: string;
  /** Per-call timeout. A purchase that times out is `unknown_outcome`. */
  timeoutMs: number;
}

// 401/404 titles are documented (MISSING_API_KEY, BAD_API_KEY, NOT_FOUND); the 422 titles are
// not, so this also knows the v1 email vocabulary and the usual SMS-Activate names.
const TITLE_KINDS: Readonly<Record<string, UpstreamFailureKind>> = {
  MISSING_API_KEY: 'bad_key',
  BAD_API_KEY: 'bad_key',
  BAD_KEY: 'bad_key',
  NOT_FOUND: 'not_found',
  NO_ACTIVATION: 'not_found',
  ACTIVATION_NOT_FOUND: 'not_found',
  BAD_BALANCE: 'no_balance',
  NO_BALANCE: 'no_balance',
  INSUFFICIENT_FUNDS: 'no_balance',
  OUT_OF_STOCK: 'no_numbers',
  NO_NUMBERS: 'no_numbers',
  NO_EMAILS: 'no_numbers',
  NO_DOMAINS: 'no_numbers',
  BAD_SITE: 'bad_request',
  BLOCKED_SITE: 'bad_request',
  BAD_DOMAIN: 'bad_request',
  MAIL_TYPE_ERROR: 'bad_request',
  CHANNELS_LIMIT: 'unavailable',
  TOO_MANY_REQUESTS: 'unavailable',
};

type Reply = { ok: true; body: unknown; raw: string } | { ok: false; kind: UpstreamFailureKind; raw: string };

export class SmsActivateEmailProvider implements EmailProvider {
  private readonly base: URL;

  constructor(private readonly options: SmsActivateEmailOptions) {
    this.base = new URL(options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`);
  }

  async buyEmail(request: EmailPurchaseRequest, signal?: AbortSignal): Promise<EmailPurchase> {
    const body = { site: request.site, mailDomain: request.domain };
    const reply = await this.call('POST', 'emails', body, 'purchase', signal);
    if (!reply.ok) throw new UpstreamError(orderless(reply.kind), reply.raw);
    const data = rawField(reply.body, 'data');
    const id = stringField(data, 'id');
    const email = stringField(data, 'email');
    // A 2xx means a mailbox may be paid for; without its id we cannot track it.
    if (!id || !email) throw new UpstreamError('unknown_outcome', reply.raw);
    const purchase: EmailPurchase = { upstreamOrderId: id, email };
    const costMicros = parseCostMicros(rawField(data, 'cost'));
    if (costMicros !== undefined) purchase.costMicros = costMicros;
    return purchase;
  }

  async getActivation(upstreamOrderId: string, signal?: AbortSignal): Promise<EmailActivationState> {
    const reply = await this.call(
      'GET',
      `emails/${encodeURIComponent(upstreamOrderId)}`,
      undefined,
      'read',
      signal,
    );
    if (!reply.ok) throw new UpstreamError(reply.kind, reply.raw);
    const data = rawField(reply.body, 'data');
    switch (stringField(data, 'status')) {
      case 'WAIT':
        return { state: 'waiting' };
      case 'CANCEL':
        return { state: 'cancelled' };
      case 'SUCCESS': {
        const value = stringField(data, 'value');
        const text = stringField(data, 'full_message') || value;
        if (!text) throw new UpstreamError('unavailable', reply.raw);
        return { state: 'received', messages: [toEmailMessage(upstreamOrderId, text, value)] };
      }
      default:
        throw new UpstreamError('unavailable', reply.raw);
    }
  }

  async cancel(upstreamOrderId: string, signal?: AbortSignal): Promise<boolean> {
    const reply = await this.call(
      'DELETE',
      `emails/${encodeURIComponent(upstreamOrderId)}`,
      undefined,
      'read',
      signal,
    );
    if (reply.ok) return true;
    if (reply.kind === 'bad_key' || reply.kind === 'not_found' || reply.kind === 'unavailable') {
      throw new UpstreamError(reply.kind, reply.raw);
    }
    // Any other refusal (typically: the letter already arrived) keeps the activation alive.
    return false;
  }

  async getDomains(site: string, signal?: AbortSignal): Promise<DomainOffer[]> {
    const reply = await this.call(
      'GET',
      `emails/domains?site=${encodeURIComponent(site)}`,
      undefined,
      'read',
      signal,
    );
    if (!reply.ok) throw new UpstreamError(orderless(reply.kind), reply.raw);
    const entries = arrayField(reply.body, 'data');
    if (!entries) throw new UpstreamError('unavailable', reply.raw);
    // Costs are in the account's currency (`currency` is an ISO 4217 number).
    return domainOffers(entries);
  }

  private async call(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    body: unknown,
    callKind: CallKind,
    signal: AbortSignal | undefined,
  ): Promise<Reply> {
    const response = await requestJson({
      url: new URL(path, this.base),
      method,
      body,
      kind: callKind,
      signal,
      headers: { 'x-api-key': this.options.token },
      timeoutMs: this.options.timeoutMs,
      secrets: [this.options.token],
      exactNumberKeys: ['id', 'cost'],
    });
    if (response.status >= 200 && response.status < 300)
      return { ok: true, body: response.body, raw: response.raw };
    const title = stringField(response.body, 'title')?.trim().toUpperCase();
    const kind = (title && TITLE_KINDS[title]) || kindForStatus(response.status);
    return { ok: false, kind, raw: response.raw || `HTTP ${response.status}` };
  }
}

function kindForStatus(status: number): UpstreamFailureKind {
  if (status === 401 || status === 403) return 'bad_key';
  if (status === 402) return 'no_balance';
  if (status === 404) return 'not_found';
  if (status === 400 || status === 409 || status === 422) return 'bad_request';
  return 'unavailable';
}

/** `not_found` speaks of an order; on a call without one, a 404 means a wrong URL, not a missing order. */
function orderless(kind: UpstreamFailureKind): UpstreamFailureKind {
  return kind === 'not_found' ? 'unavailable' : kind;
}
