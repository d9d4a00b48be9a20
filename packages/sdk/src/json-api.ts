import {
  OtpgetCancelledError,
  OtpgetJsonApiError,
  OtpgetNetworkError,
  OtpgetTimeoutError,
} from './errors.js';
import type { WaitOptions } from './text-api.js';
import type { CallOptions, ClientOptions, PurchaseOptions } from './transport.js';
import { backoffMs, sleep, Transport } from './transport.js';

type Params = Record<string, string | number | undefined>;

/** Every JSON reply carries `status` as a string; "200" is success. */
export interface JsonReply {
  status: string;
  message?: string;
}

abstract class JsonApiClient {
  protected readonly transport: Transport;
  constructor(
    options: ClientOptions,
    protected readonly path: string,
  ) {
    this.transport = new Transport(options);
  }

  protected parse(text: string): JsonReply & Record<string, unknown> {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new OtpgetNetworkError(`unexpected reply: ${text.slice(0, 200)}`);
    }
    if (!body || typeof body !== 'object' || typeof (body as JsonReply).status !== 'string') {
      throw new OtpgetNetworkError(`unexpected reply: ${text.slice(0, 200)}`);
    }
    return body as JsonReply & Record<string, unknown>;
  }

  /** Sends and parses; a status outside `accept` (default "200") throws OtpgetJsonApiError. */
  protected async send<T>(
    action: string,
    params: Params,
    options: PurchaseOptions & { write?: boolean; accept?: string[]; extraTimeoutMs?: number },
  ): Promise<T> {
    const { idempotencyKey, signal, extraTimeoutMs } = options;
    const raw = await this.transport.call(this.path, action, params, {
      safe: !options.write || idempotencyKey !== undefined,
      ...(idempotencyKey !== undefined ? { idempotencyKey } : {}),
      ...(signal ? { signal } : {}),
      ...(extraTimeoutMs !== undefined ? { extraTimeoutMs } : {}),
    });
    const body = this.parse(raw.text);
    if (!(options.accept ?? ['200']).includes(body.status)) {
      throw new OtpgetJsonApiError(body.status, String(body.message ?? ''), body);
    }
    return body as T;
  }
}

/** Types as on the wire: ids, prices and balances are strings, hours and counts numbers. */
export interface RentalCountry {
  id: string;
  provider: string;
  name: string;
  country_code: string;
}
export interface RentalPrice {
  id: string;
  duration_hours: string;
  price: string;
  country_name: string;
}
export interface RentalAvailability {
  area_code: string;
  area_title: string;
  available: number;
  min_month: number;
}
export interface RentedNumber {
  status: '200';
  message: string;
  phone: string;
  order_id: string;
  duration_hours: number;
  price_paid: string;
  new_balance: string;
  expires: string;
}
export interface Rental {
  id: string;
  server: string;
  phone_number: string;
  order_id: string;
  status: string;
  country_code: string;
  expiry_time: string;
}
export interface RentalMessage {
  from: string;
  text: string;
  code: string;
  timestamp: string;
}
export interface RenewedRental {
  status: '200';
  message: string;
  rental_id: number;
  phone_number: string;
  duration_hours: number;
  price_paid: string;
  new_balance: string;
  new_expiry: string;
}
/** 12 · 24 · 168 · 720 · 4320 · 8640 (provider 2: 720, 4320, 8640 only). */
export type RentalHours = 12 | 24 | 168 | 720 | 4320 | 8640;

/** /stubs/rental-handler.php: numbers from 12 hours to a year with an SMS inbox. */
export class RentalClient extends JsonApiClient {
  constructor(options: ClientOptions) {
    super(options, '/stubs/rental-handler.php');
  }

  async getRentalCountries(provider?: 1 | 2, options: CallOptions = {}): Promise<RentalCountry[]> {
    return (await this.send<{ countries: RentalCountry[] }>('getRentalCountries', { provider }, options))
      .countries;
  }

  async getRentalPricing(
    countryCode: string,
    provider: 1 | 2,
    options: CallOptions = {},
  ): Promise<RentalPrice[]> {
    const params = { country_code: countryCode, provider };
    return (await this.send<{ pricing: RentalPrice[] }>('getRentalPricing', params, options)).pricing;
  }

  async getAvailableRentals(
    countryCode: string,
    provider: 1 | 2,
    options: CallOptions = {},
  ): Promise<RentalAvailability[]> {
    const params = { country_code: countryCode, provider };
    return (await this.send<{ available: RentalAvailability[] }>('getAvailableRentals', params, options))
      .available;
  }

  /** Rents a number (spends balance). Never retried unless `idempotencyKey` is given. */
  async rentNumber(
    order: { countryCode: string; provider: 1 | 2; durationHours: RentalHours },
    options: PurchaseOptions = {},
  ): Promise<RentedNumber> {
    const params = {
      country_code: order.countryCode,
      provider: order.provider,
      duration_hours: order.durationHours,
    };
    return this.send<RentedNumber>('rentNumber', params, { ...options, write: true });
  }

  async getMyRentals(options: CallOptions = {}): Promise<{ total: number; rentals: Rental[] }> {
    return this.send('getMyRentals', {}, options);
  }

  async getRentalSMS(
    orderId: string,
    options: CallOptions = {},
  ): Promise<{ phone_number: string; total: number; messages: RentalMessage[] }> {
    return this.send('getRentalSMS', { order_id: orderId }, options);
  }

  /** Extends a rental (spends balance). Never retried unless `idempotencyKey` is given. */
  async renewRental(
    rentalId: number,
    durationHours: RentalHours,
    options: PurchaseOptions = {},
  ): Promise<RenewedRental> {
    const params = { rental_id: rentalId, duration_hours: durationHours };
    return this.send<RenewedRental>('renewRental', params, { ...options, write: true });
  }
}

/** Email API types as on the wire: status and ids strings, prices and balances numbers. */
export interface EmailServiceOffer {
  service_code: string;
  service_name: string;
  price: number;
  count: number;
}
export interface EmailDomainOffer {
  domain: string;
  price: number;
  count: number;
}
export interface BoughtEmail {
  status: '200';
  message: string;
  email_id: string;
  email: string;
  domain: string;
  price: number;
  balance: number;
  server: number;
  service?: string;
}
export interface EmailLetter {
  code: string;
  link: string;
  from: string;
  text: string;
  received_at: string;
}
/** getEmailCode: 200 with the letters, 202 waiting, 300 cancelled/expired. */
export type EmailCodeReply =
  | {
      status: '200';
      message: string;
      email_id: string;
      email: string;
      server: number;
      code: string;
      messages: EmailLetter[];
    }
  | { status: '202'; message: string; email_id: string; email: string; server: number; expires_in: number }
  | { status: '300'; message: string; email_id: string; email: string; server: number };

/** /stubs/email_handler.php: a temporary mailbox for one email code. */
export class EmailClient extends JsonApiClient {
  constructor(options: ClientOptions) {
    super(options, '/stubs/email_handler.php');
  }

  async getEmailServices(
    query: { server?: 1 | 2; domain?: string; site?: string } = {},
    options: CallOptions = {},
  ): Promise<{
    server: number;
    count: number;
    services?: EmailServiceOffer[];
    domains?: EmailDomainOffer[];
  }> {
    return this.send('getEmailServices', query, options);
  }

  /** Buys a mailbox (spends balance). Never retried unless `idempotencyKey` is given. */
  async buyEmail(
    order: { server?: 1 | 2; serviceId?: string; domain?: string; site?: string },
    options: PurchaseOptions = {},
  ): Promise<BoughtEmail> {
    const params = {
      server: order.server,
      service_id: order.serviceId,
      domain: order.domain,
      site: order.site,
    };
    return this.send<BoughtEmail>('buyEmail', params, { ...options, write: true });
  }

  /** getEmailCode; with `wait` (seconds) the server answers as soon as a letter comes. */
  async getEmailCode(
    emailId: string,
    options: CallOptions & { wait?: number } = {},
  ): Promise<EmailCodeReply> {
    const { wait } = options;
    return this.send<EmailCodeReply>(
      'getEmailCode',
      { email_id: emailId, wait },
      {
        ...(options.signal ? { signal: options.signal } : {}),
        accept: ['200', '202', '300'],
        extraTimeoutMs: (wait ?? 0) * 1000,
      },
    );
  }

  /** Cancels (refund) while waiting; after a letter came it completes and returns the code. */
  async cancelEmail(
    emailId: string,
    options: CallOptions = {},
  ): Promise<JsonReply & Record<string, unknown>> {
    return this.send('cancelEmail', { email_id: emailId }, { ...options, write: true });
  }

  async getEmailHistory(
    page = 1,
    options: CallOptions = {},
  ): Promise<{ history: Array<Record<string, unknown>> }> {
    return this.send('getEmailHistory', { page }, options);
  }

  /** Like SmsClient.waitForCode: long-poll, falling back to polling with backoff. */
  async waitForCode(emailId: string, options: WaitOptions = {}): Promise<string> {
    const deadline = Date.now() + (options.timeoutMs ?? 20 * 60_000);
    const longPoll = Math.min(30, Math.max(1, options.longPollSeconds ?? 25));
    let quickReplies = 0;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new OtpgetTimeoutError(`no code for ${emailId} before the deadline`);
      const wait = Math.max(1, Math.min(longPoll, Math.floor(left / 1000)));
      const started = Date.now();
      const reply = await this.getEmailCode(emailId, {
        wait,
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (reply.status === '200') return reply.code;
      if (reply.status === '300') throw new OtpgetCancelledError(`email ${emailId}: ${reply.message}`);
      if (Date.now() - started < wait * 500) {
        await sleep(
          Math.min(backoffMs(2 + quickReplies, 10_000), Math.max(0, deadline - Date.now())),
          options.signal,
        );
        quickReplies++;
      } else {
        quickReplies = 0;
      }
    }
  }
}
