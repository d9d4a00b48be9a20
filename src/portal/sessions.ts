import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** Who a valid session cookie says the visitor is. */
export interface SessionClaims {
  accountId: number;
  /** Must equal customer_logins.session_version, or the session was ended. */
  version: number;
  expiresAt: number;
}

export const SESSION_COOKIE = 'og_session';
export const CSRF_COOKIE = 'og_csrf';
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

function sign(secret: Buffer, purpose: string, data: string): string {
  return createHmac('sha256', secret).update(`${purpose}\n${data}`).digest('base64url');
}

function equalText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** `accountId.version.expiresAt.signature`: readable claims, unforgeable without the secret. */
export function issueSessionCookie(secret: Buffer, claims: SessionClaims): string {
  const data = `${claims.accountId}.${claims.version}.${claims.expiresAt}`;
  return `${data}.${sign(secret, 'session', data)}`;
}

/** The claims of a well-signed, unexpired cookie; null for anything else. */
export function readSessionCookie(
  secret: Buffer,
  cookie: string | undefined,
  now: number,
): SessionClaims | null {
  if (!cookie) return null;
  const match = /^(\d{1,15})\.(\d{1,9})\.(\d{1,15})\.([A-Za-z0-9_-]{43})$/.exec(cookie);
  if (!match) return null;
  const [, account, version, expires, signature] = match;
  if (!equalText(sign(secret, 'session', `${account}.${version}.${expires}`), signature ?? '')) return null;
  const claims = { accountId: Number(account), version: Number(version), expiresAt: Number(expires) };
  return claims.expiresAt > now ? claims : null;
}

/** A fresh random value for the CSRF cookie. */
export function newCsrfSeed(): string {
  return randomBytes(18).toString('base64url');
}

/**
 * The token forms carry: an HMAC of the visitor's CSRF cookie and account (0 when signed out).
 * Another site can make the browser send the cookie but cannot read it or compute the token, and
 * a token from before sign-in does not work after it.
 */
export function csrfToken(secret: Buffer, seed: string, accountId: number | null): string {
  return sign(secret, 'csrf', `${seed}.${accountId ?? 0}`);
}

export function isValidCsrfToken(
  secret: Buffer,
  seed: string | undefined,
  accountId: number | null,
  token: string | undefined,
): boolean {
  if (!seed || !token) return false;
  return equalText(csrfToken(secret, seed, accountId), token);
}
