import type { AppContext } from '../app-context.js';
import { type RentalProvider, type RentalPurchase, UpstreamError } from '../providers/types.js';
import { withOrderRef } from '../providers/upstream-call-recorder.js';
import { InsufficientBalanceError } from '../wallet/wallet.repository.js';
import { newRentalOrderId } from './order-id.js';
import { quoteRental } from './rental-catalog.service.js';
import { rentalError } from './rental-errors.js';
import { activateRental, failRentalAndRefund, rentalReference, reserveRental } from './rentals.repository.js';

const HOUR_MS = 3_600_000;

/** A rental bought and active. */
export interface RentedNumber {
  rentalId: number;
  orderId: string;
  phone: string;
  hours: number;
  pricePaisa: number;
  /** The customer's balance right after this purchase's debit. */
  balanceAfter: number;
  expiryTime: number;
}

/**
 * Rents a number as a reservation: (1) debit the price and insert the rental as pending in one
 * transaction; (2) ask the upstream once, never retried; (3) on success compare-and-set pending →
 * active; on a definite failure compare-and-set pending → failed with the refund; on an unknown
 * outcome leave it pending for the reconciler. If our own write fails after the upstream rented,
 * the number goes back upstream and the price back to the customer.
 */
export async function rentNumber(
  ctx: AppContext,
  request: { accountId: number; providerId: number | null; countryCode: string; hours: number | null },
): Promise<RentedNumber> {
  const quote = await quoteRental(ctx, request);
  const { server, country, hours, pricePaisa } = quote;
  // Resolved before charging: a misconfigured upstream costs the customer nothing.
  const provider = await ctx.providers.rental(server.upstreamId);
  const orderId = newRentalOrderId();
  const reservedAt = ctx.clock.now();
  let reserved: { rentalId: number; balanceAfter: number };
  try {
    reserved = await ctx.db.transaction().execute((trx) =>
      reserveRental(
        trx,
        {
          order_id: orderId,
          account_id: request.accountId,
          server_id: server.id,
          country_id: country.id,
          country_code: country.countryCode,
          duration_hours: hours,
          price_paisa: pricePaisa,
          upstream_id: server.upstreamId,
        },
        reservedAt,
      ),
    );
  } catch (error) {
    if (error instanceof InsufficientBalanceError) throw rentalError({ code: 'insufficient_balance' });
    ctx.log.error({ err: error }, 'rental reservation failed; nothing was charged');
    throw rentalError({ code: 'database' });
  }
  const rental = { id: reserved.rentalId, accountId: request.accountId, pricePaisa };

  let purchase: RentalPurchase;
  try {
    purchase = await withOrderRef(rentalReference(rental.id), () =>
      provider.rentNumber({
        country: country.upstreamCountry,
        ...(country.upstreamService ? { service: country.upstreamService } : {}),
        hours,
      }),
    );
  } catch (error) {
    if (error instanceof UpstreamError && error.kind !== 'unknown_outcome') {
      await refundQuietly(ctx, rental, `rental ${orderId}: upstream refused (${error.kind})`);
      throw rentalError({ code: 'upstream', server: server.name, kind: error.kind, refunded: true });
    }
    // A lost reply, or an adapter bug after the request may have left: the number may be rented.
    ctx.log.warn(
      { err: error, rental: rental.id },
      'rental purchase outcome unknown; left to the reconciler',
    );
    throw rentalError({ code: 'upstream_unknown', server: server.name });
  }

  const activatedAt = ctx.clock.now();
  // The customer's term starts when the number is theirs, so they get every hour they paid for.
  const expiryTime = activatedAt + hours * HOUR_MS;
  let activated: boolean;
  try {
    activated = await activateRental(
      ctx.db,
      rental.id,
      {
        upstreamOrderId: purchase.upstreamOrderId,
        phone: purchase.phone,
        expiryTime,
        upstreamExpiresAt: purchase.expiresAt,
        costMicros: purchase.costMicros ?? null,
      },
      activatedAt,
    );
  } catch (error) {
    ctx.log.error({ err: error, rental: rental.id }, 'rental could not be activated; giving the number back');
    await giveBack(ctx, provider, purchase);
    await refundQuietly(ctx, rental, `rental ${orderId}: not saved`);
    throw rentalError({ code: 'database' });
  }
  if (!activated) {
    // The reconciler refunded this purchase while the upstream was still answering: it stays refunded.
    ctx.log.warn({ rental: rental.id }, 'rental answered after it was settled; giving the number back');
    await giveBack(ctx, provider, purchase);
    throw rentalError({ code: 'upstream', server: server.name, kind: 'unavailable', refunded: true });
  }
  return {
    rentalId: rental.id,
    orderId,
    phone: purchase.phone,
    hours,
    pricePaisa,
    balanceAfter: reserved.balanceAfter,
    expiryTime,
  };
}

/** Refund a failed purchase; if even that fails, the reconciler refunds the pending rental later. */
async function refundQuietly(
  ctx: AppContext,
  rental: { id: number; accountId: number; pricePaisa: number },
  note: string,
): Promise<void> {
  try {
    await failRentalAndRefund(ctx.db, rental, ctx.clock.now(), note);
  } catch (error) {
    ctx.log.error({ err: error, rental: rental.id }, 'rental refund failed; the reconciler will retry');
  }
}

/** Best effort: a number we cannot sell goes back to the upstream. */
async function giveBack(ctx: AppContext, provider: RentalProvider, purchase: RentalPurchase): Promise<void> {
  try {
    const cancelled = await provider.cancel(purchase.upstreamOrderId);
    if (!cancelled)
      ctx.log.warn({ upstreamOrderId: purchase.upstreamOrderId }, 'upstream refused to cancel a rental');
  } catch (error) {
    ctx.log.warn({ err: error, upstreamOrderId: purchase.upstreamOrderId }, 'upstream rental cancel failed');
  }
}
