import type { Executor } from '../db/database.js';
import type { CheapServersTable } from './cheap-tables.js';

/** A cheap-number server as the rest of the code sees it. */
export interface CheapServer {
  id: number;
  type: number;
  name: string;
  serviceName: string;
  pricePaisa: number;
  upstreamId: number;
  upstreamCountry: string;
  upstreamService: string;
  enabled: boolean;
  /** Whether the upstream behind it is enabled (an operator can switch a whole upstream off). */
  upstreamEnabled: boolean;
}

type Row = Omit<CheapServersTable, 'id'> & { id: number; upstream_enabled: number };

function toServer(row: Row): CheapServer {
  return {
    id: row.id,
    type: row.type,
    name: row.name,
    serviceName: row.service_name,
    pricePaisa: row.price_paisa,
    upstreamId: row.upstream_id,
    upstreamCountry: row.upstream_country,
    upstreamService: row.upstream_service,
    enabled: row.enabled === 1,
    upstreamEnabled: row.upstream_enabled === 1,
  };
}

function selectServers(db: Executor) {
  return db
    .selectFrom('cheap_servers')
    .innerJoin('upstreams', 'upstreams.id', 'cheap_servers.upstream_id')
    .selectAll('cheap_servers')
    .select('upstreams.enabled as upstream_enabled');
}

/** Servers ordered by type then id; only enabled ones unless asked, one type or all. */
export async function listCheapServers(
  db: Executor,
  options: { type?: number; includeDisabled?: boolean } = {},
): Promise<CheapServer[]> {
  const rows = await selectServers(db)
    .$if(options.type !== undefined, (qb) => qb.where('cheap_servers.type', '=', options.type as number))
    .$if(!options.includeDisabled, (qb) => qb.where('cheap_servers.enabled', '=', 1))
    .orderBy('cheap_servers.type')
    .orderBy('cheap_servers.id')
    .execute();
  return rows.map(toServer);
}

export async function findCheapServer(db: Executor, id: number): Promise<CheapServer | null> {
  const row = await selectServers(db).where('cheap_servers.id', '=', id).executeTakeFirst();
  return row ? toServer(row) : null;
}

export interface CheapServerInput {
  type: number;
  name: string;
  serviceName: string;
  pricePaisa: number;
  upstreamId: number;
  upstreamCountry: string;
  upstreamService: string;
  enabled: boolean;
}

export async function insertCheapServer(db: Executor, input: CheapServerInput, now: number): Promise<number> {
  const row = await db
    .insertInto('cheap_servers')
    .values({
      type: input.type,
      name: input.name,
      service_name: input.serviceName,
      price_paisa: input.pricePaisa,
      upstream_id: input.upstreamId,
      upstream_country: input.upstreamCountry,
      upstream_service: input.upstreamService,
      enabled: input.enabled ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateCheapServer(
  db: Executor,
  id: number,
  changes: Partial<CheapServerInput>,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('cheap_servers')
    .set({
      ...(changes.type !== undefined ? { type: changes.type } : {}),
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.serviceName !== undefined ? { service_name: changes.serviceName } : {}),
      ...(changes.pricePaisa !== undefined ? { price_paisa: changes.pricePaisa } : {}),
      ...(changes.upstreamId !== undefined ? { upstream_id: changes.upstreamId } : {}),
      ...(changes.upstreamCountry !== undefined ? { upstream_country: changes.upstreamCountry } : {}),
      ...(changes.upstreamService !== undefined ? { upstream_service: changes.upstreamService } : {}),
      ...(changes.enabled !== undefined ? { enabled: changes.enabled ? 1 : 0 } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
