import type { CookieSerializeOptions } from '@fastify/cookie';
import type { FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { needsSecureCookies } from './client-address.js';

/**
 * The attributes of every cookie otpget sets (portal session and CSRF, console session), written
 * and read through @fastify/cookie: HttpOnly always (no script needs them), the SameSite and path
 * the caller asks for, and `Secure` whenever the request is HTTPS (see needsSecureCookies).
 */
export function cookieOptions(
  config: Pick<Config, 'publicUrl'>,
  request: FastifyRequest,
  options: { path: string; sameSite: 'lax' | 'strict'; maxAgeSeconds?: number },
): CookieSerializeOptions {
  return {
    path: options.path,
    httpOnly: true,
    sameSite: options.sameSite,
    secure: needsSecureCookies(config, request.protocol),
    ...(options.maxAgeSeconds !== undefined ? { maxAge: options.maxAgeSeconds } : {}),
  };
}

/** A cookie of the request, or undefined; a malformed one is as good as absent to its reader. */
export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const value = request.cookies[name];
  return value === undefined || value === '' ? undefined : value;
}
