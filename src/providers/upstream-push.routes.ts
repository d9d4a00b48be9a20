import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.js';
import { type PushedOrder, readPushedOrder } from './push-payload.js';
import { pushTokenMatches } from './push-tokens.js';

/**
 * What a product line does with a push for one of its orders: read that order back from the
 * upstream now (never trusting the pushed text), record what is new by the usual compare-and-set.
 * 'unknown' when we have no live order with that upstream id.
 */
export type PushHandler = (
  ctx: AppContext,
  upstreamId: number,
  upstreamOrderId: string,
) => Promise<'read' | 'unknown' | 'busy'>;

export const UPSTREAM_PUSH_ROUTE = '/webhooks/upstream/:upstream/:token';

/** A push for the same order within this long is not read again (replays, bursts of retries). */
const REPEAT_WINDOW_MS = 250;
/** A push that finds the order being polled right now tries again after this long, a few times. */
const BUSY_RETRY_MS = 150;
const BUSY_RETRIES = 3;

/**
 * The upstream push receiver (`POST /webhooks/upstream/<id>/<token>`). It answers at once — 200
 * `{"status":"accepted"}` for a body naming an order, 200 `{"status":"ignored"}` for one that does
 * not, 404 for an unknown upstream or a wrong token (the same, so neither is revealed) — and only
 * then reads the order from the upstream. A forged, replayed or reordered push therefore changes
 * nothing the upstream does not confirm; polling stays the source of truth and the fallback.
 */
export function registerUpstreamPush(
  app: FastifyInstance,
  ctx: AppContext,
  handlers: Record<PushedOrder['kind'], PushHandler>,
): void {
  const lastRead = new Map<string, number>();
  const work = async (upstreamId: number, pushed: PushedOrder) => {
    const key = `${upstreamId}:${pushed.kind}:${pushed.upstreamOrderId}`;
    const now = Date.now();
    if ((lastRead.get(key) ?? 0) > now - REPEAT_WINDOW_MS) return;
    lastRead.set(key, now);
    if (lastRead.size > 10_000) {
      for (const [k, at] of lastRead) if (at <= now - REPEAT_WINDOW_MS) lastRead.delete(k);
    }
    for (let attempt = 0; attempt <= BUSY_RETRIES; attempt++) {
      const outcome = await handlers[pushed.kind](ctx, upstreamId, pushed.upstreamOrderId);
      ctx.log.debug({ upstreamId, ...pushed, outcome }, 'upstream push');
      if (outcome !== 'busy') return;
      await new Promise((resolve) => setTimeout(resolve, BUSY_RETRY_MS));
    }
  };

  app.register(async (scope) => {
    // Upstreams send JSON with all sorts of content types (or a form): read the text, then decide.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 16_384 }, (_request, body, done) =>
      done(null, body),
    );
    scope.post<{ Params: { upstream: string; token: string } }>(
      UPSTREAM_PUSH_ROUTE,
      async (request, reply) => {
        const upstreamId = /^\d{1,12}$/.test(request.params.upstream)
          ? Number(request.params.upstream)
          : null;
        const upstream =
          upstreamId === null ? null : await ctx.providers.upstream(upstreamId).catch(() => null);
        if (!upstream || !pushTokenMatches(upstream.pushTokenHash, request.params.token)) {
          return reply.status(404).send({ status: 'error', error: 'unknown push address' });
        }
        const pushed = readPushedOrder(parseBody(request.body));
        if (pushed === null) return reply.send({ status: 'ignored' });
        setImmediate(() => {
          work(upstream.id, pushed).catch((error: unknown) => {
            ctx.log.warn({ err: error, upstreamId: upstream.id }, 'upstream push could not be read back');
          });
        });
        return reply.send({ status: 'accepted' });
      },
    );
  });
}

/** JSON, or a form (`activationId=…&text=…`); anything else is no fields. */
function parseBody(body: unknown): unknown {
  if (typeof body !== 'string' || body.trim() === '') return null;
  try {
    return JSON.parse(body);
  } catch {
    return Object.fromEntries(new URLSearchParams(body));
  }
}
