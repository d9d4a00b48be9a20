import { RENTAL_REPLIES as R, type RentalReply } from '../../rentals/rental-replies.js';
import type { ApiDoc, ErrorDoc, ParamDoc } from './catalog-types.js';

/** A documented row from a reply of the wire module's table. */
function row(reply: RentalReply, when: string, pattern?: string): ErrorDoc {
  return { status: reply.status, reply: reply.message, when, ...(pattern ? { pattern } : {}) };
}

/**
 * /stubs/rental-handler.php's failures, as the reference's error table lists them, built from the
 * wire module's own replies (src/rentals/rental-replies.ts); replies with a variable part show
 * their placeholders, and a pattern every real message of the row matches.
 */
export const rentalErrors = {
  invalidKey: row(R.invalidKey, 'Invalid or missing API key'),
  blocked: row(R.blocked, 'Account suspended'),
  unknownAction: row(R.unknownAction('…'), 'Unrecognized action value'),
  missingParam: row(
    R.missingParam('country_code / provider / duration_hours'),
    'Missing required params',
    `^${R.missingParam('[a-z_]+').message.replace('.', '\\.')}$`,
  ),
  monthlyOnly: row(
    R.monthlyOnly('Server 2'),
    'Server 2: only 720, 4320, 8640 accepted',
    `^Server \\d+ only supports monthly durations`,
  ),
  insufficientBalance: row(R.insufficientBalance, 'Balance too low'),
  noPricing: {
    ...row(R.noPricing, 'No pricing for that country/provider/duration'),
    reply: `${R.noPricing.message} / ${R.noPricingForDuration.message}`,
  },
  rentalNotFound: row(R.rentalNotFound, 'Wrong rental_id on renewRental'),
  serverUnavailable: row(
    R.serverUnavailable('Server 1/2'),
    'Provider disabled by admin',
    `^Server [12] is currently unavailable\\.$`,
  ),
  upstream: row(R.upstream('Server 1/2', '…', false), 'Upstream provider error', '^Server [12] error: '),
  database: row(R.database, 'DB transaction failed — balance not deducted'),
  badProvider: row(
    R.badProvider(['1', '2']),
    'otpget: provider is not a server of this install',
    '^Invalid provider\\. Use provider=\\d+( or provider=\\d+)*\\.$',
  ),
  badDuration: row(R.badDuration, 'otpget: duration_hours is not 12, 24, 168, 720, 4320 or 8640'),
  notActive: row(R.notActive, 'otpget: renewRental on a rental still being set up'),
  expired: row(R.expired, 'otpget: renewRental after the expiry'),
  rateLimited: row(
    R.rateLimited,
    'otpget: more requests per second than allowed — wait for the Retry-After header',
  ),
  internal: row(R.internal, 'otpget: unexpected server failure — try again'),
} as const satisfies Record<string, ErrorDoc>;

const PROVIDER: ParamDoc = {
  name: 'provider',
  type: 'int',
  required: true,
  description: '1 = Server 1 | 2 = Server 2',
  example: '2',
};
const COUNTRY: ParamDoc = {
  name: 'country_code',
  type: 'string',
  required: true,
  description: 'Country code from getRentalCountries, e.g. ca',
  example: 'ca',
};
const DURATION: ParamDoc = {
  name: 'duration_hours',
  type: 'int',
  required: true,
  description: '12 · 24 · 168 · 720 · 4320 · 8640 (Server 2: 720, 4320, 8640 only)',
  example: '720',
};

/** The Rental Number API: numbers from 12 hours to a year with an SMS inbox; JSON replies. */
export const rentalApi: ApiDoc = {
  id: 'rental',
  title: 'Rental Number API',
  path: '/stubs/rental-handler.php',
  format: 'json',
  intro: [
    'Rent long-term numbers with an SMS inbox. Every reply is JSON; check status === "200" (a string) for success.',
    'Provider values: provider=1 = Server 1 | provider=2 = Server 2. duration_hours: 12 · 24 · 168 · 720 · 4320 · 8640.',
  ],
  common: {
    badKey: 'invalidKey',
    blocked: 'blocked',
    badAction: 'unknownAction',
    rateLimited: 'rateLimited',
    internalError: 'internal',
  },
  errors: rentalErrors,
  actions: [
    {
      name: 'getRentalCountries',
      title: 'Get Rental Countries',
      summary: 'List all countries available for rental. Filter by provider or omit to get all servers.',
      params: [{ ...PROVIDER, required: false }],
      replies: [
        {
          label: 'JSON RESPONSE',
          body: '{"status":"200","countries":[\n  {"id":"1","provider":"2","name":"Canada","country_code":"ca"},\n  {"id":"6","provider":"2","name":"United States of America","country_code":"us"}\n]}',
        },
      ],
      errors: ['serverUnavailable'],
    },
    {
      name: 'getRentalPricing',
      title: 'Get Rental Pricing',
      summary: 'Get all available pricing tiers for a country.',
      params: [COUNTRY, PROVIDER],
      replies: [
        {
          label: 'JSON RESPONSE',
          body: '{"status":"200","pricing":[\n  {"id":"1","duration_hours":"720","price":"840.00","country_name":"Canada"},\n  {"id":"2","duration_hours":"4320","price":"5040.00","country_name":"Canada"}\n]}',
        },
      ],
      errors: ['missingParam', 'noPricing', 'serverUnavailable'],
    },
    {
      name: 'getAvailableRentals',
      title: 'Check Availability',
      summary: 'Check live stock availability for a country before buying.',
      params: [COUNTRY, PROVIDER],
      replies: [
        {
          label: 'JSON RESPONSE',
          body: '{"status":"200","available":[\n  {"area_code":"ca","area_title":"Canada","available":3338,"min_month":1}\n]}',
        },
      ],
      errors: ['missingParam', 'serverUnavailable', 'upstream'],
    },
    {
      name: 'rentNumber',
      title: 'Rent a Number',
      summary:
        'Purchase a phone number for rental. Check getRentalPricing first to confirm valid duration_hours.',
      spends: true,
      params: [COUNTRY, PROVIDER, DURATION],
      replies: [
        {
          label: 'SUCCESS RESPONSE',
          body: '{"status":"200","message":"Number rented successfully",\n "phone":"3434337545","order_id":"2673093356180000583",\n "duration_hours":720,"price_paid":"840.00","new_balance":"4220.00",\n "expires":"2026-04-09 21:55:55"}',
        },
      ],
      errors: [
        'missingParam',
        'badProvider',
        'badDuration',
        'monthlyOnly',
        'insufficientBalance',
        'noPricing',
        'serverUnavailable',
        'upstream',
        'database',
      ],
    },
    {
      name: 'getMyRentals',
      title: 'Get My Rentals',
      summary: 'List all your rented numbers. Use order_id to fetch SMS. Use id to renew.',
      params: [],
      replies: [
        {
          label: 'JSON RESPONSE',
          body: '{"status":"200","total":5,"rentals":[{\n "id":"27","server":"Server 2","phone_number":"3434337545",\n "order_id":"2673093356180000583","status":"active",\n "country_code":"ca","expiry_time":"2026-04-09 21:55:55"\n}]}',
        },
      ],
      errors: [],
    },
    {
      name: 'getRentalSMS',
      title: 'Get Rental SMS',
      summary:
        'Fetch all SMS messages received on a rented number. Use order_id from rentNumber or getMyRentals.',
      params: [
        {
          name: 'order_id',
          type: 'string',
          required: true,
          description: 'order_id from rentNumber or getMyRentals',
          example: '2673093356180000583',
        },
      ],
      replies: [
        {
          label: 'JSON RESPONSE',
          body: '{"status":"200","phone_number":"5812822291","total":1,"messages":[{\n "from":"Server 2","text":"Your WhatsApp code 740-279","code":"","timestamp":"2026-03-09T20:57:32Z"\n}]}',
        },
      ],
      errors: ['missingParam', 'rentalNotFound'],
    },
    {
      name: 'renewRental',
      title: 'Renew Rental',
      summary: 'Extend the rental period on an active number. Use id from getMyRentals as rental_id.',
      spends: true,
      params: [
        { name: 'rental_id', type: 'int', required: true, description: 'id from getMyRentals', example: '5' },
        DURATION,
      ],
      replies: [
        {
          label: 'SUCCESS RESPONSE',
          body: '{"status":"200","message":"Renewed successfully","rental_id":27,\n "phone_number":"3434337545","duration_hours":720,\n "price_paid":"840.00","new_balance":"3440.00","new_expiry":"2026-05-09 21:55:55"}',
        },
      ],
      errors: [
        'missingParam',
        'badDuration',
        'monthlyOnly',
        'insufficientBalance',
        'noPricing',
        'rentalNotFound',
        'notActive',
        'expired',
        'upstream',
        'database',
      ],
    },
  ],
};
