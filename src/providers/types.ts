import type { Executor } from '../db/database.js';
import type { GroupCommit } from '../db/group-commit.js';
import type { Clock } from '../shared/clock.js';
import type { Upstream } from './upstreams.repository.js';

/**
 * The small upstream interfaces otpget depends on. Each upstream protocol has an adapter that
 * implements one of them and maps its replies into these types; the sandbox implements all three.
 *
 * Money from upstreams is in the upstream's own currency, as integer micro-units
 * (1 USD = 1_000_000 micros), so no float ever reaches a price.
 */

/** Why an upstream call failed. `unknown_outcome` means the request may have taken effect. */
export type UpstreamFailureKind =
  | 'no_numbers' // nothing in stock for this country/service
  | 'no_balance' // our account at the upstream is empty
  | 'bad_key' // our credentials were refused
  | 'bad_request' // the upstream refused the parameters (bad service, country, …)
  | 'not_found' // the upstream does not know this order
  | 'price_changed' // the upstream price is above what we accepted
  | 'unavailable' // the upstream answered an error before doing anything (HTTP 5xx, garbage)
  | 'unknown_outcome'; // timeout or reset after the request left: it may have been executed

export class UpstreamError extends Error {
  constructor(
    readonly kind: UpstreamFailureKind,
    /** The upstream's raw reply (trimmed, at most 200 chars), for ERROR_PROVIDER_n:raw. */
    readonly raw: string,
  ) {
    super(`upstream ${kind}: ${raw}`);
    this.name = 'UpstreamError';
  }
}

/** One message received on a number or mailbox, as the upstream reports it. */
export interface UpstreamMessage {
  /** Stable id for deduplication; adapters derive one from content + time when the upstream has none. */
  id: string;
  text: string;
  sender?: string;
  /** The code as the upstream extracted it, if it did; we extract our own as well. */
  code?: string;
  /** Epoch milliseconds. */
  receivedAt: number;
}

// ───────────────────────────── SMS activations (SMS OTP and cheap numbers) ─────────────────────────────

export interface SmsPurchaseRequest {
  /** Upstream country code (the upstream's own id, e.g. "0" for Russia on SMS-Activate). */
  country: string;
  /** Upstream service code (e.g. "tg"). */
  service: string;
  /** Highest cost we accept, in upstream micros; adapters pass it as maxPrice where supported. */
  maxCostMicros?: number;
}

export interface SmsPurchase {
  upstreamOrderId: string;
  /** Digits only, no "+". */
  phone: string;
  /** What the upstream charged, when it says so. */
  costMicros?: number;
}

export type SmsActivationState =
  | { state: 'waiting' }
  | { state: 'received'; messages: UpstreamMessage[] }
  | { state: 'cancelled' }
  | { state: 'finished'; messages: UpstreamMessage[] };

export interface SmsProvider {
  /**
   * Buy one number. Called exactly once per order: a purchase is never retried, because a lost
   * reply may still have bought a number. Throws UpstreamError.
   */
  buyNumber(request: SmsPurchaseRequest, signal?: AbortSignal): Promise<SmsPurchase>;
  /** State of one activation. Throws UpstreamError. */
  getActivation(upstreamOrderId: string, signal?: AbortSignal): Promise<SmsActivationState>;
  /**
   * State of every live activation in one call, where the upstream can list them
   * (SMS-Activate getActiveActivations). Absent when it cannot; callers then use getActivation.
   * The map holds only activations the upstream still reports; its phone lets a reconciler
   * adopt a purchase whose reply was lost.
   */
  listActivations?(signal?: AbortSignal): Promise<Map<string, SmsActivationState & { phone: string }>>;
  /** Cancel and get our money back upstream. Resolves false when the upstream refused (e.g. SMS already came). */
  cancel(upstreamOrderId: string, signal?: AbortSignal): Promise<boolean>;
  /** Tell the upstream we are done with the number. */
  finish(upstreamOrderId: string, signal?: AbortSignal): Promise<void>;
  /** Current costs and stock for the price sync job, keyed by `${country}/${service}`. */
  getPrices?(signal?: AbortSignal): Promise<Map<string, { costMicros: number; stock: number }>>;
  /** Our balance at the upstream, in upstream micros. */
  getBalance?(signal?: AbortSignal): Promise<number>;
  /** The upstream's own country and service names, for `otpget catalog import`. */
  getCatalogue?(signal?: AbortSignal): Promise<UpstreamCatalogue>;
}

/** An upstream's countries (its ids, English names) and services (its codes, names). */
export interface UpstreamCatalogue {
  countries: Array<{ id: string; name: string }>;
  services: Array<{ code: string; name: string }>;
}

// ───────────────────────────── Rentals ─────────────────────────────

export interface RentalPurchaseRequest {
  /** Upstream country code. */
  country: string;
  /** Upstream service code, where the upstream rents per service (often "full" or "any"). */
  service?: string;
  hours: number;
}

export interface RentalPurchase {
  upstreamOrderId: string;
  phone: string;
  /** Epoch ms at which the upstream ends the rental. */
  expiresAt: number;
  costMicros?: number;
}

export interface RentalProvider {
  /** Rent one number. Never retried (see SmsProvider.buyNumber). Throws UpstreamError. */
  rentNumber(request: RentalPurchaseRequest, signal?: AbortSignal): Promise<RentalPurchase>;
  /** Every message received so far on the rental, oldest first. */
  getMessages(upstreamOrderId: string, signal?: AbortSignal): Promise<UpstreamMessage[]>;
  /** Extend by `hours`; returns the new upstream expiry. Never retried. Throws UpstreamError. */
  extend(upstreamOrderId: string, hours: number, signal?: AbortSignal): Promise<{ expiresAt: number }>;
  /** Give the number back early (used only when our own write failed after renting). */
  cancel(upstreamOrderId: string, signal?: AbortSignal): Promise<boolean>;
  /** Stock per upstream country code. */
  getAvailability?(country: string, signal?: AbortSignal): Promise<number>;
  /** The upstream country codes that rent numbers, where the upstream publishes them (`otpget rental import`). */
  listCountries?(signal?: AbortSignal): Promise<string[]>;
  /** Cost (for `request.hours`) and stock of a rental as `request` names it; null when not offered. */
  quote?(
    request: RentalPurchaseRequest,
    signal?: AbortSignal,
  ): Promise<{ costMicros: number; stock: number } | null>;
}

// ───────────────────────────── Temp email ─────────────────────────────

export interface EmailPurchaseRequest {
  /** Mailbox domain, e.g. "gmail.com". */
  domain: string;
  /** The site that will send the mail, e.g. "instagram.com"; upstreams match the sender by it. */
  site: string;
}

export interface EmailPurchase {
  upstreamOrderId: string;
  email: string;
  costMicros?: number;
}

export type EmailActivationState =
  | { state: 'waiting' }
  | { state: 'received'; messages: UpstreamMessage[] }
  | { state: 'cancelled' };

export interface EmailProvider {
  /** Order one mailbox. Never retried. Throws UpstreamError. */
  buyEmail(request: EmailPurchaseRequest, signal?: AbortSignal): Promise<EmailPurchase>;
  /** Whether a message arrived, with the full text (HTML allowed) when it did. */
  getActivation(upstreamOrderId: string, signal?: AbortSignal): Promise<EmailActivationState>;
  /** Cancel upstream. Resolves false when the upstream refused (a message already came). */
  cancel(upstreamOrderId: string, signal?: AbortSignal): Promise<boolean>;
  /** Stock and cost per domain for a site. */
  getDomains?(site: string, signal?: AbortSignal): Promise<DomainOffer[]>;
}

/** One mail domain an email upstream sells for a site: its cost (upstream micro-units) and stock. */
export interface DomainOffer {
  domain: string;
  costMicros: number;
  stock: number;
}

/** What an adapter factory gets: the upstream's configuration and the shared parts of the process. */
export interface AdapterContext {
  upstream: Upstream;
  db: Executor;
  groupCommit: GroupCommit;
  clock: Clock;
  sandboxDelayMs: number | null;
}
