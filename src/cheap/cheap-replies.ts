import { wordTable } from '../http/reply-words.js';

/**
 * Every reply /stubs/cheap_handler.php sends (the reference's Cheap Numbers API), in one place:
 * the fixed words, and the replies with a variable part as functions. The docs catalogue
 * (src/docs/catalog/cheap-api.ts) documents these same constants, so docs and wire cannot drift.
 */
export const CHEAP_WORDS = wordTable(
  'LOW_BALANCE',
  'BAD_SERVER',
  'BAD_TYPE',
  'NO_NUMBERS',
  'NO_SERVERS',
  'NO_SERVICES',
  'NO_ACTIVATION',
  'DATABASE_ERROR',
  'BAD_ID',
  'BAD_STATUS',
  'STATUS_WAIT_CODE',
  'STATUS_CANCEL',
  'ACCESS_READY',
  'ACCESS_FINISH',
  'EARLY_CANCEL_DENIED',
  'NO_SMS_RECEIVED',
  'BAD_KEY',
  'ACCOUNT_BLOCKED',
  'BAD_ACTION',
  // Not in the reference; a distinct word so clients can back off instead of treating it as a failure.
  'TOO_MANY_REQUESTS',
);

/** The replies with a variable part. */
export const cheapReplies = {
  balance: (pkr: string) => `ACCESS_BALANCE:${pkr}`,
  /** buyNumber's success: `ORD_…,phone,seconds left`. */
  bought: (orderId: string, phone: string, expiresInSeconds: number | string) =>
    `${orderId},${phone},${expiresInSeconds}`,
  code: (code: string) => `STATUS_OK:${code}`,
} as const;
