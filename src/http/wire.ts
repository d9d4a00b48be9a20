import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.js';
import { type Params, readParams } from './params.js';

/** A customer API reply: plain text (SMS and cheap APIs) or JSON (rental and email APIs), always HTTP 200. */
export type WireReply = { kind: 'text'; body: string } | { kind: 'json'; body: unknown };

export const text = (body: string): WireReply => ({ kind: 'text', body });
export const json = (body: unknown): WireReply => ({ kind: 'json', body });

/** One authenticated call of an action. */
export interface WireCall {
  params: Params;
  accountId: number;
  request: FastifyRequest;
}

export type ActionHandler = (call: WireCall) => Promise<WireReply>;

/**
 * A customer endpoint: its path, its actions, and the replies it gives for the failures every
 * action shares. The wire module owns every string it sends; services never see HTTP.
 */
export interface WireEndpoint {
  path: string;
  actions: Readonly<Record<string, ActionHandler>>;
  badKey: () => WireReply;
  blocked: () => WireReply;
  badAction: (action: string) => WireReply;
  /** Answer when a caller exceeds its rate limit. */
  rateLimited: () => WireReply;
  /** Answer to an unexpected failure: generic, never the error's text. */
  internalError: () => WireReply;
}

function send(reply: FastifyReply, wire: WireReply): FastifyReply {
  if (wire.kind === 'text') return reply.type('text/plain; charset=utf-8').send(wire.body);
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(wire.body));
}

/**
 * Serves an endpoint on GET and POST. Order of checks: the client address's rate limit, the key
 * (BAD_KEY), a blocked account (ACCOUNT_BLOCKED), the account's rate limit, then the action
 * (BAD_ACTION). A rate-limited caller gets HTTP 200 with the endpoint's own reply (so PHP's
 * file_get_contents still returns it) and a Retry-After header.
 */
export function registerWireEndpoint(app: FastifyInstance, ctx: AppContext, endpoint: WireEndpoint): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const params = readParams(request);
    try {
      const { rateLimitPerIp, rateLimitPerKey } = ctx.config;
      if (rateLimitPerIp > 0 && !(await ctx.rateLimiter.hit(`ip:${request.ip}`, rateLimitPerIp)).allowed) {
        return send(reply.header('retry-after', '1'), endpoint.rateLimited());
      }
      const caller = await ctx.auth.authenticate(params.api_key);
      if (!caller) return send(reply, endpoint.badKey());
      if (caller.status !== 'active') return send(reply, endpoint.blocked());
      if (
        rateLimitPerKey > 0 &&
        !(await ctx.rateLimiter.hit(`account:${caller.accountId}`, rateLimitPerKey)).allowed
      ) {
        return send(reply.header('retry-after', '1'), endpoint.rateLimited());
      }
      const action = params.action ?? '';
      const run = Object.hasOwn(endpoint.actions, action) ? endpoint.actions[action] : undefined;
      if (!run) return send(reply, endpoint.badAction(action));
      return send(reply, await run({ params, accountId: caller.accountId, request }));
    } catch (error) {
      request.log.error({ err: error, action: params.action }, 'action failed unexpectedly');
      return send(reply, endpoint.internalError());
    }
  };
  app.route({ method: ['GET', 'POST'], url: endpoint.path, handler });
}
