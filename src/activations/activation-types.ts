import type { UpstreamError } from '../providers/types.js';
import type { ActivationState } from './activation-tables.js';

export type { ActivationState } from './activation-tables.js';

/** Which customer API sold the activation. The rules are the same; the wire replies differ. */
export type ActivationLine = 'sms' | 'cheap';

/** One upstream a purchase may buy from, with that upstream's own codes and limit. */
export interface ActivationRoute {
  /** Row in `upstreams` (kind 'sms'), resolved with ctx.providers.sms(id). */
  upstreamId: number;
  /** The upstream's own codes for the purchase request. */
  upstreamCountry: string;
  upstreamService: string;
  /** Passed to the upstream as maxPrice; a purchase reported above it is cancelled (price_changed). */
  maxCostMicros?: number;
}

/** What a wire module asks the engine to buy: resolved from its own catalog. */
export interface ActivationOffer {
  line: ActivationLine;
  /** Tried in this order within the one reservation (activation-purchase.ts); at least one. */
  routes: ActivationRoute[];
  /** What the customer pays, in paisa (0 allowed: free servers). */
  pricePaisa: number;
  /** Lifetime: ctx.config.activationTtlSeconds (sms) / cheapTtlSeconds (cheap). */
  ttlSeconds: number;
  /** E.g. "type:1/country:61/service:101" or "cheap:server:1" (for history and the operator). */
  catalogRef: string;
}

/** An activation as the engine's callers see it. Times are epoch milliseconds, money paisa. */
export interface Activation {
  id: number;
  publicId: string;
  line: ActivationLine;
  accountId: number;
  upstreamId: number;
  upstreamOrderId: string | null;
  phone: string | null;
  state: ActivationState;
  pricePaisa: number;
  code: string | null;
  smsText: string | null;
  createdAt: number;
  expiresAt: number;
  cancelAllowedAt: number;
  /** The catalog entry sold (ActivationOffer.catalogRef). */
  catalogRef: string;
}

export type BuyResult =
  | { kind: 'ok'; activation: Activation }
  | { kind: 'no_balance'; balancePaisa: number }
  /** The account is blocked: nothing was reserved or charged. */
  | { kind: 'blocked' }
  /** Refunded already (or never charged); the wire maps error.kind (no_numbers → NO_NUMBERS, …). */
  | { kind: 'upstream_failed'; error: UpstreamError }
  /** Still pending: the reconciler refunds it within a few minutes. The customer has no number. */
  | { kind: 'outcome_unknown'; activation: Activation }
  /** Our write failed after the upstream sold: cancelled upstream, customer not charged. */
  | { kind: 'database_error' };

export type CompleteResult = 'finished' | 'no_sms_received' | 'already_changed' | 'not_found';

export type CancelResult =
  | 'cancelled'
  | 'early_cancel_denied'
  | 'code_received'
  | 'already_changed'
  | 'not_found';
