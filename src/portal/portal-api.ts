import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ContractViolation, contractHandler, contractValidator } from '../http/contract/contract-route.js';
import { PORTAL_ROUTES } from './portal-contract.js';
import { hasValidCsrf, loadVisitor, type PortalDeps, type Visitor } from './visitor.js';

/** Registers a dashboard JSON route's handler against its contract (portal-contract.ts). */
export const handlePortal = contractHandler(PORTAL_ROUTES);

export type Fail = { status: number; error: string };

/** A refusal of the dashboard's JSON API: `{ ok: false, error }` in the customer's words. */
export const fail = (reply: FastifyReply, { status, error }: Fail) =>
  reply.status(status).send({ ok: false, error });

type SignedIn = Visitor & { account: NonNullable<Visitor['account']> };
const signedIn = new WeakMap<FastifyRequest, SignedIn>();

/** The signed-in visitor of a JSON call, or the reply already sent (401, or 403 for a bad token). */
async function jsonVisitor(
  deps: PortalDeps,
  request: FastifyRequest,
  reply: FastifyReply,
  isWrite: boolean,
): Promise<SignedIn | null> {
  const visitor = await loadVisitor(deps, request, reply);
  const account = visitor.account;
  if (!account) {
    await fail(reply, { status: 401, error: 'Your session has ended. Log in again.' });
    return null;
  }
  if (isWrite && !hasValidCsrf(deps, visitor, request)) {
    await fail(reply, { status: 403, error: 'This page has expired. Reload it and try again.' });
    return null;
  }
  return { ...visitor, account };
}

/** The visitor the scope's hook signed in (every route of the scope has one). */
export function visitorOf(request: FastifyRequest): SignedIn {
  const visitor = signedIn.get(request);
  if (!visitor) throw new Error('a dashboard JSON route ran without its visitor');
  return visitor;
}

/**
 * The scope the dashboard's JSON routes live in. Before a request is checked against its contract,
 * the visitor must be signed in (401) and, for a change, carry the page's CSRF token (403): a
 * signed-out or cross-site caller learns nothing about the shapes. A contract refusal is answered
 * 400 as `{ ok: false, error }` like every other refusal of this API; any other error goes on to
 * the app's own handler.
 */
export async function registerPortalApi(
  app: FastifyInstance,
  deps: PortalDeps,
  routes: (api: FastifyInstance) => void,
): Promise<void> {
  await app.register(async (api) => {
    api.setValidatorCompiler(contractValidator);
    api.addHook('preValidation', async (request, reply) => {
      const visitor = await jsonVisitor(deps, request, reply, request.method !== 'GET');
      if (!visitor) return reply;
      signedIn.set(request, visitor);
    });
    api.setErrorHandler(async (error, _request, reply) => {
      if (error instanceof ContractViolation) return fail(reply, { status: 400, error: error.message });
      throw error;
    });
    routes(api);
  });
}
