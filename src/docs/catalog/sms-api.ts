import { smsReplies, SMS_WORDS as W } from '../../sms/sms-replies.js';
import type { ApiDoc, ErrorDoc } from './catalog-types.js';
import { smsActivateCompatDocs } from './sms-activate-compat-api.js';

/**
 * /stubs/handler_api.php's failure words, as the reference's error table lists them, built from
 * the wire module's own table (src/sms/sms-replies.ts): every word of SMS_WORDS but the success
 * words (documented as setStatus' replies) must have a row, or this does not compile.
 */
type SuccessWord = 'ACCESS_READY' | 'ACCESS_FINISH';

export const smsErrors = {
  BAD_KEY: { reply: W.BAD_KEY, when: 'API key missing, invalid or blocked account' },
  ACCOUNT_BLOCKED: { reply: W.ACCOUNT_BLOCKED, when: 'Account suspended by admin' },
  BAD_ACTION: { reply: W.BAD_ACTION, when: 'Unknown action parameter' },
  BAD_SERVICE: { reply: W.BAD_SERVICE, when: 'Service code not found for given country/type' },
  BAD_COUNTRY: { reply: W.BAD_COUNTRY, when: 'Country ID not found or missing' },
  BAD_TYPE: { reply: W.BAD_TYPE, when: 'Provider type must be 1–6' },
  BAD_ID: { reply: W.BAD_ID, when: 'Order ID missing on getStatus/setStatus' },
  BAD_STATUS: { reply: W.BAD_STATUS, when: 'Status value not 3, 6 or 8' },
  NO_BALANCE: { reply: W.NO_BALANCE, when: 'Insufficient wallet balance' },
  NO_ACTIVATION: { reply: W.NO_ACTIVATION, when: "Order ID not found or doesn't belong to you" },
  STATUS_WAIT_CODE: { reply: W.STATUS_WAIT_CODE, when: 'SMS not received yet — keep polling' },
  STATUS_OK: { reply: smsReplies.code('CODE'), when: 'SMS received — code after the colon' },
  STATUS_CANCEL: { reply: W.STATUS_CANCEL, when: 'Activation cancelled — no SMS available' },
  STATUS_ALREADY_CHANGED: {
    reply: W.STATUS_ALREADY_CHANGED,
    when: 'setStatus already called for this order',
  },
  EARLY_CANCEL_DENIED: { reply: W.EARLY_CANCEL_DENIED, when: 'Cancel attempted within first 2 minutes' },
  NO_SMS_RECEIVED: { reply: W.NO_SMS_RECEIVED, when: 'Tried to complete (3/6) but no OTP yet' },
  ERROR_PRICE_CHANGE: {
    reply: W.ERROR_PRICE_CHANGE,
    when: 'Provider price exceeded your balance — auto-cancelled',
  },
  ERROR_PROVIDER: {
    reply: smsReplies.providerError('1..6', '…'),
    when: 'Upstream provider error — raw response appended after colon',
    pattern: `^${smsReplies.providerError('[1-6]', '')}`,
  },
  NO_NUMBERS: {
    reply: W.NO_NUMBERS,
    when: 'otpget: the provider has no number for this service right now (nothing charged)',
  },
  TOO_MANY_REQUESTS: {
    reply: W.TOO_MANY_REQUESTS,
    when: 'otpget: more requests per second than allowed — wait for the Retry-After header',
  },
  ERROR_SQL: { reply: W.ERROR_SQL, when: 'otpget: unexpected server failure — try again' },
  BAD_DATA: { reply: W.BAD_DATA, when: 'otpget (SMS-Activate compatibility): maxPrice is not an amount' },
  WRONG_MAX_PRICE: {
    reply: smsReplies.wrongMaxPrice('PRICE'),
    when: 'otpget (SMS-Activate compatibility): our price is above maxPrice — nothing charged',
    pattern: `^${smsReplies.wrongMaxPrice('')}\\d+\\.\\d\\d$`,
  },
} as const satisfies Record<Exclude<keyof typeof W, SuccessWord>, ErrorDoc> & Record<string, ErrorDoc>;

const TYPE = {
  name: 'type',
  type: 'int',
  required: true,
  description: 'Provider (1–6)',
  example: '1',
} as const;

/** The SMS OTP API: numbers for one code, plain-text replies. */
export const smsApi: ApiDoc = {
  id: 'sms',
  title: 'SMS OTP API',
  path: '/stubs/handler_api.php',
  format: 'text',
  jsonActions: [
    'getCountries',
    'getServices',
    'getNumberV2',
    'getStatusV2',
    'getActiveActivations',
    'getPrices',
    'getNumbersStatus',
  ],
  intro: [
    'Buy a virtual phone number for one verification code. Most actions answer in plain text; getCountries and getServices answer in JSON.',
  ],
  common: {
    badKey: W.BAD_KEY,
    blocked: W.ACCOUNT_BLOCKED,
    badAction: W.BAD_ACTION,
    rateLimited: W.TOO_MANY_REQUESTS,
    internalError: W.ERROR_SQL,
  },
  errors: smsErrors,
  actions: [
    {
      name: 'getBalance',
      title: 'Get Balance',
      summary: 'Check your account balance in PKR.',
      params: [],
      replies: [{ label: 'PLAIN TEXT RESPONSE', body: smsReplies.balance('500.00') }],
      errors: [],
    },
    {
      name: 'getCountries',
      title: 'Get Countries',
      summary: 'List all available countries. You can filter by provider type (1, 2, 3, 4, 5 or 6).',
      params: [{ ...TYPE, required: false, description: 'Provider (1–6); omit for all providers' }],
      replies: [
        {
          label: 'JSON RESPONSE',
          body: '{"1": [\n  {"id": "33", "name": "Canada"},\n  {"id": "61", "name": "Pakistan"}\n],\n"2": [ ... ]}',
        },
      ],
      errors: ['BAD_TYPE'],
    },
    {
      name: 'getServices',
      title: 'Get Services',
      summary: 'Get available services for a specific country and provider.',
      params: [
        {
          name: 'country',
          type: 'int',
          required: true,
          description: 'Country ID from getCountries',
          example: '61',
        },
        TYPE,
      ],
      replies: [
        {
          label: 'JSON RESPONSE',
          body: '{"101": "Telegram - 45 PKR",\n"102": "WhatsApp - 60 PKR",\n"103": "Instagram - 55 PKR"}',
        },
      ],
      errors: ['BAD_COUNTRY', 'BAD_TYPE'],
    },
    {
      name: 'getNumber',
      title: 'Request Number',
      summary: 'Order a new phone number to receive SMS. This will deduct PKR from your balance.',
      spends: true,
      params: [
        {
          name: 'service',
          type: 'string',
          required: true,
          description: 'Numeric DB ID from getServices e.g. 101, 102',
          example: '101',
        },
        {
          name: 'country',
          type: 'int',
          required: true,
          description: 'Country ID from getCountries — e.g. 61 (Pakistan), 12 (USA)',
          example: '61',
        },
        TYPE,
      ],
      replies: [
        {
          label: 'PLAIN TEXT — SUCCESS',
          body: smsReplies.number('order_id', 'phone_number'),
          shape: '^ACCESS_NUMBER:[^:\\s]+:\\d{6,15}$',
        },
      ],
      errors: [
        'BAD_SERVICE',
        'BAD_COUNTRY',
        'BAD_TYPE',
        'NO_BALANCE',
        'NO_NUMBERS',
        'ERROR_PRICE_CHANGE',
        'ERROR_PROVIDER',
      ],
    },
    {
      name: 'getStatus',
      title: 'Get Activation Status',
      summary: 'Check if an SMS has been received for an order ID.',
      params: [
        {
          name: 'id',
          type: 'string',
          required: true,
          description: 'Order ID from getNumber',
          example: 'abc123xyz',
        },
      ],
      replies: [
        { label: 'WAITING', body: W.STATUS_WAIT_CODE },
        { label: 'RECEIVED', body: smsReplies.code('$code') },
        { label: 'CANCELLED', body: W.STATUS_CANCEL },
      ],
      errors: ['BAD_ID', 'NO_ACTIVATION'],
    },
    {
      name: 'setStatus',
      title: 'Set Activation Status',
      summary:
        'Complete a successful activation (status 3 or 6 — OTP must already be received), or cancel for a refund (status 8 — only after 2 minutes, no OTP received).',
      params: [
        {
          name: 'id',
          type: 'string',
          required: true,
          description: 'Order ID from getNumber',
          example: 'abc123xyz',
        },
        {
          name: 'status',
          type: 'int',
          required: true,
          description:
            '3 or 6 = complete (OTP received); 8 = cancel and refund (after 2 minutes, no SMS yet)',
          example: '8',
        },
      ],
      replies: [
        { label: 'COMPLETE (3 or 6)', body: W.ACCESS_FINISH },
        { label: 'CANCEL & REFUND (8) — balance refunded', body: W.ACCESS_READY },
      ],
      errors: [
        'BAD_ID',
        'BAD_STATUS',
        'NO_ACTIVATION',
        'EARLY_CANCEL_DENIED',
        'NO_SMS_RECEIVED',
        'STATUS_ALREADY_CHANGED',
      ],
    },
    ...smsActivateCompatDocs,
  ],
};
