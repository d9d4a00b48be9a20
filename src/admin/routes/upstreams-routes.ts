import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { listRecentUpstreamCalls } from '../../providers/upstream-calls.repository.js';
import type { UpstreamInput } from '../../providers/upstreams.repository.js';
import { findUpstream } from '../../providers/upstreams.repository.js';
import { actorOf, badRequest, limitParam, notFound, requiredText, text } from '../admin-http.js';
import { handle } from '../admin-route.js';
import type { AdminApi } from '../contract/routes.js';
import { checkUpstream, upstreamFailures } from '../upstream-health.js';
import { addUpstream, configureUpstream, listVisibleUpstreams } from '../upstreams-admin.service.js';

type UpstreamChanges = AdminApi['PATCH /upstreams/:id']['request']['body'];

/** The fields sent, validated by the contract; an empty key in a form means "keep the stored one". */
function changesFrom(input: UpstreamChanges): Partial<Omit<UpstreamInput, 'kind'>> {
  const changes: Partial<Omit<UpstreamInput, 'kind'>> = {};
  if (input.name !== undefined) changes.name = requiredText(input.name, 'name');
  if (input.protocol !== undefined) changes.protocol = requiredText(input.protocol, 'protocol');
  if (input.baseUrl !== undefined) changes.baseUrl = text(input.baseUrl);
  // The console never shows the key to edit it, so its form sends "" to leave it alone.
  if (input.apiKey) changes.apiKey = text(input.apiKey);
  if (input.currency !== undefined) changes.currency = requiredText(input.currency, 'currency').toUpperCase();
  if (input.timeoutMs !== undefined) changes.timeoutMs = Number(input.timeoutMs);
  if (input.enabled !== undefined) changes.enabled = input.enabled;
  return changes;
}

/** Upstream accounts: list (keys masked), add, configure, enable, disable. */
export function upstreamsRoutes(ctx: AppContext) {
  return async (api: FastifyInstance) => {
    // With each upstream: its orders and upstream failures of the last 24 hours (the recent error rate).
    handle(api, 'GET /upstreams', async () => {
      const failures = await upstreamFailures(ctx.db, ctx.clock.now() - 86_400_000);
      const upstreams = await listVisibleUpstreams(ctx.db);
      return {
        upstreams: upstreams.map((u) => ({ ...u, last24h: failures.get(u.id) ?? { orders: 0, failed: 0 } })),
      };
    });

    // A read-only call to the upstream (balance where the protocol has one); changes nothing, so GET.
    handle(api, 'GET /upstreams/:id/check', async ({ params }) => {
      const id = Number(params.id);
      if (!(await findUpstream(ctx.db, id))) throw notFound('upstream');
      return { check: await checkUpstream(ctx, id) };
    });

    // The upstream-call log: this upstream's most recent calls, newest first.
    handle(api, 'GET /upstreams/:id/calls', async ({ params, query }) => {
      const id = Number(params.id);
      if (!(await findUpstream(ctx.db, id))) throw notFound('upstream');
      await ctx.upstreamCalls.flush();
      const limit = limitParam(query.limit, 100, 1000);
      return { calls: await listRecentUpstreamCalls(ctx.db, id, limit) };
    });

    handle(api, 'POST /upstreams', async ({ body }, request) => {
      const created = await addUpstream(ctx.db, ctx.clock, actorOf(request), {
        ...changesFrom(body),
        name: requiredText(body.name, 'name'),
        protocol: requiredText(body.protocol, 'protocol'),
        kind: body.kind,
      });
      return { upstream: created };
    });

    handle(api, 'PATCH /upstreams/:id', async ({ params, body }, request) => {
      const changes = changesFrom(body);
      if (Object.keys(changes).length === 0) throw badRequest('nothing to change');
      return {
        upstream: await configureUpstream(ctx.db, ctx.clock, actorOf(request), Number(params.id), changes),
      };
    });

    for (const [name, enabled] of [
      ['POST /upstreams/:id/enable', true],
      ['POST /upstreams/:id/disable', false],
    ] as const) {
      handle(api, name, async ({ params }, request) => ({
        upstream: await configureUpstream(ctx.db, ctx.clock, actorOf(request), Number(params.id), {
          enabled,
        }),
      }));
    }
  };
}
