import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.js';
import { CatalogAdminError } from '../catalog/catalog-admin-error.js';
import { EmailCatalogAdminError } from '../emails/email-catalog-admin.service.js';
import { ContractViolation } from '../http/contract/contract-route.js';
import { cookieOptions, readCookie } from '../http/cookies.js';
import { RentalAdminError } from '../rentals/rental-admin.service.js';
import { parsePkr } from '../shared/money.js';
import {
  AccountNotFoundError,
  DuplicateLedgerEntryError,
  InsufficientBalanceError,
} from '../wallet/wallet.repository.js';
import type { Actor } from './audit.repository.js';
import type { Operator } from './operators.repository.js';
import { authenticateOperator, OperatorError } from './operators.service.js';
import { PriceConfigError } from './prices-admin.service.js';
import { TopupError } from './topups.service.js';
import { UpstreamConfigError } from './upstreams-admin.service.js';

/** The console cookie. HttpOnly + SameSite=Strict: scripts cannot read it and other sites cannot send it. */
export const SESSION_COOKIE = 'otpget_admin';

/** A refusal with an HTTP status and a message safe to show the operator. */
export class AdminHttpError extends Error {
  override name = 'AdminHttpError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new AdminHttpError(404, `${what} not found`);
export const badRequest = (message: string) => new AdminHttpError(400, message);

/** The console cookie's attributes: only /admin, SameSite=Strict; Max-Age 0 clears it. */
export function consoleCookie(ctx: AppContext, request: FastifyRequest, maxAgeSeconds: number) {
  return cookieOptions(ctx.config, request, { path: '/admin', sameSite: 'strict', maxAgeSeconds });
}

/** The session token of a request and where it came from (bearer header or console cookie). */
export function sessionToken(request: FastifyRequest): { token: string; via: 'bearer' | 'cookie' } | null {
  const authorization = request.headers.authorization;
  if (authorization?.startsWith('Bearer ')) return { token: authorization.slice(7).trim(), via: 'bearer' };
  const cookie = readCookie(request, SESSION_COOKIE);
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

const operators = new WeakMap<FastifyRequest, Operator>();

/**
 * The preValidation hook of every protected admin route (before the schemas, so a request without
 * a session learns nothing about a route's shape): 401 without a live operator session. A customer
 * API key is not a session token, so it is refused like any unknown token. Mutations made with
 * the cookie must be JSON, which a cross-site form cannot send (defence in depth beside SameSite).
 */
export function requireOperator(ctx: AppContext) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const found = sessionToken(request);
    const operator = found ? await authenticateOperator(ctx.db, ctx.clock, found.token) : null;
    if (!operator) return reply.status(401).send({ error: 'operator login required' });
    if (
      found?.via === 'cookie' &&
      request.method !== 'GET' &&
      !String(request.headers['content-type'] ?? '').startsWith('application/json')
    ) {
      return reply.status(415).send({ error: 'console changes must be sent as JSON' });
    }
    operators.set(request, operator);
  };
}

/** The signed-in operator as the audit log's actor. */
export function actorOf(request: FastifyRequest): Actor {
  const operator = operators.get(request);
  if (!operator) throw new AdminHttpError(401, 'operator login required');
  // request.ip is the client's own address when the request came through a trusted proxy.
  return { operatorId: operator.id, name: operator.email, address: request.ip };
}

export function operatorOf(request: FastifyRequest): Operator {
  const operator = operators.get(request);
  if (!operator) throw new AdminHttpError(401, 'operator login required');
  return operator;
}

/** Maps known refusals to statuses; anything else is logged and answered with a generic 500. */
export function adminErrorHandler(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof AdminHttpError) return reply.status(error.status).send({ error: error.message });
  // Refusals worded for the operator (the same ones the CLI prints).
  if (
    error instanceof OperatorError ||
    error instanceof PriceConfigError ||
    error instanceof CatalogAdminError ||
    error instanceof RentalAdminError ||
    error instanceof EmailCatalogAdminError
  ) {
    return reply.status(400).send({ error: error.message });
  }
  if (error instanceof TopupError || error instanceof UpstreamConfigError) {
    const status = { invalid: 400, not_found: 404, duplicate: 409, already_decided: 409 }[error.code];
    return reply.status(status).send({ error: error.message });
  }
  if (error instanceof InsufficientBalanceError) {
    return reply.status(409).send({ error: 'the balance does not cover this debit' });
  }
  if (error instanceof DuplicateLedgerEntryError) {
    return reply.status(409).send({ error: `reference "${error.reference}" was used before` });
  }
  if (error instanceof AccountNotFoundError) return reply.status(404).send({ error: 'account not found' });
  if (error instanceof ContractViolation) return reply.status(400).send({ error: error.message });
  const status = (error as { statusCode?: number }).statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return reply.status(status).send({ error: 'bad request' });
  }
  request.log.error({ err: error }, 'admin request failed');
  return reply.status(500).send({ error: 'internal error' });
}

/** A validated optional text field, trimmed; absent, null and blank all mean none. */
export function text(value: string | null | undefined): string | null {
  return value?.trim() || null;
}

/** A validated required text field, trimmed; refused when only blanks were sent. */
export function requiredText(value: string, name: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw badRequest(`${name} is required`);
  return trimmed;
}

/** A positive PKR amount given as a decimal string ("500", "12.50") or a number of whole PKR → paisa. */
export function amountPaisa(raw: string | number, name = 'amount'): number {
  const paisa = Number.isInteger(raw) || typeof raw === 'string' ? parsePkr(String(raw)) : null;
  if (paisa === null || paisa === 0) {
    throw badRequest(`${name} must be a positive PKR amount like "500" or "12.50"`);
  }
  return paisa;
}

export function limitParam(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d{1,6}$/.test(raw)) throw badRequest('limit must be a whole number');
  return Math.min(Math.max(Number(raw), 1), max);
}
