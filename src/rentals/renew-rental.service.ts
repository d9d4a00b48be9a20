import type { AppContext } from '../app-context.js';
import type { Trx } from '../db/database.js';
import { type PurchaseOutcome, runPurchase } from '../orders/purchase.js';
import { findRentalCountryById, findRentalServer } from './catalog.repository.js';
import {
  completeRenewal,
  insertPendingRenewal,
  type RenewalOrder,
  RenewalRefusedError,
  renewalStore,
} from './renewals.repository.js';
import { assertServerOpen, checkDuration, quoteTier } from './rental-catalog.service.js';
import { purchaseFailure, rentalError } from './rental-errors.js';
import { findRental } from './rentals.repository.js';

/** A renewal charged and applied. */
export interface RenewedRental {
  rentalId: number;
  phone: string;
  hours: number;
  pricePaisa: number;
  balanceAfter: number;
  /** Our expiry after this renewal: the previous expiry plus `hours`. */
  newExpiry: number;
}

/**
 * Renews a live rental: charges again and extends from the current expiry, not from now. Each
 * renewal is its own order through the order engine's purchase protocol (orders/purchase.ts):
 * reserved under `rental-renewal:<id>:<n>` with the renewal's own guard (see insertPendingRenewal),
 * one upstream extend call (paid, so never retried), then the extension or the refund. A rental past
 * its expiry is refused before anything is charged.
 */
export async function renewRental(
  ctx: AppContext,
  request: { accountId: number; rentalId: number | null; hours: number | null },
): Promise<RenewedRental> {
  const rental = request.rentalId === null ? null : await findRental(ctx.db, request.rentalId);
  if (!rental || rental.accountId !== request.accountId || rental.status === 'failed') {
    throw rentalError({ code: 'rental_not_found' });
  }
  const server = await findRentalServer(ctx.db, rental.serverId);
  if (!server) throw rentalError({ code: 'rental_not_found' });
  await assertServerOpen(ctx, server);
  const rentalUpstream = await ctx.providers.upstream(rental.upstreamId);
  if (!rentalUpstream.enabled) throw rentalError({ code: 'server_unavailable', server: server.name });
  const hours = checkDuration(server, request.hours);
  const { upstreamOrderId, phone } = rental;
  if (rental.status === 'pending' || upstreamOrderId === null || phone === null) {
    throw rentalError({ code: 'rental_not_active' });
  }
  if (rental.status === 'expired' || (rental.expiryTime ?? 0) <= ctx.clock.now()) {
    throw rentalError({ code: 'rental_expired' });
  }
  const country = await findRentalCountryById(ctx.db, rental.countryId);
  if (!country) throw rentalError({ code: 'no_pricing' });
  const pricePaisa = await quoteTier(ctx, server, country, hours);
  const provider = await ctx.providers.rental(rental.upstreamId);

  const now = ctx.clock.now();
  let outcome: PurchaseOutcome<RenewalOrder, { expiresAt: number }, number>;
  try {
    outcome = await runPurchase(ctx, {
      store: renewalStore,
      reservation: {
        accountId: request.accountId,
        pricePaisa,
        now,
        note: `rental renewal (+${hours} h)`,
      },
      pending: (trx: Trx) =>
        insertPendingRenewal(
          trx,
          { rentalId: rental.id, accountId: request.accountId, durationHours: hours, pricePaisa },
          now,
        ),
      call: () => provider.extend(upstreamOrderId, hours),
      activate: (db, renewal, extended) => completeRenewal(db, renewal, extended.expiresAt, ctx.clock.now()),
      // An extension cannot be looked up later: the customer is not charged for hours we cannot
      // promise (the operator may have paid the upstream for nothing; it is logged).
      whenOutcomeUnknown: 'refund',
    });
  } catch (error) {
    // We checked it was ours and active: only the clock passing its expiry explains a refusal now.
    if (error instanceof RenewalRefusedError) throw rentalError({ code: 'rental_expired' });
    ctx.log.error({ err: error, rental: rental.id }, 'renewal reservation failed; nothing was charged');
    throw rentalError({ code: 'database' });
  }
  if (outcome.kind !== 'sold') throw rentalError(purchaseFailure(outcome, server.name));
  return {
    rentalId: rental.id,
    phone,
    hours,
    pricePaisa,
    balanceAfter: outcome.balanceAfter,
    newExpiry: outcome.active,
  };
}
