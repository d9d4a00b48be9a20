import type { AppContext } from '../app-context.js';
import { readPositiveInt } from '../http/params.js';
import { type ActionHandler, json, type WireCall, type WireEndpoint, type WireReply } from '../http/wire.js';
import { IDEMPOTENCY_JSON } from '../idempotency/idempotency-replies.js';
import type { UpstreamFailureKind } from '../providers/types.js';
import { formatDateTime, formatIsoSeconds } from '../shared/clock.js';
import { formatPkr } from '../shared/money.js';
import { renewRental } from './renew-rental.service.js';
import { rentNumber } from './rent-number.service.js';
import { checkAvailability, listCountriesOnSale, listPricing } from './rental-catalog.service.js';
import { RentalError, type RentalFailure, rentalError } from './rental-errors.js';
import { listMyRentals, readRentalInbox } from './rental-inbox.service.js';

/**
 * /stubs/rental-handler.php — the Rental Number API. JSON only, `status` always a string; every
 * field name and JSON type exactly as the reference's examples show them (for example
 * `duration_hours` is the string "720" in getRentalPricing but the number 720 in rentNumber).
 * Every string this endpoint sends is in this file.
 */

const reply = (status: string, message: string): WireReply => json({ status, message });

/** Our own words for an upstream failure: never the upstream's raw reply, its name or our key. */
const UPSTREAM_PHRASES: Readonly<Record<UpstreamFailureKind, string>> = {
  no_numbers: 'no numbers available for this country right now',
  no_balance: 'the provider cannot fill orders right now',
  bad_key: 'the provider cannot fill orders right now',
  bad_request: 'the provider refused the request',
  not_found: 'the provider no longer knows this number',
  price_changed: "the provider's price changed, please try again",
  unavailable: 'the provider is not responding, please try again later',
  unknown_outcome: 'no answer from the provider',
};

/** The reference's error table: each domain failure → status and message. */
export function failureReply(failure: RentalFailure): WireReply {
  switch (failure.code) {
    case 'missing_param':
      return reply('400', `${failure.param} is required.`);
    case 'bad_provider':
      return reply(
        '400',
        `Invalid provider. Use ${failure.known.map((id) => `provider=${id}`).join(' or ')}.`,
      );
    case 'bad_duration':
      return reply('400', 'Invalid duration_hours. Use 12, 24, 168, 720, 4320 or 8640.');
    case 'monthly_only':
      return reply('400', `${failure.server} only supports monthly durations (720, 4320 or 8640 hours).`);
    case 'no_pricing':
      return reply(
        '404',
        failure.hours === undefined
          ? 'No pricing found for this country and provider.'
          : 'No pricing found for this country, provider and duration.',
      );
    case 'insufficient_balance':
      return reply('402', 'Insufficient balance.');
    case 'rental_not_found':
      return reply('404', 'Rental not found or does not belong to you.');
    case 'rental_not_active':
      return reply('400', 'Rental is not active yet and cannot be renewed.');
    case 'rental_expired':
      return reply('400', 'Rental has expired and can no longer be renewed. Rent a new number instead.');
    case 'server_unavailable':
      return reply('503', `${failure.server} is currently unavailable.`);
    case 'upstream':
      return reply(
        '502',
        `${failure.server} error: ${UPSTREAM_PHRASES[failure.kind]}.${failure.refunded ? ' Nothing was charged.' : ''}`,
      );
    case 'upstream_unknown':
      return reply(
        '502',
        `${failure.server} error: no answer from the provider. The payment is on hold and is refunded automatically within 15 minutes.`,
      );
    case 'database':
      return reply('500', 'Database error: the order could not be saved. Your balance was not deducted.');
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
    const listed = await listCountriesOnSale(ctx, raw ? { providerId: readPositiveInt(raw) } : 'all');
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
    const provider = readPositiveInt(required(call, 'provider'));
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
    const provider = readPositiveInt(required(call, 'provider'));
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
    const provider = readPositiveInt(required(call, 'provider'));
    const hours = readPositiveInt(required(call, 'duration_hours'));
    const rented = await rentNumber(ctx, {
      accountId: call.accountId,
      providerId: provider,
      countryCode,
      hours,
    });
    return json({
      status: '200',
      message: 'Number rented successfully',
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
    const hours = readPositiveInt(required(call, 'duration_hours'));
    const renewed = await renewRental(ctx, { accountId: call.accountId, rentalId, hours });
    return json({
      status: '200',
      message: 'Renewed successfully',
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
    badKey: () => reply('401', 'Invalid API key.'),
    blocked: () => reply('403', 'Account is blocked or inactive.'),
    rateLimited: () => reply('429', 'Too many requests. Please slow down.'),
    badAction: (name) => reply('400', `Unknown action: ${name.slice(0, 64) || '(none)'}`),
    // An unexpected failure: generic words, never the error's text (it is logged with its stack).
    internalError: () =>
      reply('500', 'Internal error: the request could not be completed. Please try again.'),
    idempotentActions: ['rentNumber', 'renewRental'],
    idempotencyConflict: (reason) => json(IDEMPOTENCY_JSON[reason]),
  };
}
