import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { actorOf, requiredText } from '../admin-http.js';
import { handle } from '../admin-route.js';
import { previewPrice, readPriceSettings, setExchangeRate, setMarkup } from '../prices-admin.service.js';

/** Exchange rates, markups per scope, and a preview of the customer price for a cost. */
export function pricesRoutes(ctx: AppContext) {
  return async (api: FastifyInstance) => {
    handle(api, 'GET /prices', async () => readPriceSettings(ctx.db));

    handle(api, 'PUT /prices/rates/:currency', async ({ params, body }, request) => {
      const { currency } = params;
      const micros = await setExchangeRate(
        ctx.db,
        ctx.clock,
        actorOf(request),
        currency,
        requiredText(body.pkr, 'pkr'),
      );
      return { currency: currency.toUpperCase(), pkrPerUnitMicros: micros };
    });

    handle(api, 'PUT /prices/markups/:scope', async ({ params, body }, request) => {
      const { scope } = params;
      const basisPoints = await setMarkup(
        ctx.db,
        ctx.clock,
        actorOf(request),
        scope,
        requiredText(body.percent, 'percent'),
      );
      return { scope, basisPoints };
    });

    handle(api, 'GET /prices/preview', async ({ query: q }) => {
      const pricePaisa = await previewPrice(ctx.db, {
        costText: q.cost ?? '',
        currency: (q.currency ?? 'USD').toUpperCase(),
        scopes: (q.scopes ?? '').split(','),
      });
      return { pricePaisa };
    });
  };
}
