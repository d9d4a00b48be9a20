import type { Trx } from '../db/database.js';
import { settle } from '../orders/settlement.js';
import { listChargedRenewals, renewalStore } from './renewals.repository.js';
import { findRental, rentalStore } from './rentals.repository.js';

/** Every state an operator may refund a rental from: all but `failed`, the refunded end state. */
const OPERATOR_REFUNDABLE_RENTAL_STATES = ['pending', 'active', 'expired'] as const;

/**
 * An operator's refund of a rental, in the caller's transaction (which also writes the audit row):
 * the rental moves by compare-and-set to `failed` and its purchase price is refunded under
 * `rental:<id>`; then every renewal charged for it (done, or pending with the upstream) moves to
 * `failed` and is refunded under its own `rental-renewal:<id>:<n>`. The customer gets back all
 * they paid for the number. A `pending` rental is refunded too: its purchase path, answering later,
 * finds it settled and gives the number back upstream.
 *
 * Returns the paisa refunded, or null when the rental is missing or already refunded (the
 * compare-and-set lost: whatever raced it — the reconciler, a second operator — refunded it).
 */
export async function refundRentalByOperator(
  trx: Trx,
  rentalId: number,
  note: string,
  now: number,
): Promise<number | null> {
  const rental = await findRental(trx, rentalId);
  if (!rental) return null;
  const move = { to: 'failed' as const, now, refund: true, note };
  const won = await settle(trx, rentalStore, rental, { ...move, from: OPERATOR_REFUNDABLE_RENTAL_STATES });
  if (!won.won) return null;
  let refunded = rental.pricePaisa;
  for (const renewal of await listChargedRenewals(trx, rentalId)) {
    const settled = await settle(trx, renewalStore, renewal, {
      ...move,
      from: ['pending', 'done'],
    });
    if (settled.won) refunded += renewal.pricePaisa;
  }
  return refunded;
}
