import type { UpstreamFailureKind } from '../providers/types.js';

/**
 * Every failure reply /stubs/rental-handler.php sends (`status` and `message`), in one place:
 * fixed replies as objects, replies with a variable part as functions. The wire module answers
 * from here and the docs catalogue (src/docs/catalog/rental-api.ts) documents these same
 * constants, so docs and wire cannot drift.
 */
export interface RentalReply {
  status: string;
  message: string;
}

const reply = (status: string, message: string): RentalReply => ({ status, message });

/** Our own words for an upstream failure: never the upstream's raw reply, its name or our key. */
const UPSTREAM_PHRASES: Readonly<Record<UpstreamFailureKind, string>> = {
  no_numbers: 'no numbers available for this country right now.',
  no_balance: 'the provider cannot fill orders right now.',
  bad_key: 'the provider cannot fill orders right now.',
  bad_request: 'the provider refused the request.',
  not_found: 'the provider no longer knows this number.',
  price_changed: "the provider's price changed, please try again.",
  unavailable: 'the provider is not responding, please try again later.',
  unknown_outcome: 'no answer from the provider.',
};

export const RENTAL_REPLIES = {
  invalidKey: reply('401', 'Invalid API key.'),
  blocked: reply('403', 'Account is blocked or inactive.'),
  rateLimited: reply('429', 'Too many requests. Please slow down.'),
  // An unexpected failure: generic words, never the error's text (it is logged with its stack).
  internal: reply('500', 'Internal error: the request could not be completed. Please try again.'),
  badDuration: reply('400', 'Invalid duration_hours. Use 12, 24, 168, 720, 4320 or 8640.'),
  noPricing: reply('404', 'No pricing found for this country and provider.'),
  noPricingForDuration: reply('404', 'No pricing found for this country, provider and duration.'),
  insufficientBalance: reply('402', 'Insufficient balance.'),
  rentalNotFound: reply('404', 'Rental not found or does not belong to you.'),
  notActive: reply('400', 'Rental is not active yet and cannot be renewed.'),
  expired: reply('400', 'Rental has expired and can no longer be renewed. Rent a new number instead.'),
  database: reply('500', 'Database error: the order could not be saved. Your balance was not deducted.'),
  unknownAction: (action: string) => reply('400', `Unknown action: ${action}`),
  missingParam: (param: string) => reply('400', `${param} is required.`),
  badProvider: (known: readonly (number | string)[]) =>
    reply('400', `Invalid provider. Use ${known.map((id) => `provider=${id}`).join(' or ')}.`),
  monthlyOnly: (server: string) =>
    reply('400', `${server} only supports monthly durations (720, 4320 or 8640 hours).`),
  serverUnavailable: (server: string) => reply('503', `${server} is currently unavailable.`),
  /** `phrase` is one of UPSTREAM_PHRASES (the docs pass a placeholder). */
  upstream: (server: string, phrase: string, refunded: boolean) =>
    reply('502', `${server} error: ${phrase}${refunded ? ' Nothing was charged.' : ''}`),
  upstreamUnknown: (server: string) =>
    reply(
      '502',
      `${server} error: no answer from the provider. The payment is on hold and is refunded automatically within 15 minutes.`,
    ),
} as const;

/** The success messages of rentNumber and renewRental (the rest of those bodies is data). */
export const RENTAL_SUCCESS = {
  rented: 'Number rented successfully',
  renewed: 'Renewed successfully',
} as const;

export function upstreamPhrase(kind: UpstreamFailureKind): string {
  return UPSTREAM_PHRASES[kind];
}
