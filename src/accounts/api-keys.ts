import { createHash, randomBytes } from 'node:crypto';

/**
 * API keys are 32 random characters behind a recognisable prefix. Only their SHA-256 is stored:
 * the keys carry 190 bits of randomness, so a fast hash is enough and keeps the per-request check cheap.
 * Lookups go by hash, so comparing a guess never compares secret bytes (no timing leak).
 */
export function generateApiKey(): string {
  return `og_${randomBytes(24).toString('base64url')}`;
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** What a list shows of a key: enough to tell keys apart, useless to an attacker. */
export function keyPrefix(key: string): string {
  return key.slice(0, 7);
}
