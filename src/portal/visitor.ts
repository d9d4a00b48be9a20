import type { FastifyReply, FastifyRequest } from 'fastify';
import { type Account, findAccount } from '../accounts/accounts.repository.js';
import type { AppContext } from '../app-context.js';
import { cookieOptions, readCookie } from '../http/cookies.js';
import { findLoginByAccount } from './customer-logins.repository.js';
import {
  CSRF_COOKIE,
  csrfToken,
  issueSessionCookie,
  isValidCsrfToken,
  newCsrfSeed,
  readSessionCookie,
  SESSION_COOKIE,
  SESSION_TTL_MS,
} from './sessions.js';

/** The person behind a browser request: signed in (with their account) or not, and their CSRF token. */
export interface Visitor {
  account: Account | null;
  email: string | null;
  /** The token every form and JSON POST of this visitor must carry. */
  csrf: string;
  csrfSeed: string;
}

/** What the portal routes share: the app context and the signing secret. */
export interface PortalDeps {
  ctx: AppContext;
  secret: Buffer;
}

/** The portal's cookies: whole site, SameSite=Lax so a link from a mail still arrives signed in. */
function portalCookie(deps: PortalDeps, request: FastifyRequest, maxAgeSeconds?: number) {
  return cookieOptions(deps.ctx.config, request, {
    path: '/',
    sameSite: 'lax',
    ...(maxAgeSeconds !== undefined ? { maxAgeSeconds } : {}),
  });
}

/**
 * Reads the session and CSRF cookies. A session counts only when its signature is right, it has
 * not expired, and its version still matches the login's (logout bumps it). A visitor without a
 * CSRF cookie gets one now, so the form on this very page works.
 */
export async function loadVisitor(
  deps: PortalDeps,
  request: FastifyRequest,
  reply: FastifyReply,
): Promise<Visitor> {
  let seed = readCookie(request, CSRF_COOKIE);
  if (!seed || !/^[A-Za-z0-9_-]{24}$/.test(seed)) {
    seed = newCsrfSeed();
    reply.setCookie(CSRF_COOKIE, seed, portalCookie(deps, request));
  }
  let account: Account | null = null;
  let email: string | null = null;
  const claims = readSessionCookie(deps.secret, readCookie(request, SESSION_COOKIE), deps.ctx.clock.now());
  if (claims) {
    const login = await findLoginByAccount(deps.ctx.db, claims.accountId);
    if (login && login.sessionVersion === claims.version) {
      account = await findAccount(deps.ctx.db, claims.accountId);
      email = login.email;
    }
  }
  return { account, email, csrfSeed: seed, csrf: csrfToken(deps.secret, seed, account?.id ?? null) };
}

/** Whether a POST carries this visitor's token (form field `_csrf` or header `x-csrf-token`). */
export function hasValidCsrf(deps: PortalDeps, visitor: Visitor, request: FastifyRequest): boolean {
  const body = request.body as Record<string, unknown> | undefined;
  const fromForm = typeof body?._csrf === 'string' ? body._csrf : undefined;
  const fromHeader = request.headers['x-csrf-token'];
  const token = fromForm ?? (typeof fromHeader === 'string' ? fromHeader : undefined);
  return isValidCsrfToken(deps.secret, visitor.csrfSeed, visitor.account?.id ?? null, token);
}

/** Signs the visitor in: a session cookie for the account at its current session version. */
export function startSession(
  deps: PortalDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  session: { accountId: number; sessionVersion: number },
): void {
  const expiresAt = deps.ctx.clock.now() + SESSION_TTL_MS;
  const value = issueSessionCookie(deps.secret, {
    accountId: session.accountId,
    version: session.sessionVersion,
    expiresAt,
  });
  reply.setCookie(SESSION_COOKIE, value, portalCookie(deps, request, SESSION_TTL_MS / 1000));
}

export function clearSession(deps: PortalDeps, request: FastifyRequest, reply: FastifyReply): void {
  reply.setCookie(SESSION_COOKIE, '', portalCookie(deps, request, 0));
}
