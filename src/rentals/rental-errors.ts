import type { PurchaseOutcome } from '../orders/purchase.js';
import type { UpstreamFailureKind } from '../providers/types.js';

/**
 * Every way a rental action can fail, in domain terms. The wire module maps each one to the
 * reference's status and message in one table; services never know about HTTP.
 */
export type RentalFailure =
  | { code: 'missing_param'; param: string }
  | { code: 'bad_provider'; known: number[] }
  | { code: 'bad_duration' }
  | { code: 'monthly_only'; server: string }
  /** `hours` when a duration was asked for (rentNumber, renewRental). */
  | { code: 'no_pricing'; hours?: number }
  | { code: 'insufficient_balance' }
  /** The account is blocked or inactive: refused before anything is charged. */
  | { code: 'blocked' }
  | { code: 'rental_not_found' }
  | { code: 'rental_not_active' }
  | { code: 'rental_expired' }
  | { code: 'server_unavailable'; server: string }
  /** The upstream refused or failed; `refunded` when a payment was taken and given back. */
  | { code: 'upstream'; server: string; kind: UpstreamFailureKind; refunded: boolean }
  /** The upstream did not answer a purchase: the payment is held until the reconciler settles it. */
  | { code: 'upstream_unknown'; server: string }
  /** Our own write failed; nothing stays charged (refunded now, or by the reconciler). */
  | { code: 'database' };

export class RentalError extends Error {
  override name = 'RentalError';
  constructor(readonly failure: RentalFailure) {
    super(`rental failure: ${failure.code}`);
  }
}

export function rentalError(failure: RentalFailure): RentalError {
  return new RentalError(failure);
}

/** The rental API's words for a purchase or renewal the order engine did not end sold. */
export function purchaseFailure(
  outcome: Exclude<PurchaseOutcome<unknown, unknown, unknown>, { kind: 'sold' }>,
  server: string,
): RentalFailure {
  switch (outcome.kind) {
    case 'refused':
      return { code: 'upstream', server, kind: outcome.error.kind, refunded: true };
    case 'outcome_unknown':
      return outcome.refunded
        ? { code: 'upstream', server, kind: 'unknown_outcome', refunded: true }
        : { code: 'upstream_unknown', server };
    case 'not_recorded':
      return { code: 'database' };
    case 'settled_elsewhere':
      // Refunded (by the reconciler or an operator) while the upstream was answering: it stays so.
      return { code: 'upstream', server, kind: 'unavailable', refunded: true };
    case 'no_balance':
      return { code: 'insufficient_balance' };
    case 'blocked':
      return { code: 'blocked' };
  }
}
