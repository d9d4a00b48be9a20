import { wordTable } from '../http/reply-words.js';

/**
 * Every reply /stubs/handler_api.php sends, in one place: the fixed words, and the replies with
 * a variable part as functions. The handlers answer only from here, and the docs catalogue
 * (src/docs/catalog/sms-api.ts) documents these same constants, so docs and wire cannot drift.
 */
export const SMS_WORDS = wordTable(
  'BAD_KEY',
  'ACCOUNT_BLOCKED',
  'BAD_ACTION',
  'BAD_SERVICE',
  'BAD_COUNTRY',
  'BAD_TYPE',
  'BAD_ID',
  'BAD_STATUS',
  'NO_BALANCE',
  'NO_ACTIVATION',
  'NO_NUMBERS',
  'STATUS_WAIT_CODE',
  'STATUS_CANCEL',
  'STATUS_ALREADY_CHANGED',
  'EARLY_CANCEL_DENIED',
  'NO_SMS_RECEIVED',
  'ERROR_PRICE_CHANGE',
  'ACCESS_READY',
  'ACCESS_FINISH',
  // Not in the reference: a distinct word so clients can back off instead of treating it as a failure.
  'TOO_MANY_REQUESTS',
  // Not in the reference's table; SMS-Activate clients already know it for a server-side failure.
  'ERROR_SQL',
  // SMS-Activate's word for a malformed maxPrice (compatibility actions only).
  'BAD_DATA',
);

/** The replies with a variable part. */
export const smsReplies = {
  balance: (pkr: string) => `ACCESS_BALANCE:${pkr}`,
  number: (orderId: string, phone: string) => `ACCESS_NUMBER:${orderId}:${phone}`,
  code: (code: string) => `STATUS_OK:${code}`,
  /** `type` is the provider type 1-6; `raw` the upstream's reply on one line. */
  providerError: (type: number | string, raw: string) => `ERROR_PROVIDER_${type}:${raw}`,
  /** SMS-Activate compatibility: our price was above the caller's maxPrice. */
  wrongMaxPrice: (pricePkr: string) => `WRONG_MAX_PRICE:${pricePkr}`,
  fullSms: (smsText: string) => `FULL_SMS:${smsText}`,
  /** SMS-Activate compatibility: getActiveActivations with nothing active (JSON). */
  noActivations: () => ({ status: 'error', error: 'NO_ACTIVATIONS' }),
  /** SMS-Activate compatibility: getOperators for a country the catalogue does not have (JSON). */
  noOperators: () => ({ status: 'error', error: 'OPERATORS_NOT_FOUND' }),
} as const;
