import { SANDBOX_UPSTREAMS } from './0002-sandbox-upstreams.js';
import {
  type CatalogOffer,
  DEFAULT_SERVER1_OFFERS,
  DEFAULT_SERVER2_OFFERS,
  DEFAULT_SERVICES,
} from './0401-email-catalog-data.js';
import type { Migration, SeedDb } from './helpers.js';

/**
 * A fresh install sells email at once: both servers on the sandbox email upstream, the 93 services,
 * and the reference's example prices, so every documented example call answers as documented.
 */
export const emailCatalogMigration: Migration = {
  async up(untyped) {
    const db = untyped as unknown as SeedDb;
    const now = Date.now();
    await db
      .insertInto('email_services')
      .values(DEFAULT_SERVICES.map((s, index) => ({ ...s, position: index + 1, enabled: 1 })))
      .execute();
    const offers = (server: number, list: readonly CatalogOffer[]) =>
      list.map((o) => ({
        server,
        service_code: o.serviceCode,
        domain: o.domain,
        price: o.price,
        stock: o.stock,
        enabled: 1,
        updated_at: now,
      }));
    await db.insertInto('email_offers').values(offers(1, DEFAULT_SERVER1_OFFERS)).execute();
    await db.insertInto('email_offers').values(offers(2, DEFAULT_SERVER2_OFFERS)).execute();
    const sandbox = await db
      .selectFrom('upstreams')
      .select('id')
      .where('name', '=', SANDBOX_UPSTREAMS.email)
      .executeTakeFirst();
    if (!sandbox) return;
    await db
      .insertInto('email_servers')
      .values([1, 2].map((server) => ({ server, upstream_id: sandbox.id, enabled: 1, updated_at: now })))
      .execute();
  },
};
