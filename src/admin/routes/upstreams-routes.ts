import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { listRecentUpstreamCalls } from '../../providers/upstream-calls.repository.js';
import type { UpstreamInput } from '../../providers/upstreams.repository.js';
import { findUpstream } from '../../providers/upstreams.repository.js';
import {
  actorOf,
  badRequest,
  body,
  idParam,
  limitParam,
  notFound,
  optionalString,
  query,
  requiredString,
} from '../admin-http.js';
import { checkUpstream, upstreamFailures } from '../upstream-health.js';
import { addUpstream, configureUpstream, listVisibleUpstreams } from '../upstreams-admin.service.js';

function changesFrom(input: Record<string, unknown>): Partial<Omit<UpstreamInput, 'kind'>> {
  const changes: Partial<Omit<UpstreamInput, 'kind'>> = {};
  if (input.name !== undefined) changes.name = requiredString(input, 'name', 64);
  if (input.protocol !== undefined) changes.protocol = requiredString(input, 'protocol', 40);
  if (input.baseUrl !== undefined) changes.baseUrl = optionalString(input, 'baseUrl', 500);
  // An empty key in a form means "keep the stored one": the console never shows the key to edit it.
  if (typeof input.apiKey === 'string' && input.apiKey !== '')
    changes.apiKey = optionalString(input, 'apiKey', 500);
  if (input.currency !== undefined) changes.currency = requiredString(input, 'currency', 3).toUpperCase();
  if (input.timeoutMs !== undefined) {
    const timeout = Number(input.timeoutMs);
    if (!Number.isInteger(timeout)) throw badRequest('timeoutMs must be a whole number');
    changes.timeoutMs = timeout;
  }
  if (input.enabled !== undefined) {
    if (typeof input.enabled !== 'boolean') throw badRequest('enabled must be true or false');
    changes.enabled = input.enabled;
  }
  return changes;
}

/** Upstream accounts: list (keys masked), add, configure, enable, disable. */
export function upstreamsRoutes(ctx: AppContext) {
  return async (api: FastifyInstance) => {
    // With each upstream: its orders and upstream failures of the last 24 hours (the recent error rate).
    api.get('/upstreams', async () => {
      const failures = await upstreamFailures(ctx.db, ctx.clock.now() - 86_400_000);
      const upstreams = await listVisibleUpstreams(ctx.db);
      return {
        upstreams: upstreams.map((u) => ({ ...u, last24h: failures.get(u.id) ?? { orders: 0, failed: 0 } })),
      };
    });

    // A read-only call to the upstream (balance where the protocol has one); changes nothing, so GET.
    api.get('/upstreams/:id/check', async (request) => {
      const id = idParam(request);
      if (!(await findUpstream(ctx.db, id))) throw notFound('upstream');
      return { check: await checkUpstream(ctx, id) };
    });

    // The upstream-call log: this upstream's most recent calls, newest first.
    api.get('/upstreams/:id/calls', async (request) => {
      const id = idParam(request);
      if (!(await findUpstream(ctx.db, id))) throw notFound('upstream');
      await ctx.upstreamCalls.flush();
      const limit = limitParam(query(request).limit, 100, 1000);
      return { calls: await listRecentUpstreamCalls(ctx.db, id, limit) };
    });

    api.post('/upstreams', async (request, reply) => {
      const input = body(request);
      const kind = requiredString(input, 'kind', 10) as UpstreamInput['kind'];
      const created = await addUpstream(ctx.db, ctx.clock, actorOf(request), {
        ...changesFrom(input),
        name: requiredString(input, 'name', 64),
        protocol: requiredString(input, 'protocol', 40),
        kind,
      });
      return reply.status(201).send({ upstream: created });
    });

    api.patch('/upstreams/:id', async (request) => {
      const changes = changesFrom(body(request));
      if (Object.keys(changes).length === 0) throw badRequest('nothing to change');
      return {
        upstream: await configureUpstream(ctx.db, ctx.clock, actorOf(request), idParam(request), changes),
      };
    });

    for (const [path, enabled] of [
      ['enable', true],
      ['disable', false],
    ] as const) {
      api.post(`/upstreams/:id/${path}`, async (request) => ({
        upstream: await configureUpstream(ctx.db, ctx.clock, actorOf(request), idParam(request), { enabled }),
      }));
    }
  };
}
