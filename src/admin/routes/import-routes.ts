import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../../app-context.js';
import { importSmsCatalogueFromRoute } from '../../catalog/catalog-import.js';
import { importEmailCatalogue } from '../../emails/email-catalogue-import.js';
import { importRentalCatalogue } from '../../rentals/rental-catalogue-import.js';
import { actorOf, badRequest } from '../admin-http.js';
import { handle } from '../admin-route.js';

/**
 * The console's "import from upstream" buttons: the same imports as `otpget catalog import`,
 * `otpget rental import` and `otpget email import`, with the same refusals (the error handler
 * answers them 400 with the import's own message) and the same audit rows. An import waits for its
 * upstream calls, so the request takes as long as the CLI would.
 */
export function importRoutes(ctx: AppContext) {
  return async (api: FastifyInstance) => {
    handle(api, 'POST /catalog/sms/import/:type', async ({ params, body }, request) => {
      const imports = await importSmsCatalogueFromRoute(
        ctx,
        Number(params.type),
        {
          ...(body.countries ? { countries: new Set(body.countries) } : {}),
          ...(body.services ? { services: new Set(body.services) } : {}),
        },
        { actor: actorOf(request), now: ctx.clock.now() },
        body.upstream,
      );
      return {
        imports: imports.map(({ upstream, summary, ms }) => ({
          upstream,
          ms,
          countries: summary.countries,
          services: summary.services,
          offers: summary.offers,
        })),
      };
    });

    handle(api, 'POST /catalog/rental/import/:server', async ({ params, body }, request) => ({
      import: await importRentalCatalogue(
        ctx,
        Number(params.server),
        {
          ...(body.countries ? { countries: new Set(body.countries) } : {}),
          ...(body.durations ? { durations: body.durations } : {}),
          reprice: body.reprice === true,
        },
        { actor: actorOf(request), now: ctx.clock.now() },
      ),
    }));

    handle(api, 'POST /catalog/email/import/:server', async ({ params, body }, request) => {
      const server = Number(params.server);
      // Server 2 sells one domain list for every site: it has no services to narrow to.
      if (body.services && server !== 1) throw badRequest('services are for server 1 (server 2 has none)');
      return {
        import: await importEmailCatalogue(
          ctx,
          server,
          {
            ...(body.services ? { services: new Set(body.services.map((s) => s.toLowerCase())) } : {}),
            reprice: body.reprice === true,
          },
          { actor: actorOf(request), now: ctx.clock.now() },
        ),
      };
    });
  };
}
