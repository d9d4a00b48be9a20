import { performance } from 'node:perf_hooks';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../app-context.js';
import { longPoll, readWaitMs } from '../events/long-poll.js';
import { readIdempotencyKey, requestHash, runIdempotent } from '../idempotency/idempotency.js';
import { countCustomerCall } from '../metrics/counters.js';
import { type Params, readParams } from './params.js';
import type {
  ActionHandler,
  WireAnswer,
  WireCall,
  WireEndpoint,
  WireReply,
  WireRequest,
} from './wire-types.js';

function send(reply: FastifyReply, answer: WireAnswer): FastifyReply {
  if (answer.rateLimited) reply.header('retry-after', '1');
  const { kind, body } = answer.reply;
  if (kind === 'text') return reply.type(TEXT_TYPE).send(body);
  return reply.type(JSON_TYPE).send(JSON.stringify(body));
}

export const TEXT_TYPE = 'text/plain; charset=utf-8';
export const JSON_TYPE = 'application/json; charset=utf-8';

/** Serves an endpoint on GET and POST through Fastify (the fast lane takes most GETs before it). */
export function registerWireEndpoint(app: FastifyInstance, ctx: AppContext, endpoint: WireEndpoint): void {
  const handler = async (request: FastifyRequest, reply: FastifyReply) =>
    send(reply, await answerWireCall(ctx, endpoint, readParams(request), request));
  app.route({ method: ['GET', 'POST'], url: endpoint.path, handler });
}

/**
 * The frame every customer call goes through, whichever server read it. Order of checks: the
 * client address's rate limit, the key (BAD_KEY), a blocked account (ACCOUNT_BLOCKED), the
 * account's rate limit, then the action (BAD_ACTION). A rate-limited caller gets HTTP 200 with the
 * endpoint's own reply (so PHP's file_get_contents still returns it) and a Retry-After header.
 * Never throws: an unexpected failure is logged and answered with the endpoint's generic error.
 */
export async function answerWireCall(
  ctx: AppContext,
  endpoint: WireEndpoint,
  params: Params,
  request: WireRequest,
): Promise<WireAnswer> {
  const started = performance.now();
  const action = params.action ?? '';
  const answer = await frame(ctx, endpoint, params, request, action).catch((error: unknown) => {
    request.log.error({ err: error, action }, 'action failed unexpectedly');
    return { reply: endpoint.internalError(), rateLimited: false };
  });
  countCustomerCall(endpoint, action, (performance.now() - started) / 1000);
  return answer;
}

async function frame(
  ctx: AppContext,
  endpoint: WireEndpoint,
  params: Params,
  request: WireRequest,
  action: string,
): Promise<WireAnswer> {
  const { rateLimitPerIp, rateLimitPerKey } = ctx.config;
  const answered = (reply: WireReply): WireAnswer => ({ reply, rateLimited: false });
  if (rateLimitPerIp > 0 && !(await ctx.rateLimiter.hit(`ip:${request.ip}`, rateLimitPerIp)).allowed) {
    return { reply: endpoint.rateLimited(), rateLimited: true };
  }
  const caller = await ctx.auth.authenticate(params.api_key);
  if (!caller) return answered(endpoint.badKey());
  if (caller.status !== 'active') return answered(endpoint.blocked());
  if (
    rateLimitPerKey > 0 &&
    !(await ctx.rateLimiter.hit(`account:${caller.accountId}`, rateLimitPerKey)).allowed
  ) {
    return { reply: endpoint.rateLimited(), rateLimited: true };
  }
  const run = Object.hasOwn(endpoint.actions, action) ? endpoint.actions[action] : undefined;
  if (!run) return answered(endpoint.badAction(action));
  const call: WireCall = { params, accountId: caller.accountId, request };
  return answered(await runAction(ctx, endpoint, action, run, call));
}

/** Runs an action with the endpoint's optional layers: idempotent purchases, long-polled status reads. */
async function runAction(
  ctx: AppContext,
  endpoint: WireEndpoint,
  action: string,
  run: ActionHandler,
  call: WireCall,
): Promise<WireReply> {
  const { params, accountId, request } = call;
  if (endpoint.idempotentActions?.includes(action) && endpoint.idempotencyConflict) {
    const key = readIdempotencyKey(request, params);
    if (key === 'invalid') return endpoint.idempotencyConflict('invalid_key');
    if (key !== null) {
      const hash = requestHash(endpoint.path, action, params);
      const outcome = await runIdempotent(ctx, { accountId, key, hash }, async () => {
        try {
          return await run(call);
        } catch (error) {
          request.log.error({ err: error, action }, 'action failed unexpectedly');
          return endpoint.internalError();
        }
      });
      return outcome.kind === 'refused' ? endpoint.idempotencyConflict(outcome.reason) : outcome.reply;
    }
  }
  const poll =
    endpoint.longPoll && Object.hasOwn(endpoint.longPoll, action) ? endpoint.longPoll[action] : undefined;
  const waitMs = poll ? readWaitMs(params.wait) : null;
  const orderId = poll && waitMs !== null ? poll.orderId(params) : null;
  if (!poll || waitMs === null || orderId === null) return run(call);
  // A client that hangs up stops the wait (the socket, not the request: a request "closes" once read).
  const gone = new AbortController();
  const socket = request.socket;
  const hangUp = () => gone.abort();
  socket.once('close', hangUp);
  try {
    return await longPoll(
      ctx,
      { accountId, line: poll.line, orderId, waitMs },
      () => run(call),
      (reply) => poll.isWaiting(reply),
      gone.signal,
    );
  } finally {
    socket.off('close', hangUp);
  }
}
