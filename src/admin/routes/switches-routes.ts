import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../../app-context.js';
import type { Executor } from '../../db/database.js';
import {
  findEmailServer,
  findEmailService,
  listEmailServers,
  listEmailServices,
  upsertEmailServer,
  upsertEmailService,
} from '../../emails/email-catalog.repository.js';
import {
  findRentalCountryById,
  findRentalServer,
  listRentalCountries,
  listRentalServers,
  updateRentalCountry,
  updateRentalServer,
} from '../../rentals/catalog.repository.js';
import { actorOf, badRequest, body, notFound } from '../admin-http.js';
import { writeAudit } from '../audit.repository.js';

/** One switchable catalogue object: how to read it and how to flip it, through the line's repository. */
interface Switch {
  target: (key: string) => string;
  find: (db: Executor, key: string) => Promise<{ enabled: boolean } | null>;
  set: (db: Executor, key: string, enabled: boolean, now: number) => Promise<void>;
}

const numeric = (key: string) => {
  if (!/^\d{1,9}$/.test(key)) throw badRequest('id must be a whole number');
  return Number(key);
};

const SWITCHES: Record<string, Switch> = {
  'rental/servers': {
    target: (k) => `rental-server:${k}`,
    find: (db, k) => findRentalServer(db, numeric(k)),
    set: async (db, k, enabled, now) => {
      await updateRentalServer(db, numeric(k), { enabled }, now);
    },
  },
  'rental/countries': {
    target: (k) => `rental-country:${k}`,
    find: (db, k) => findRentalCountryById(db, numeric(k)),
    set: async (db, k, enabled, now) => {
      await updateRentalCountry(db, numeric(k), { enabled }, now);
    },
  },
  'email/servers': {
    target: (k) => `email-server:${k}`,
    find: (db, k) => findEmailServer(db, numeric(k)),
    set: (db, k, enabled, now) => upsertEmailServer(db, { server: numeric(k), enabled }, now),
  },
  'email/services': {
    target: (k) => `email-service:${k}`,
    find: (db, k) => findEmailService(db, k.toLowerCase()),
    // Email services have no timestamp column.
    set: (db, k, enabled) => upsertEmailService(db, { code: k.toLowerCase(), enabled }),
  },
};

/**
 * Switches of the rental and email catalogues: servers (a disabled one answers 503), rental
 * countries and email services (hidden while off). Each flip is audited in its transaction.
 */
export function switchesRoutes(ctx: AppContext) {
  return async (api: FastifyInstance) => {
    api.get('/catalog/switches', async () => ({
      rentalServers: await listRentalServers(ctx.db),
      rentalCountries: await listRentalCountries(ctx.db, { enabledOnly: false }),
      emailServers: await listEmailServers(ctx.db),
      emailServices: await listEmailServices(ctx.db),
    }));

    for (const [path, sw] of Object.entries(SWITCHES)) {
      api.patch(`/catalog/${path}/:key`, async (request: FastifyRequest) => {
        const key = (request.params as { key: string }).key;
        const enabled = body(request).enabled;
        if (typeof enabled !== 'boolean') throw badRequest('enabled must be true or false');
        const now = ctx.clock.now();
        const actor = actorOf(request);
        return ctx.db.transaction().execute(async (trx) => {
          const before = await sw.find(trx, key);
          if (!before) throw notFound(path.replace('/', ' ').replace(/s$/, ''));
          await sw.set(trx, key, enabled, now);
          await writeAudit(trx, {
            actor,
            action: enabled ? 'catalog.enable' : 'catalog.disable',
            target: sw.target(key),
            before: { enabled: before.enabled },
            after: { enabled },
            now,
          });
          return { target: sw.target(key), enabled };
        });
      });
    }
  };
}
