import { randomBytes } from 'node:crypto';

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';
const LENGTH = 12;

/**
 * A customer-facing activation id such as `k3v9q0x2m7ab`: 12 characters from [a-z0-9] (about 62
 * bits), so ids are not guessable from one another, fit `ACCESS_NUMBER:id:phone` (no colon) and
 * survive any URL or JSON unescaped. Uniqueness is enforced by the database; a collision is retried.
 */
export function newPublicId(prefix = ''): string {
  let id = prefix;
  while (id.length < prefix.length + LENGTH) {
    for (const byte of randomBytes(LENGTH)) {
      // 252 = 7 × 36: bytes above it are skipped so every character is equally likely.
      if (byte < 252 && id.length < prefix.length + LENGTH) id += ALPHABET[byte % 36];
    }
  }
  return id;
}

/** Whether a parameter can be an activation id at all (saves a lookup for junk). */
export function isPlausiblePublicId(value: string): boolean {
  return /^[A-Za-z0-9_-]{1,64}$/.test(value);
}
