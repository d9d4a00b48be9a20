import type { AppContext } from '../app-context.js';
import { type PurchaseOutcome, runPurchase } from '../orders/purchase.js';
import type { RentalPurchase } from '../providers/types.js';
import { newRentalOrderId } from './order-id.js';
import { quoteRental } from './rental-catalog.service.js';
import { purchaseFailure, rentalError } from './rental-errors.js';
import { activateRental, pendingRental, type RentalOrder, rentalStore } from './rentals.repository.js';

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
 * Rents a number through the order engine's purchase protocol (reserve, one upstream call, settle;
 * see orders/purchase.ts). What is the rental line's own: the quote, the upstream's rent call, the
 * term starting at activation, and the wording of each outcome.
 */
export async function rentNumber(
  ctx: AppContext,
  request: { accountId: number; providerId: number | null; countryCode: string; hours: number | null },
): Promise<RentedNumber> {
  const { server, country, hours, pricePaisa } = await quoteRental(ctx, request);
  // Resolved before charging: a misconfigured upstream costs the customer nothing.
  const provider = await ctx.providers.rental(server.upstreamId);
  const orderId = newRentalOrderId();
  const now = ctx.clock.now();

  let outcome: PurchaseOutcome<RentalOrder, RentalPurchase, { expiryTime: number }>;
  try {
    outcome = await runPurchase(ctx, {
      store: rentalStore,
      reservation: { accountId: request.accountId, pricePaisa, now, note: `rental ${orderId}` },
      pending: pendingRental(
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
        now,
      ),
      call: () =>
        provider.rentNumber({
          country: country.upstreamCountry,
          ...(country.upstreamService ? { service: country.upstreamService } : {}),
          hours,
        }),
      activate: async (db, rental, purchase) => {
        const activatedAt = ctx.clock.now();
        // The customer's term starts when the number is theirs, so they get every hour they paid for.
        const expiryTime = activatedAt + hours * HOUR_MS;
        const activated = await activateRental(
          db,
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
        return activated ? { expiryTime } : null;
      },
      giveBack: (purchase) => provider.cancel(purchase.upstreamOrderId),
    });
  } catch (error) {
    ctx.log.error({ err: error }, 'rental reservation failed; nothing was charged');
    throw rentalError({ code: 'database' });
  }

  if (outcome.kind !== 'sold') throw rentalError(purchaseFailure(outcome, server.name));
  return {
    rentalId: outcome.order.id,
    orderId,
    phone: outcome.purchase.phone,
    hours,
    pricePaisa,
    balanceAfter: outcome.balanceAfter,
    expiryTime: outcome.active.expiryTime,
  };
}
