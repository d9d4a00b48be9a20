import type { Executor } from '../db/database.js';

/** Which upstream serves a server, and whether the operator has it switched on. */
export interface EmailServer {
  server: number;
  upstreamId: number;
  enabled: boolean;
}

export interface EmailService {
  code: string;
  name: string;
  site: string;
  enabled: boolean;
}

export interface EmailOffer {
  server: number;
  /** '' on server 2. */
  serviceCode: string;
  domain: string;
  /** Paisa. */
  price: number;
  stock: number;
  enabled: boolean;
}

/** A server-1 offer joined with its service, in the catalogue's order. */
export interface ServiceOffer extends EmailOffer {
  serviceName: string;
  site: string;
}

export async function findEmailServer(db: Executor, server: number): Promise<EmailServer | null> {
  const row = await db
    .selectFrom('email_servers')
    .selectAll()
    .where('server', '=', server)
    .executeTakeFirst();
  return row ? { server: row.server, upstreamId: row.upstream_id, enabled: row.enabled === 1 } : null;
}

export async function listEmailServers(db: Executor): Promise<EmailServer[]> {
  const rows = await db.selectFrom('email_servers').selectAll().orderBy('server').execute();
  return rows.map((r) => ({ server: r.server, upstreamId: r.upstream_id, enabled: r.enabled === 1 }));
}

/** Creates or changes a server's upstream and switch. */
export async function upsertEmailServer(
  db: Executor,
  values: { server: number; upstreamId?: number; enabled?: boolean },
  now: number,
): Promise<void> {
  const existing = await findEmailServer(db, values.server);
  if (!existing) {
    if (values.upstreamId === undefined) throw new Error(`server ${values.server} needs an upstream first`);
    await db
      .insertInto('email_servers')
      .values({
        server: values.server,
        upstream_id: values.upstreamId,
        enabled: values.enabled === false ? 0 : 1,
        updated_at: now,
      })
      .execute();
    return;
  }
  await db
    .updateTable('email_servers')
    .set({
      ...(values.upstreamId !== undefined ? { upstream_id: values.upstreamId } : {}),
      ...(values.enabled !== undefined ? { enabled: values.enabled ? 1 : 0 } : {}),
      updated_at: now,
    })
    .where('server', '=', values.server)
    .execute();
}

export async function findEmailService(db: Executor, code: string): Promise<EmailService | null> {
  const row = await db.selectFrom('email_services').selectAll().where('code', '=', code).executeTakeFirst();
  return row ? { code: row.code, name: row.name, site: row.site, enabled: row.enabled === 1 } : null;
}

export async function listEmailServices(db: Executor): Promise<EmailService[]> {
  const rows = await db.selectFrom('email_services').selectAll().orderBy('position').execute();
  return rows.map((r) => ({ code: r.code, name: r.name, site: r.site, enabled: r.enabled === 1 }));
}

/** Changes a service's name, sender site or switch; adds it (at the end) when new. */
export async function upsertEmailService(
  db: Executor,
  values: { code: string; name?: string; site?: string; enabled?: boolean },
): Promise<void> {
  const existing = await findEmailService(db, values.code);
  if (!existing) {
    const last = await db
      .selectFrom('email_services')
      .select((eb) => eb.fn.max('position').as('max'))
      .executeTakeFirst();
    await db
      .insertInto('email_services')
      .values({
        code: values.code,
        name: values.name ?? values.code,
        site: values.site ?? values.code,
        position: Number(last?.max ?? 0) + 1,
        enabled: values.enabled === false ? 0 : 1,
      })
      .execute();
    return;
  }
  await db
    .updateTable('email_services')
    .set({
      ...(values.name !== undefined ? { name: values.name } : {}),
      ...(values.site !== undefined ? { site: values.site } : {}),
      ...(values.enabled !== undefined ? { enabled: values.enabled ? 1 : 0 } : {}),
    })
    .where('code', '=', values.code)
    .execute();
}

function toOffer(r: {
  server: number;
  service_code: string;
  domain: string;
  price: number;
  stock: number;
  enabled: number;
}): EmailOffer {
  return {
    server: r.server,
    serviceCode: r.service_code,
    domain: r.domain,
    price: r.price,
    stock: r.stock,
    enabled: r.enabled === 1,
  };
}

export async function findEmailOffer(
  db: Executor,
  key: { server: number; serviceCode: string; domain: string },
): Promise<EmailOffer | null> {
  const row = await db
    .selectFrom('email_offers')
    .selectAll()
    .where('server', '=', key.server)
    .where('service_code', '=', key.serviceCode)
    .where('domain', '=', key.domain)
    .executeTakeFirst();
  return row ? toOffer(row) : null;
}

/** Server-1 offers on one mailbox domain, enabled services and offers only, in catalogue order. */
export async function listServiceOffers(db: Executor, domain: string): Promise<ServiceOffer[]> {
  const rows = await db
    .selectFrom('email_offers as o')
    .innerJoin('email_services as s', 's.code', 'o.service_code')
    .select([
      'o.server',
      'o.service_code',
      'o.domain',
      'o.price',
      'o.stock',
      'o.enabled',
      's.name as service_name',
      's.site',
    ])
    .where('o.server', '=', 1)
    .where('o.domain', '=', domain)
    .where('o.enabled', '=', 1)
    .where('s.enabled', '=', 1)
    .orderBy('s.position')
    .execute();
  return rows.map((r) => ({ ...toOffer(r), serviceName: r.service_name, site: r.site }));
}

/** Every offer of a server, disabled ones included (for the operator), or only enabled ones. */
export async function listOffers(
  db: Executor,
  server: number,
  options: { enabledOnly: boolean },
): Promise<EmailOffer[]> {
  const rows = await db
    .selectFrom('email_offers')
    .selectAll()
    .where('server', '=', server)
    .$if(options.enabledOnly, (qb) => qb.where('enabled', '=', 1))
    .orderBy('id')
    .execute();
  return rows.map(toOffer);
}

/** Sets an offer's price (by hand), stock or switch, creating the offer when it does not exist yet. */
export async function upsertEmailOffer(
  db: Executor,
  values: {
    server: number;
    serviceCode: string;
    domain: string;
    price?: number;
    stock?: number;
    enabled?: boolean;
  },
  now: number,
): Promise<void> {
  const key = { server: values.server, serviceCode: values.serviceCode, domain: values.domain };
  const existing = await findEmailOffer(db, key);
  if (!existing) {
    if (values.price === undefined) throw new Error('a new offer needs a price');
    await db
      .insertInto('email_offers')
      .values({
        server: values.server,
        service_code: values.serviceCode,
        domain: values.domain,
        price: values.price,
        stock: values.stock ?? 0,
        enabled: values.enabled === false ? 0 : 1,
        updated_at: now,
      })
      .execute();
    return;
  }
  await db
    .updateTable('email_offers')
    .set({
      // A price the operator sets is theirs: a later import keeps it (cost_micros null).
      ...(values.price !== undefined ? { price: values.price, cost_micros: null } : {}),
      ...(values.stock !== undefined ? { stock: values.stock } : {}),
      ...(values.enabled !== undefined ? { enabled: values.enabled ? 1 : 0 } : {}),
      updated_at: now,
    })
    .where('server', '=', key.server)
    .where('service_code', '=', key.serviceCode)
    .where('domain', '=', key.domain)
    .execute();
}
