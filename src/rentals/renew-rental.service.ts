import type { AppContext } from '../app-context.js';
import { UpstreamError } from '../providers/types.js';
import { InsufficientBalanceError } from '../wallet/wallet.repository.js';
import { findRentalCountryById, findRentalServer } from './catalog.repository.js';
import {
  completeRenewal,
  failRenewalAndRefund,
  type PendingRenewal,
  reserveRenewal,
} from './renewals.repository.js';
import { assertServerOpen, checkDuration, quoteTier } from './rental-catalog.service.js';
import { rentalError } from './rental-errors.js';
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
 * renewal is its own reservation (debit `rental-renewal:<id>:<n>` + pending row in one transaction),
 * one upstream extend call (paid, so never retried), then either the extension (compare-and-set on
 * the renewal row, relative update of the expiry) or the refund. A rental past its expiry is refused
 * before anything is charged.
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
  if (rental.status === 'pending' || rental.upstreamOrderId === null || rental.phone === null) {
    throw rentalError({ code: 'rental_not_active' });
  }
  if (rental.status === 'expired' || (rental.expiryTime ?? 0) <= ctx.clock.now()) {
    throw rentalError({ code: 'rental_expired' });
  }
  const country = await findRentalCountryById(ctx.db, rental.countryId);
  if (!country) throw rentalError({ code: 'no_pricing' });
  const pricePaisa = await quoteTier(ctx, server, country, hours);
  const provider = await ctx.providers.rental(rental.upstreamId);

  let reserved: { renewal: PendingRenewal; balanceAfter: number } | null;
  try {
    reserved = await ctx.db
      .transaction()
      .execute((trx) =>
        reserveRenewal(
          trx,
          { rentalId: rental.id, accountId: request.accountId, durationHours: hours, pricePaisa },
          ctx.clock.now(),
        ),
      );
  } catch (error) {
    if (error instanceof InsufficientBalanceError) throw rentalError({ code: 'insufficient_balance' });
    ctx.log.error({ err: error, rental: rental.id }, 'renewal reservation failed; nothing was charged');
    throw rentalError({ code: 'database' });
  }
  // We checked it was ours and active: only the clock passing its expiry explains a refusal now.
  if (!reserved) throw rentalError({ code: 'rental_expired' });
  const { renewal, balanceAfter } = reserved;

  let upstreamExpiresAt: number;
  try {
    upstreamExpiresAt = (await provider.extend(rental.upstreamOrderId, hours)).expiresAt;
  } catch (error) {
    // Also for an unknown outcome: the extension cannot be looked up later, so the customer is not
    // charged for hours we cannot promise; the operator may have paid the upstream for nothing.
    const kind = error instanceof UpstreamError ? error.kind : 'unknown_outcome';
    if (kind === 'unknown_outcome') {
      ctx.log.warn(
        { err: error, rental: rental.id, seq: renewal.seq },
        'rental extend outcome unknown; refunded',
      );
    }
    await refundQuietly(ctx, renewal, `rental renewal ${renewal.seq}: upstream failed (${kind})`);
    throw rentalError({ code: 'upstream', server: server.name, kind, refunded: true });
  }

  let newExpiry: number | null;
  try {
    newExpiry = await completeRenewal(ctx.db, renewal, upstreamExpiresAt, ctx.clock.now());
  } catch (error) {
    ctx.log.error(
      { err: error, rental: rental.id, seq: renewal.seq },
      'renewal could not be saved; refunding',
    );
    await refundQuietly(ctx, renewal, `rental renewal ${renewal.seq}: not saved`);
    throw rentalError({ code: 'database' });
  }
  if (newExpiry === null) {
    // Settled (refunded) by the reconciler while the upstream was answering: it stays refunded.
    throw rentalError({ code: 'upstream', server: server.name, kind: 'unavailable', refunded: true });
  }
  return { rentalId: rental.id, phone: rental.phone, hours, pricePaisa, balanceAfter, newExpiry };
}

async function refundQuietly(ctx: AppContext, renewal: PendingRenewal, note: string): Promise<void> {
  try {
    await failRenewalAndRefund(ctx.db, renewal, ctx.clock.now(), note);
  } catch (error) {
    ctx.log.error({ err: error, renewal: renewal.id }, 'renewal refund failed; the reconciler will retry');
  }
}
