import type { FastifyInstance } from 'fastify';
import { routeFigures, routeFiguresPerEntry } from '../../activations/activation-order-views.repository.js';
import type { AppContext } from '../../app-context.js';
import { smsCatalogNames } from '../../catalog/catalog.repository.js';
import { listPriceRows } from '../../catalog/catalog-admin.js';
import {
  changeSmsOfferAsOperator,
  routeProviderTypeAsOperator,
} from '../../catalog/catalog-admin.service.js';
import { parseSmsCatalogRef } from '../../catalog/sms-catalog.service.js';
import { listTypeRoutes } from '../../catalog/sms-routes.js';
import { listUpstreams } from '../../providers/upstreams.repository.js';
import { parsePkr } from '../../shared/money.js';
import { compareMeasured, measuredScore, ROUTE_WINDOW_MS } from '../../sms/sms-routing.js';
import { actorOf, badRequest, notFound } from '../admin-http.js';
import { handle } from '../admin-route.js';

/**
 * The SMS OTP catalogue's offers (provider type × country × service × upstream): list them with
 * cost and price, set or clear a fixed price, enable or disable an offer; each type's route. Changes go through the catalogue's
 * operator service, which recomputes prices and writes the audit row in the change's transaction,
 * so getServices shows them at once.
 */
export function catalogRoutes(ctx: AppContext) {
  return async (api: FastifyInstance) => {
    handle(api, 'GET /catalog/sms', async ({ query: q }) => {
      const type = q.type && /^\d{1,9}$/.test(q.type) ? Number(q.type) : undefined;
      const countryId = q.country && /^\d{1,9}$/.test(q.country) ? Number(q.country) : undefined;
      return {
        offers: await listPriceRows(ctx.db, {
          ...(type !== undefined ? { type } : {}),
          ...(countryId !== undefined ? { countryId } : {}),
        }),
      };
    });

    handle(api, 'PATCH /catalog/sms/:type/:country/:service', async ({ params, body: input }, request) => {
      const type = Number(params.type);
      const countryId = Number(params.country);
      const serviceId = Number(params.service);
      const exists = (await listPriceRows(ctx.db, { type, countryId })).some(
        (r) =>
          r.serviceId === serviceId && (input.upstreamId === undefined || r.upstreamId === input.upstreamId),
      );
      if (!exists) throw notFound('offer');
      let fixedPricePaisa: number | null | undefined;
      if (input.fixedPrice === null || input.fixedPrice === '') fixedPricePaisa = null;
      else if (input.fixedPrice !== undefined) {
        fixedPricePaisa = parsePkr(input.fixedPrice);
        if (!fixedPricePaisa)
          throw badRequest('fixedPrice must be a PKR amount like "45.00", or null to clear it');
      }
      if (fixedPricePaisa === undefined && input.enabled === undefined) throw badRequest('nothing to change');
      // The offer, the recomputed prices and the audit row commit in one transaction; a refusal
      // (CatalogAdminError) is the error handler's 400.
      const after = await changeSmsOfferAsOperator(
        ctx.db,
        { actor: actorOf(request), now: ctx.clock.now() },
        {
          type,
          countryId,
          serviceId,
          ...(input.upstreamId !== undefined ? { upstream: String(input.upstreamId) } : {}),
          ...(fixedPricePaisa !== undefined ? { fixedPricePaisa } : {}),
          ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        },
      );
      if (!after) throw notFound('offer');
      return { offer: after };
    });

    handle(api, 'GET /catalog/sms/routes', async () => ({ routes: await smsRouteViews(ctx) }));

    handle(api, 'GET /catalog/sms/routes/:type/entries', async ({ params }) => {
      const type = Number(params.type);
      const route = (await listTypeRoutes(ctx.db, type))[0];
      if (!route) throw notFound('provider type');
      return { type, policy: route.policy, entries: await smsRouteEntries(ctx, type) };
    });

    handle(api, 'PUT /catalog/sms/routes/:type', async ({ params, body }, request) => {
      const type = Number(params.type);
      await routeProviderTypeAsOperator(
        ctx.db,
        { actor: actorOf(request), now: ctx.clock.now() },
        type,
        body.upstreams,
        body.policy,
      );
      const route = (await smsRouteViews(ctx)).find((r) => r.type === type);
      if (!route) throw notFound('provider type');
      return { route };
    });
  };
}

/** Every type's route with each upstream's last 24 hours on the type (what `best` ranks by, per entry). */
async function smsRouteViews(ctx: AppContext) {
  const [routes, upstreams] = await Promise.all([listTypeRoutes(ctx.db), listUpstreams(ctx.db)]);
  const byId = new Map(upstreams.map((u) => [u.id, u]));
  const since = ctx.clock.now() - ROUTE_WINDOW_MS;
  return Promise.all(
    routes.map(async (route) => {
      const figures = new Map(
        (await routeFigures(ctx.db, { prefix: `type:${route.type}/` }, since)).map((f) => [f.upstreamId, f]),
      );
      return {
        type: route.type,
        policy: route.policy,
        upstreams: route.upstreamIds.map((id) => {
          const measured = figures.get(id);
          return {
            id,
            name: byId.get(id)?.name ?? String(id),
            enabled: byId.get(id)?.enabled ?? false,
            settled: measured?.settled ?? 0,
            delivered: measured?.delivered ?? 0,
            medianSecondsToCode: wholeSeconds(measuredScore(measured).medianMs),
          };
        }),
      };
    }),
  );
}

/** At most this many entries, those with the most settled orders: the page stays readable. */
const MAX_ROUTE_ENTRIES = 200;

/** Each entry of a type with settled orders in the window, and its upstreams as `best` sees them. */
async function smsRouteEntries(ctx: AppContext, type: number) {
  const perEntry = await routeFiguresPerEntry(ctx.db, `type:${type}/`, ctx.clock.now() - ROUTE_WINDOW_MS);
  // The entries with the most settled orders; a reference that is not an SMS entry is left out.
  const busiest = [...perEntry]
    .flatMap(([ref, figures]) => {
      const entry = parseSmsCatalogRef(ref);
      return entry ? [{ ...entry, figures, orders: figures.reduce((sum, f) => sum + f.settled, 0) }] : [];
    })
    .sort((a, b) => b.orders - a.orders || a.countryId - b.countryId || a.serviceId - b.serviceId)
    .slice(0, MAX_ROUTE_ENTRIES);
  const [upstreams, names] = await Promise.all([
    listUpstreams(ctx.db),
    smsCatalogNames(
      ctx.db,
      busiest.map((e) => e.countryId),
      busiest.map((e) => e.serviceId),
    ),
  ]);
  const upstreamName = new Map(upstreams.map((u) => [u.id, u.name]));
  return busiest.map(({ countryId, serviceId, figures }) => ({
    countryId,
    country: names.countries.get(countryId) ?? String(countryId),
    serviceId,
    service: names.services.get(serviceId) ?? String(serviceId),
    upstreams: figures
      .map((f) => ({ figures: f, ...measuredScore(f) }))
      .sort((a, b) => compareMeasured(a, b) || a.figures.upstreamId - b.figures.upstreamId)
      .map(({ figures: f, successPercent, medianMs }) => ({
        id: f.upstreamId,
        name: upstreamName.get(f.upstreamId) ?? String(f.upstreamId),
        settled: f.settled,
        delivered: f.delivered,
        successPercent,
        medianSecondsToCode: wholeSeconds(medianMs),
      })),
  }));
}

/** A median time to code as the console shows it. */
function wholeSeconds(ms: number | null): number | null {
  return ms === null ? null : Math.round(ms / 1000);
}
