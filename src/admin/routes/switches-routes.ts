import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { listEmailServers, listEmailServices } from '../../emails/email-catalog.repository.js';
import { listRentalCountries, listRentalServers } from '../../rentals/catalog.repository.js';
import { actorOf, badRequest, body, notFound } from '../admin-http.js';
import { CATALOG_SWITCHES, flipCatalogSwitch } from '../catalog-switches.service.js';

/**
 * Switches of the rental and email catalogues: servers (a disabled one answers 503), rental
 * countries and email services (hidden while off). Each flip is audited in its transaction by
 * the catalogue switches service.
 */
export function switchesRoutes(ctx: AppContext) {
  return async (api: FastifyInstance) => {
    api.get('/catalog/switches', async () => ({
      rentalServers: await listRentalServers(ctx.db),
      rentalCountries: await listRentalCountries(ctx.db, { enabledOnly: false }),
      emailServers: await listEmailServers(ctx.db),
      emailServices: await listEmailServices(ctx.db),
    }));

    for (const [path, sw] of Object.entries(CATALOG_SWITCHES)) {
      api.patch(`/catalog/${path}/:key`, async (request: FastifyRequest) => {
        const key = (request.params as { key: string }).key;
        const enabled = body(request).enabled;
        if (typeof enabled !== 'boolean') throw badRequest('enabled must be true or false');
        const stamp = { actor: actorOf(request), now: ctx.clock.now() };
        const result = await flipCatalogSwitch(ctx.db, stamp, sw, key, enabled);
        if (result.kind === 'bad_key') throw badRequest('id must be a whole number');
        if (result.kind === 'not_found') throw notFound(path.replace('/', ' ').replace(/s$/, ''));
        return { target: result.target, enabled: result.enabled };
      });
    }
  };
}
