import { randomBytes, randomInt } from 'node:crypto';

/** Cheap order ids start with this, as in the reference (`ORD_6830abc123_741`). */
export const CHEAP_ID_PREFIX = 'ORD_';

/**
 * A customer-facing activation id for a line:
 * - sms: 13 random digits, first one not 0 (`4817302956114`). SMS-Activate clients parse ids with
 *   `(\d+)` or `parseInt`, so an id must be all digits; 13 of them (about 43 bits) stay exact in
 *   JavaScript, are not sequential (nothing about one id tells another), and ownership is checked
 *   on every call anyway, so guessing one is pointless.
 * - cheap: the reference's `ORD_<hex>_<n>` layout, 10 random hex digits and a number 100-999
 *   (`ORD_6830abc123_741`, about 50 bits).
 * Uniqueness is enforced by the database; the purchase retries with a fresh id on a collision.
 */
export function newActivationId(line: 'sms' | 'cheap'): string {
  if (line === 'cheap') return `${CHEAP_ID_PREFIX}${randomBytes(5).toString('hex')}_${randomInt(100, 1000)}`;
  // 10^12 ≤ id < 10^13: far below 2^53. randomInt's range is capped below 2^48, so the twelve
  // digits after the lead one are two draws of six.
  const six = () => String(randomInt(0, 1_000_000)).padStart(6, '0');
  return `${randomInt(1, 10)}${six()}${six()}`;
}

/**
 * Whether a parameter can be an activation id at all (saves a lookup for junk). Both forms are
 * accepted: today's digits and the 12-character ids of orders bought before (`k3v9q0x2m7ab`).
 */
export function isPlausiblePublicId(value: string): boolean {
  return /^[A-Za-z0-9_-]{1,64}$/.test(value);
}
