/**
 * SmsProvider for upstreams speaking the SMS-Activate protocol (HeroSMS, SMSHub, Grizzly, Tiger, DaisySMS,
 * 5sim's compatible endpoint, …) — the SMS OTP and cheap-number lines buy through it.
 */

import { formatMicros, parseCostMicros } from '../../shared/micros.js';
import { clipRaw } from '../http.js';
import {
  type SmsActivationState,
  type SmsProvider,
  type SmsPurchase,
  type SmsPurchaseRequest,
  type UpstreamCatalogue,
  UpstreamError,
} from '../types.js';
import {
  isFinishReply,
  isNoActivations,
  looksLikePurchase,
  parseActiveActivations,
  parseBalanceReply,
  parseCancelReply,
  parseCountries,
  parseNumberReply,
  parsePrices,
  parseServicesList,
  parseStatusReply,
} from './activation-replies.js';
import { SMS_ACTIVATE_COUNTRIES } from './countries.js';
import { type ActionCall, handlerUrl, type SmsActivateConnection, sendAction } from './endpoint.js';
import { errorWordOf, looksLikeHtml, replyError } from './replies.js';

/** Constructor options: see SmsActivateConnection. */
export type SmsActivateProviderOptions = SmsActivateConnection & {
  /** Clock for message timestamps (tests). */
  now?: () => number;
};

/**
 * Activation client. Listing: `listActivations` uses getActiveActivations; when the upstream answers that
 * the action is unknown (BAD_ACTION and friends), the client remembers it and from then on throws
 * `UpstreamError('bad_request')` without calling, so callers fall back to `getActivation` per order.
 * `supportsListing()` tells callers in advance (probing once if not yet known).
 */
export class SmsActivateProvider implements SmsProvider {
  readonly #connection: SmsActivateConnection;
  readonly #endpoint: URL;
  readonly #now: () => number;
  /** undefined until the upstream has answered getActiveActivations once. */
  #listing: boolean | undefined;

  constructor(options: SmsActivateProviderOptions) {
    const { now, ...connection } = options;
    this.#connection = connection;
    this.#endpoint = handlerUrl(connection.baseUrl);
    this.#now = now ?? Date.now;
  }

  /** getNumber with optional maxPrice. Never retried; a lost reply is `unknown_outcome`. */
  async buyNumber(request: SmsPurchaseRequest, signal?: AbortSignal): Promise<SmsPurchase> {
    const reply = await this.#send(
      'getNumber',
      {
        service: request.service,
        country: request.country,
        maxPrice: request.maxCostMicros === undefined ? undefined : formatMicros(request.maxCostMicros),
      },
      { kind: 'purchase', signal },
    );
    const purchase = parseNumberReply(reply.body);
    if (purchase) {
      // DaisySMS states the charge in a header; others only in getNumberV2's JSON.
      const headerCost = reply.headers.get('x-price');
      const costMicros = purchase.costMicros ?? (headerCost ? parseCostMicros(headerCost) : undefined);
      return costMicros === undefined ? purchase : { ...purchase, costMicros };
    }
    const error = replyError(reply.body, this.#connection.apiKey, reply.status);
    if (error.kind === 'unavailable' && looksLikePurchase(reply.body) && !looksLikeHtml(reply.body)) {
      // It says it sold something but we cannot read what: the number may be ours.
      throw new UpstreamError('unknown_outcome', error.raw);
    }
    throw error;
  }

  /** getStatus. STATUS_OK and STATUS_WAIT_RETRY carry the code (split at the first colon only). */
  async getActivation(upstreamOrderId: string, signal?: AbortSignal): Promise<SmsActivationState> {
    const reply = await this.#send('getStatus', { id: upstreamOrderId }, { kind: 'read', signal });
    const state = parseStatusReply(reply.body, upstreamOrderId, this.#now());
    if (state) return state;
    throw replyError(reply.body, this.#connection.apiKey, reply.status);
  }

  /** getActiveActivations; see the class comment for upstreams that do not have it. */
  async listActivations(signal?: AbortSignal): Promise<Map<string, SmsActivationState & { phone: string }>> {
    if (this.#listing === false) {
      throw new UpstreamError('bad_request', 'getActiveActivations is not supported by this upstream');
    }
    const reply = await this.#send('getActiveActivations', {}, { kind: 'read', signal });
    const word = errorWordOf(reply.body);
    if (isNoActivations(reply.body, word)) {
      this.#listing = true;
      return new Map();
    }
    const list = parseActiveActivations(reply.body, this.#now());
    if (list) {
      this.#listing = true;
      return list;
    }
    if (isUnknownActionReply(word)) {
      this.#listing = false;
      throw new UpstreamError('bad_request', clipRaw(reply.body, [this.#connection.apiKey]));
    }
    throw replyError(reply.body, this.#connection.apiKey, reply.status);
  }

  /**
   * Whether listActivations works on this upstream. Probes with one getActiveActivations call the first
   * time; transport failures and other errors propagate (the answer is then still unknown).
   */
  async supportsListing(signal?: AbortSignal): Promise<boolean> {
    if (this.#listing !== undefined) return this.#listing;
    try {
      await this.listActivations(signal);
    } catch (error) {
      if (this.#listing === false) return false;
      throw error;
    }
    return true;
  }

  /** setStatus 8. True when cancelled (also when it already was); false when the upstream refused. */
  async cancel(upstreamOrderId: string, signal?: AbortSignal): Promise<boolean> {
    const reply = await this.#send(
      'setStatus',
      { id: upstreamOrderId, status: '8' },
      { kind: 'change', signal },
    );
    const cancelled = parseCancelReply(reply.body, errorWordOf(reply.body));
    if (cancelled !== undefined) return cancelled;
    throw replyError(reply.body, this.#connection.apiKey, reply.status);
  }

  /** setStatus 6. A repeated finish is not an error. */
  async finish(upstreamOrderId: string, signal?: AbortSignal): Promise<void> {
    const reply = await this.#send(
      'setStatus',
      { id: upstreamOrderId, status: '6' },
      { kind: 'change', signal },
    );
    if (isFinishReply(reply.body)) return;
    throw replyError(reply.body, this.#connection.apiKey, reply.status);
  }

  /** getPrices for every country and service, keyed `${country}/${service}`, costs in exact micros. */
  async getPrices(signal?: AbortSignal): Promise<Map<string, { costMicros: number; stock: number }>> {
    const reply = await this.#send('getPrices', {}, { kind: 'read', signal });
    const prices = parsePrices(reply.body);
    if (prices && errorWordOf(reply.body) === undefined) return prices;
    throw replyError(reply.body, this.#connection.apiKey, reply.status);
  }

  /**
   * getCountries and getServicesList: the upstream's names, for the catalogue import. An upstream
   * that does not know one of them (BAD_ACTION) is named from SMS-Activate's country table, and
   * its services by code (the import's own code table), instead of failing the import.
   */
  async getCatalogue(signal?: AbortSignal): Promise<UpstreamCatalogue> {
    const countriesReply = await this.#send('getCountries', {}, { kind: 'read', signal });
    let countries = parseCountries(countriesReply.body);
    const countriesWord = errorWordOf(countriesReply.body);
    if (isUnknownActionReply(countriesWord)) {
      countries = SMS_ACTIVATE_COUNTRIES.map(([id, name]) => ({ id: String(id), name }));
    } else if (!countries || countriesWord !== undefined) {
      throw replyError(countriesReply.body, this.#connection.apiKey, countriesReply.status);
    }
    const servicesReply = await this.#send('getServicesList', {}, { kind: 'read', signal });
    let services = parseServicesList(servicesReply.body);
    if (isUnknownActionReply(errorWordOf(servicesReply.body))) services = [];
    if (!services) throw replyError(servicesReply.body, this.#connection.apiKey, servicesReply.status);
    return { countries, services };
  }

  /** getBalance → micros of the upstream currency. */
  async getBalance(signal?: AbortSignal): Promise<number> {
    const reply = await this.#send('getBalance', {}, { kind: 'read', signal });
    const balance = parseBalanceReply(reply.body);
    if (balance !== undefined) return balance;
    throw replyError(reply.body, this.#connection.apiKey, reply.status);
  }

  #send(action: string, params: Record<string, string | undefined>, call: ActionCall) {
    return sendAction(this.#connection, this.#endpoint, action, params, call);
  }
}

/**
 * The upstream does not know the action (classic BAD_ACTION, Java SDK "WRONG ACTION"). HTTP 404 pages are
 * not taken as proof: a misrouted proxy would otherwise switch listing off for the life of the process.
 */
function isUnknownActionReply(word: string | undefined): boolean {
  return word === 'BAD_ACTION' || word === 'NO_ACTION' || word === 'WRONG_ACTION';
}
