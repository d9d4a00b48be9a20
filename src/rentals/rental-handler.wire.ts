import type { AppContext } from '../app-context.js';
import { readCatalogInt, readPositiveInt } from '../http/params.js';
import {
  type ActionHandler,
  json,
  type WireCall,
  type WireEndpoint,
  type WireReply,
} from '../http/wire-types.js';
import { IDEMPOTENCY_JSON } from '../idempotency/idempotency-replies.js';
import { formatDateTime, formatIsoSeconds } from '../shared/clock.js';
import { formatPkr } from '../shared/money.js';
import { renewRental } from './renew-rental.service.js';
import { rentNumber } from './rent-number.service.js';
import { checkAvailability, listCountriesOnSale, listPricing } from './rental-catalog.service.js';
import { RentalError, type RentalFailure, rentalError } from './rental-errors.js';
import { listMyRentals, readRentalInbox } from './rental-inbox.service.js';
import { RENTAL_REPLIES as R, RENTAL_SUCCESS, type RentalReply, upstreamPhrase } from './rental-replies.js';

/**
 * /stubs/rental-handler.php — the Rental Number API. JSON only, `status` always a string; every
 * field name and JSON type exactly as the reference's examples show them (for example
 * `duration_hours` is the string "720" in getRentalPricing but the number 720 in rentNumber).
 * Every failure it sends comes from rental-replies.ts, the table the docs catalogue documents.
 */

const reply = (body: RentalReply): WireReply => json(body);

/** The reference's error table: each domain failure → its reply in rental-replies.ts. */
export function failureReply(failure: RentalFailure): WireReply {
  switch (failure.code) {
    case 'missing_param':
      return reply(R.missingParam(failure.param));
    case 'bad_provider':
      return reply(R.badProvider(failure.known));
    case 'bad_duration':
      return reply(R.badDuration);
    case 'monthly_only':
      return reply(R.monthlyOnly(failure.server));
    case 'no_pricing':
      return reply(failure.hours === undefined ? R.noPricing : R.noPricingForDuration);
    case 'insufficient_balance':
      return reply(R.insufficientBalance);
    case 'blocked':
      return reply(R.blocked);
    case 'rental_not_found':
      return reply(R.rentalNotFound);
    case 'rental_not_active':
      return reply(R.notActive);
    case 'rental_expired':
      return reply(R.expired);
    case 'server_unavailable':
      return reply(R.serverUnavailable(failure.server));
    case 'upstream':
      return reply(R.upstream(failure.server, upstreamPhrase(failure.kind), failure.refunded));
    case 'upstream_unknown':
      return reply(R.upstreamUnknown(failure.server));
    case 'database':
      return reply(R.database);
  }
}

/** A parameter's value, or `missing_param` naming it; blank counts as missing. */
function required(call: WireCall, name: string): string {
  const value = call.params[name]?.trim();
  if (!value) throw rentalError({ code: 'missing_param', param: name });
  return value;
}

/** Runs an action, answering its domain failures from the table; anything else is the endpoint's 500. */
function action(run: (call: WireCall) => Promise<WireReply>): ActionHandler {
  return async (call) => {
    try {
      return await run(call);
    } catch (error) {
      if (error instanceof RentalError) return failureReply(error.failure);
      throw error;
    }
  };
}

export function rentalHandlerEndpoint(ctx: AppContext): WireEndpoint {
  const getRentalCountries = action(async ({ params }) => {
    const raw = params.provider?.trim();
    const listed = await listCountriesOnSale(ctx, raw ? { providerId: readCatalogInt(raw) } : 'all');
    return json({
      status: '200',
      countries: listed.map(({ country, server }) => ({
        id: String(country.id),
        provider: String(server.id),
        name: country.name,
        country_code: country.countryCode,
      })),
    });
  });

  const getRentalPricing = action(async (call) => {
    const countryCode = required(call, 'country_code');
    const provider = readCatalogInt(required(call, 'provider'));
    const { country, tiers } = await listPricing(ctx, provider, countryCode);
    return json({
      status: '200',
      pricing: tiers.map(({ tier, pricePaisa }) => ({
        id: String(tier.id),
        duration_hours: String(tier.durationHours),
        price: formatPkr(pricePaisa),
        country_name: country.name,
      })),
    });
  });

  const getAvailableRentals = action(async (call) => {
    const countryCode = required(call, 'country_code');
    const provider = readCatalogInt(required(call, 'provider'));
    const { country, available, minMonth } = await checkAvailability(ctx, provider, countryCode);
    return json({
      status: '200',
      available: [
        { area_code: country.countryCode, area_title: country.name, available, min_month: minMonth },
      ],
    });
  });

  const rentNumberAction = action(async (call) => {
    const countryCode = required(call, 'country_code');
    const provider = readCatalogInt(required(call, 'provider'));
    const hours = readCatalogInt(required(call, 'duration_hours'));
    const rented = await rentNumber(ctx, {
      accountId: call.accountId,
      providerId: provider,
      countryCode,
      hours,
    });
    return json({
      status: '200',
      message: RENTAL_SUCCESS.rented,
      phone: rented.phone,
      order_id: rented.orderId,
      duration_hours: rented.hours,
      price_paid: formatPkr(rented.pricePaisa),
      new_balance: formatPkr(rented.balanceAfter),
      expires: formatDateTime(rented.expiryTime),
    });
  });

  const getMyRentals = action(async ({ accountId }) => {
    const rentals = await listMyRentals(ctx, accountId);
    return json({
      status: '200',
      total: rentals.length,
      rentals: rentals.map(({ rental, serverName }) => ({
        id: String(rental.id),
        server: serverName,
        phone_number: rental.phone ?? '',
        order_id: rental.orderId,
        status: rental.status,
        country_code: rental.countryCode,
        expiry_time: rental.expiryTime === null ? '' : formatDateTime(rental.expiryTime),
      })),
    });
  });

  const getRentalSMS = action(async (call) => {
    const orderId = required(call, 'order_id');
    const { rental, serverName, messages } = await readRentalInbox(ctx, call.accountId, orderId);
    return json({
      status: '200',
      phone_number: rental.phone ?? '',
      total: messages.length,
      messages: messages.map((m) => ({
        // The sender when the upstream names one ("WhatsApp"); otherwise the server, as the reference shows.
        from: m.sender ?? serverName,
        text: m.text,
        code: m.code,
        timestamp: formatIsoSeconds(m.receivedAt),
      })),
    });
  });

  const renewRentalAction = action(async (call) => {
    const rentalId = readPositiveInt(required(call, 'rental_id'));
    const hours = readCatalogInt(required(call, 'duration_hours'));
    const renewed = await renewRental(ctx, { accountId: call.accountId, rentalId, hours });
    return json({
      status: '200',
      message: RENTAL_SUCCESS.renewed,
      rental_id: renewed.rentalId,
      phone_number: renewed.phone,
      duration_hours: renewed.hours,
      price_paid: formatPkr(renewed.pricePaisa),
      new_balance: formatPkr(renewed.balanceAfter),
      new_expiry: formatDateTime(renewed.newExpiry),
    });
  });

  return {
    path: '/stubs/rental-handler.php',
    actions: {
      getRentalCountries,
      getRentalPricing,
      getAvailableRentals,
      rentNumber: rentNumberAction,
      getMyRentals,
      getRentalSMS,
      renewRental: renewRentalAction,
    },
    badKey: () => reply(R.invalidKey),
    blocked: () => reply(R.blocked),
    rateLimited: () => reply(R.rateLimited),
    badAction: (name) => reply(R.unknownAction(name.slice(0, 64) || '(none)')),
    internalError: () => reply(R.internal),
    idempotentActions: ['rentNumber', 'renewRental'],
    idempotencyConflict: (reason) => json(IDEMPOTENCY_JSON[reason]),
  };
}
