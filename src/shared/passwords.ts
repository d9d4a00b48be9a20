import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Passwords of operators and customers: scrypt (memory-hard, so a stolen table is slow to brute-force) with a
 * random salt each, stored as `scrypt$N$r$p$salt$hash`. The cost lives in the string, so raising it
 * keeps old hashes verifiable; `needsRehash` tells the login to store a new hash at today's cost.
 */
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

/** OWASP's current guidance for scrypt: 2^17 blocks of 1 KiB (128 MiB per hash), r=8, p=1. */
export const RECOMMENDED_SCRYPT_COST: Readonly<ScryptCost> = Object.freeze({ N: 2 ** 17, r: 8, p: 1 });

/** The most memory a stored hash may make one verification use; a larger one is malformed. */
const MAX_SCRYPT_MEMORY = 256 * 1024 * 1024;
const KEY_LENGTH = 32;

let currentCost: ScryptCost = RECOMMENDED_SCRYPT_COST;

/**
 * Tests only: a cheap cost so suites that create many logins stay fast. Production code never
 * calls this; a test asserts that hashes made without it use RECOMMENDED_SCRYPT_COST.
 */
export function usePasswordCostForTests(cost: ScryptCost): void {
  currentCost = { ...cost };
}

function memoryOf(cost: ScryptCost): number {
  return 128 * cost.N * cost.r * cost.p;
}

function derive(password: string, salt: Buffer, cost: ScryptCost): Promise<Buffer> {
  // Node refuses scrypt above `maxmem`; twice the working set leaves room for its own buffers.
  const options: ScryptOptions = { ...cost, maxmem: 2 * memoryOf(cost) + 1024 * 1024 };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

function formatHash(cost: ScryptCost, salt: Buffer, key: Buffer): string {
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** The cost and parts of a stored hash; null when it is not one this code made (or it is too costly). */
function parseHash(stored: string): { cost: ScryptCost; salt: Buffer; key: Buffer } | null {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return null;
  const [N = 0, r = 0, p = 0] = parts.slice(1, 4).map(Number);
  const isPowerOfTwo = Number.isInteger(N) && N > 1 && (N & (N - 1)) === 0;
  if (!isPowerOfTwo || !Number.isInteger(r) || !Number.isInteger(p) || r < 1 || p < 1) return null;
  const cost = { N, r, p };
  if (memoryOf(cost) > MAX_SCRYPT_MEMORY) return null;
  const key = Buffer.from(parts[5] ?? '', 'base64url');
  if (key.length !== KEY_LENGTH) return null;
  return { cost, salt: Buffer.from(parts[4] ?? '', 'base64url'), key };
}

export async function hashPassword(password: string, cost: ScryptCost = currentCost): Promise<string> {
  const salt = randomBytes(16);
  return formatHash(cost, salt, await derive(password, salt, cost));
}

/** Whether the password matches; constant-time compare; a malformed hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const actual = await derive(password, parsed.salt, parsed.cost);
  return timingSafeEqual(actual, parsed.key);
}

/** Whether a hash that just verified was made at another cost than today's (rehash it then). */
export function needsRehash(stored: string): boolean {
  const parsed = parseHash(stored);
  if (!parsed) return true;
  const { N, r, p } = parsed.cost;
  return N !== currentCost.N || r !== currentCost.r || p !== currentCost.p;
}

/**
 * A hash of no one's password at today's cost, verified against when the email is unknown so
 * timing does not tell (the all-zero key matches no password).
 */
export function dummyPasswordHash(): string {
  return formatHash(currentCost, Buffer.alloc(16), Buffer.alloc(KEY_LENGTH));
}
