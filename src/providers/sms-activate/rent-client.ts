/**
 * RentalProvider for upstreams speaking the SMS-Activate rent actions (getRentNumber, getRentStatus,
 * continueRentNumber, setRentStatus, getRentServicesAndCountries) — the rental line rents through it.
 */
import { clipRaw } from '../http.js';
import {
  type RentalProvider,
  type RentalPurchase,
  type RentalPurchaseRequest,
  UpstreamError,
  type UpstreamMessage,
} from '../types.js';
import { looksLikePurchase } from './activation-replies.js';
import { MOSCOW_UTC_OFFSET_MINUTES } from './dates.js';
import { handlerUrl, type SmsActivateConnection, sendAction } from './endpoint.js';
import {
  parseRentCancelReply,
  parseRentCountries,
  parseRentMessages,
  parseRentOffers,
  parseRentPhone,
} from './rent-replies.js';
import { looksLikeHtml, replyError } from './replies.js';

/** Constructor options: the connection plus rent-specific settings. */
export type SmsActivateRentProviderOptions = SmsActivateConnection & {
  /** Service rented when the request names none; "full" (every sender) on SMS-Activate. */
  defaultService?: string;
  /**
   * UTC offset of dates the upstream sends without one (endDate, SMS dates), in minutes.
   * Default 180: Moscow time (see dates.ts). Dates with `Z` or an offset are read as written.
   */
  naiveUtcOffsetMinutes?: number;
  /** Rent duration asked about by getAvailability, in hours (prices and stock depend on it). Default 4. */
  availabilityHours?: number;
  /** Clock for messages without a date and for expiry fallbacks (tests). */
  now?: () => number;
};

export class SmsActivateRentProvider implements RentalProvider {
  readonly #connection: SmsActivateConnection;
  readonly #endpoint: URL;
  readonly #defaultService: string;
  readonly #offsetMinutes: number;
  readonly #availabilityHours: number;
  readonly #now: () => number;

  constructor(options: SmsActivateRentProviderOptions) {
    const { defaultService, naiveUtcOffsetMinutes, availabilityHours, now, ...connection } = options;
    this.#connection = connection;
    this.#endpoint = handlerUrl(connection.baseUrl);
    this.#defaultService = defaultService ?? 'full';
    this.#offsetMinutes = naiveUtcOffsetMinutes ?? MOSCOW_UTC_OFFSET_MINUTES;
    this.#availabilityHours = availabilityHours ?? 4;
    this.#now = now ?? Date.now;
  }

  /**
   * getRentNumber. The duration goes out as both `time` and `rent_time`, the two spellings clones use.
   * Never retried; a lost reply is `unknown_outcome`. When the upstream sends no readable endDate the
   * expiry is estimated as now + hours.
   */
  async rentNumber(request: RentalPurchaseRequest, signal?: AbortSignal): Promise<RentalPurchase> {
    const hours = String(request.hours);
    const reply = await sendAction(
      this.#connection,
      this.#endpoint,
      'getRentNumber',
      {
        service: request.service ?? this.#defaultService,
        country: request.country,
        time: hours,
        rent_time: hours,
      },
      { kind: 'purchase', signal },
    );
    const rent = parseRentPhone(reply.body, this.#offsetMinutes);
    if (rent?.id && rent.phone) {
      return {
        upstreamOrderId: rent.id,
        phone: rent.phone,
        expiresAt: rent.expiresAt ?? this.#now() + request.hours * 3_600_000,
        ...(rent.costMicros === undefined ? {} : { costMicros: rent.costMicros }),
      };
    }
    throw this.#purchaseError(reply.body, reply.status);
  }

  /** getRentStatus → every message so far, oldest first; an empty inbox (STATUS_WAIT_CODE, …) is []. */
  async getMessages(upstreamOrderId: string, signal?: AbortSignal): Promise<UpstreamMessage[]> {
    const reply = await sendAction(
      this.#connection,
      this.#endpoint,
      'getRentStatus',
      { id: upstreamOrderId },
      { kind: 'read', signal },
    );
    const messages = parseRentMessages(reply.body, upstreamOrderId, this.#offsetMinutes, this.#now());
    if (messages) return messages;
    throw replyError(reply.body, this.#connection.apiKey, reply.status);
  }

  /**
   * continueRentNumber by `hours` (sent as `rent_time` and `time`). Never retried. A success without a
   * readable new endDate is `unknown_outcome`: the extension was probably charged but its end is unknown.
   */
  async extend(upstreamOrderId: string, hours: number, signal?: AbortSignal): Promise<{ expiresAt: number }> {
    const reply = await sendAction(
      this.#connection,
      this.#endpoint,
      'continueRentNumber',
      { id: upstreamOrderId, rent_time: String(hours), time: String(hours) },
      { kind: 'purchase', signal },
    );
    const rent = parseRentPhone(reply.body, this.#offsetMinutes);
    if (rent?.expiresAt !== undefined) return { expiresAt: rent.expiresAt };
    if (rent) throw new UpstreamError('unknown_outcome', clipRaw(reply.body, [this.#connection.apiKey]));
    throw this.#purchaseError(reply.body, reply.status);
  }

  /** setRentStatus 2. True when cancelled (also when it already was); false when refused (CANT_CANCEL, …). */
  async cancel(upstreamOrderId: string, signal?: AbortSignal): Promise<boolean> {
    const reply = await sendAction(
      this.#connection,
      this.#endpoint,
      'setRentStatus',
      { id: upstreamOrderId, status: '2' },
      { kind: 'change', signal },
    );
    const cancelled = parseRentCancelReply(reply.body);
    if (cancelled !== undefined) return cancelled;
    throw replyError(reply.body, this.#connection.apiKey, reply.status);
  }

  /** Stock of the default service in a country (the largest service stock when it is not offered). */
  async getAvailability(country: string, signal?: AbortSignal): Promise<number> {
    const offers = await this.getRentOffers(country, this.#availabilityHours, signal);
    const preferred = offers.get(this.#defaultService);
    if (preferred) return preferred.stock;
    return Math.max(0, ...[...offers.values()].map((offer) => offer.stock));
  }

  /** getRentServicesAndCountries without a country: the ids of the countries that rent numbers. */
  async listCountries(signal?: AbortSignal): Promise<string[]> {
    const hours = String(this.#availabilityHours);
    const reply = await sendAction(
      this.#connection,
      this.#endpoint,
      'getRentServicesAndCountries',
      { rent_time: hours, time: hours },
      { kind: 'read', signal },
    );
    const countries = parseRentCountries(reply.body);
    if (countries) return countries;
    throw replyError(reply.body, this.#connection.apiKey, reply.status);
  }

  /** Cost and stock of the service `request` would rent (the default one when it names none). */
  async quote(
    request: RentalPurchaseRequest,
    signal?: AbortSignal,
  ): Promise<{ costMicros: number; stock: number } | null> {
    const offers = await this.getRentOffers(request.country, request.hours, signal);
    return offers.get(request.service ?? this.#defaultService) ?? null;
  }

  /** getRentServicesAndCountries: service → cost (micros, for `hours`) and stock, in one country. */
  async getRentOffers(
    country: string,
    hours: number,
    signal?: AbortSignal,
  ): Promise<Map<string, { costMicros: number; stock: number }>> {
    const reply = await sendAction(
      this.#connection,
      this.#endpoint,
      'getRentServicesAndCountries',
      { country, rent_time: String(hours), time: String(hours) },
      { kind: 'read', signal },
    );
    const offers = parseRentOffers(reply.body);
    if (offers) return offers;
    throw replyError(reply.body, this.#connection.apiKey, reply.status);
  }

  #purchaseError(body: string, status: number): UpstreamError {
    const error = replyError(body, this.#connection.apiKey, status);
    if (
      error.kind === 'unavailable' &&
      !looksLikeHtml(body) &&
      (looksLikePurchase(body) || /success/i.test(body))
    ) {
      // It claims success but we cannot read the rental: it may have been bought.
      return new UpstreamError('unknown_outcome', error.raw);
    }
    return error;
  }
}
