import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { listEmailServers, listEmailServices } from '../../emails/email-catalog.repository.js';
import { listRentalCountries, listRentalServers } from '../../rentals/catalog.repository.js';
import { actorOf, badRequest, notFound } from '../admin-http.js';
import { handle } from '../admin-route.js';
import { CATALOG_SWITCHES, flipCatalogSwitch } from '../catalog-switches.service.js';

const ROUTES = {
  'rental/servers': 'PATCH /catalog/rental/servers/:key',
  'rental/countries': 'PATCH /catalog/rental/countries/:key',
  'email/servers': 'PATCH /catalog/email/servers/:key',
  'email/services': 'PATCH /catalog/email/services/:key',
} as const;

/**
 * Switches of the rental and email catalogues: servers (a disabled one answers 503), rental
 * countries and email services (hidden while off). Each flip is audited in its transaction by
 * the catalogue switches service.
 */
export function switchesRoutes(ctx: AppContext) {
  return async (api: FastifyInstance) => {
    handle(api, 'GET /catalog/switches', async () => ({
      rentalServers: await listRentalServers(ctx.db),
      rentalCountries: await listRentalCountries(ctx.db, { enabledOnly: false }),
      emailServers: await listEmailServers(ctx.db),
      emailServices: await listEmailServices(ctx.db),
    }));

    for (const [path, name] of Object.entries(ROUTES)) {
      const sw = CATALOG_SWITCHES[path];
      if (!sw) throw new Error(`no catalogue switch "${path}"`);
      handle(api, name, async ({ params, body }, request) => {
        const stamp = { actor: actorOf(request), now: ctx.clock.now() };
        const result = await flipCatalogSwitch(ctx.db, stamp, sw, params.key, body.enabled);
        if (result.kind === 'bad_key') throw badRequest('id must be a whole number');
        if (result.kind === 'not_found') throw notFound(path.replace('/', ' ').replace(/s$/, ''));
        return { target: result.target, enabled: result.enabled };
      });
    }
  };
}
