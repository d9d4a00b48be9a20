import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { CatalogAdminError, listPriceRows, upsertPriceRow } from '../../catalog/catalog-admin.js';
import { parsePkr } from '../../shared/money.js';
import { AdminHttpError, actorOf, badRequest, body, notFound, query } from '../admin-http.js';
import { writeAudit } from '../audit.repository.js';

function intParam(request: FastifyRequest, name: string): number {
  const raw = (request.params as Record<string, string>)[name] ?? '';
  if (!/^\d{1,9}$/.test(raw)) throw badRequest(`${name} must be a whole number`);
  return Number(raw);
}

/**
 * The SMS OTP catalogue's offers (provider type × country × service): list them with cost and
 * price, set or clear a fixed price, enable or disable an offer. Changes go through the catalogue's
 * own upsertPriceRow, which recomputes prices, so getServices shows them at once.
 */
export function catalogRoutes(ctx: AppContext) {
  return async (api: FastifyInstance) => {
    api.get('/catalog/sms', async (request) => {
      const q = query(request);
      const type = q.type && /^\d{1,9}$/.test(q.type) ? Number(q.type) : undefined;
      const countryId = q.country && /^\d{1,9}$/.test(q.country) ? Number(q.country) : undefined;
      return {
        offers: await listPriceRows(ctx.db, {
          ...(type !== undefined ? { type } : {}),
          ...(countryId !== undefined ? { countryId } : {}),
        }),
      };
    });

    api.patch('/catalog/sms/:type/:country/:service', async (request) => {
      const type = intParam(request, 'type');
      const countryId = intParam(request, 'country');
      const serviceId = intParam(request, 'service');
      const input = body(request);
      const find = async () =>
        (await listPriceRows(ctx.db, { type, countryId })).find((r) => r.serviceId === serviceId) ?? null;
      const before = await find();
      if (!before) throw notFound('offer');
      let fixedPricePaisa: number | null | undefined;
      if (input.fixedPrice === null || input.fixedPrice === '') fixedPricePaisa = null;
      else if (input.fixedPrice !== undefined) {
        fixedPricePaisa = typeof input.fixedPrice === 'string' ? parsePkr(input.fixedPrice) : null;
        if (!fixedPricePaisa)
          throw badRequest('fixedPrice must be a PKR amount like "45.00", or null to clear it');
      }
      if (input.enabled !== undefined && typeof input.enabled !== 'boolean') {
        throw badRequest('enabled must be true or false');
      }
      if (fixedPricePaisa === undefined && input.enabled === undefined) throw badRequest('nothing to change');
      try {
        await upsertPriceRow(
          ctx.db,
          {
            type,
            countryId,
            serviceId,
            ...(fixedPricePaisa !== undefined ? { fixedPricePaisa } : {}),
            ...(typeof input.enabled === 'boolean' ? { enabled: input.enabled } : {}),
          },
          ctx.clock.now(),
        );
      } catch (error) {
        if (error instanceof CatalogAdminError) throw new AdminHttpError(400, error.message);
        throw error;
      }
      const after = await find();
      await writeAudit(ctx.db, {
        actor: actorOf(request),
        action: 'catalog.sms_offer',
        target: `sms-offer:${type}/${countryId}/${serviceId}`,
        before: {
          fixedPricePaisa: before.fixedPricePaisa,
          pricePaisa: before.pricePaisa,
          enabled: before.enabled,
        },
        after: after
          ? { fixedPricePaisa: after.fixedPricePaisa, pricePaisa: after.pricePaisa, enabled: after.enabled }
          : null,
        now: ctx.clock.now(),
      });
      return { offer: after };
    });
  };
}
