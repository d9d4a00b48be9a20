import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { actorOf, body, query, requiredString } from '../admin-http.js';
import { previewPrice, readPriceSettings, setExchangeRate, setMarkup } from '../prices-admin.service.js';

/** Exchange rates, markups per scope, and a preview of the customer price for a cost. */
export function pricesRoutes(ctx: AppContext) {
  return async (api: FastifyInstance) => {
    api.get('/prices', async () => readPriceSettings(ctx.db));

    api.put('/prices/rates/:currency', async (request) => {
      const currency = (request.params as { currency: string }).currency;
      const micros = await setExchangeRate(
        ctx.db,
        ctx.clock,
        actorOf(request),
        currency,
        requiredString(body(request), 'pkr', 30),
      );
      return { currency: currency.toUpperCase(), pkrPerUnitMicros: micros };
    });

    api.put('/prices/markups/:scope', async (request) => {
      const scope = (request.params as { scope: string }).scope;
      const basisPoints = await setMarkup(
        ctx.db,
        ctx.clock,
        actorOf(request),
        scope,
        requiredString(body(request), 'percent', 10),
      );
      return { scope, basisPoints };
    });

    api.get('/prices/preview', async (request) => {
      const q = query(request);
      const pricePaisa = await previewPrice(ctx.db, {
        costText: q.cost ?? '',
        currency: (q.currency ?? 'USD').toUpperCase(),
        scopes: (q.scopes ?? '').split(','),
      });
      return { pricePaisa };
    });
  };
}
