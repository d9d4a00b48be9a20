import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { CatalogAdminError, listPriceRows, type PriceRowView } from '../../catalog/catalog-admin.js';
import { changeSmsOfferAsOperator } from '../../catalog/catalog-admin.service.js';
import { parsePkr } from '../../shared/money.js';
import { AdminHttpError, actorOf, badRequest, notFound } from '../admin-http.js';
import { handle } from '../admin-route.js';

/**
 * The SMS OTP catalogue's offers (provider type × country × service): list them with cost and
 * price, set or clear a fixed price, enable or disable an offer. Changes go through the catalogue's
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
        (r) => r.serviceId === serviceId,
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
      let after: PriceRowView | null;
      try {
        // The offer, the recomputed prices and the audit row commit in one transaction.
        after = await changeSmsOfferAsOperator(
          ctx.db,
          { actor: actorOf(request), now: ctx.clock.now() },
          {
            type,
            countryId,
            serviceId,
            ...(fixedPricePaisa !== undefined ? { fixedPricePaisa } : {}),
            ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
          },
        );
      } catch (error) {
        if (error instanceof CatalogAdminError) throw new AdminHttpError(400, error.message);
        throw error;
      }
      if (!after) throw notFound('offer');
      return { offer: after };
    });
  };
}
