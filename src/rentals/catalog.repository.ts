import type { Executor } from '../db/database.js';

/** A rental server (the wire's `provider`). */
export interface RentalServer {
  id: number;
  name: string;
  upstreamId: number;
  enabled: boolean;
  monthlyOnly: boolean;
}

export interface RentalCountry {
  id: number;
  serverId: number;
  countryCode: string;
  name: string;
  upstreamCountry: string;
  upstreamService: string | null;
  enabled: boolean;
}

export interface RentalPriceTier {
  id: number;
  countryId: number;
  durationHours: number;
  /** Fixed price, or null when priced from `costMicros`. */
  pricePaisa: number | null;
  /** Upstream cost in the upstream's currency (micros), or null for a fixed price. */
  costMicros: number | null;
  enabled: boolean;
}

type ServerRow = { id: number; name: string; upstream_id: number; enabled: number; monthly_only: number };

function toServer(r: ServerRow): RentalServer {
  return {
    id: r.id,
    name: r.name,
    upstreamId: r.upstream_id,
    enabled: r.enabled === 1,
    monthlyOnly: r.monthly_only === 1,
  };
}

type CountryRow = {
  id: number;
  server_id: number;
  country_code: string;
  name: string;
  upstream_country: string;
  upstream_service: string | null;
  enabled: number;
};

function toCountry(r: CountryRow): RentalCountry {
  return {
    id: r.id,
    serverId: r.server_id,
    countryCode: r.country_code,
    name: r.name,
    upstreamCountry: r.upstream_country,
    upstreamService: r.upstream_service,
    enabled: r.enabled === 1,
  };
}

type TierRow = {
  id: number;
  country_id: number;
  duration_hours: number;
  price_paisa: number | null;
  cost_micros: number | null;
  enabled: number;
};

function toTier(r: TierRow): RentalPriceTier {
  return {
    id: r.id,
    countryId: r.country_id,
    durationHours: r.duration_hours,
    pricePaisa: r.price_paisa,
    costMicros: r.cost_micros,
    enabled: r.enabled === 1,
  };
}

export async function findRentalServer(db: Executor, id: number): Promise<RentalServer | null> {
  const row = await db.selectFrom('rental_servers').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toServer(row) : null;
}

export async function listRentalServers(db: Executor): Promise<RentalServer[]> {
  const rows = await db.selectFrom('rental_servers').selectAll().orderBy('id').execute();
  return rows.map(toServer);
}

/** Countries of one server (or of all), by id; `enabledOnly` hides countries the operator switched off. */
export async function listRentalCountries(
  db: Executor,
  options: { serverId?: number; enabledOnly: boolean },
): Promise<RentalCountry[]> {
  const rows = await db
    .selectFrom('rental_countries')
    .selectAll()
    .$if(options.serverId !== undefined, (qb) => qb.where('server_id', '=', options.serverId as number))
    .$if(options.enabledOnly, (qb) => qb.where('enabled', '=', 1))
    .orderBy('server_id')
    .orderBy('id')
    .execute();
  return rows.map(toCountry);
}

export async function findRentalCountry(
  db: Executor,
  serverId: number,
  countryCode: string,
): Promise<RentalCountry | null> {
  const row = await db
    .selectFrom('rental_countries')
    .selectAll()
    .where('server_id', '=', serverId)
    .where('country_code', '=', countryCode.toLowerCase())
    .executeTakeFirst();
  return row ? toCountry(row) : null;
}

export async function findRentalCountryById(db: Executor, id: number): Promise<RentalCountry | null> {
  const row = await db.selectFrom('rental_countries').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toCountry(row) : null;
}

/** Tiers of one country, shortest first. */
export async function listPriceTiers(
  db: Executor,
  countryId: number,
  options: { enabledOnly: boolean },
): Promise<RentalPriceTier[]> {
  const rows = await db
    .selectFrom('rental_price_tiers')
    .selectAll()
    .where('country_id', '=', countryId)
    .$if(options.enabledOnly, (qb) => qb.where('enabled', '=', 1))
    .orderBy('duration_hours')
    .orderBy('id')
    .execute();
  return rows.map(toTier);
}

export async function findPriceTier(
  db: Executor,
  countryId: number,
  durationHours: number,
): Promise<RentalPriceTier | null> {
  const row = await db
    .selectFrom('rental_price_tiers')
    .selectAll()
    .where('country_id', '=', countryId)
    .where('duration_hours', '=', durationHours)
    .executeTakeFirst();
  return row ? toTier(row) : null;
}

// ───────────────────────────── operator changes (CLI) ─────────────────────────────

export async function insertRentalServer(
  db: Executor,
  server: Omit<RentalServer, 'enabled'> & { enabled?: boolean },
  now: number,
): Promise<void> {
  await db
    .insertInto('rental_servers')
    .values({
      id: server.id,
      name: server.name,
      upstream_id: server.upstreamId,
      enabled: server.enabled === false ? 0 : 1,
      monthly_only: server.monthlyOnly ? 1 : 0,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

export async function updateRentalServer(
  db: Executor,
  id: number,
  changes: Partial<Omit<RentalServer, 'id'>>,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('rental_servers')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.upstreamId !== undefined ? { upstream_id: changes.upstreamId } : {}),
      ...(changes.enabled !== undefined ? { enabled: changes.enabled ? 1 : 0 } : {}),
      ...(changes.monthlyOnly !== undefined ? { monthly_only: changes.monthlyOnly ? 1 : 0 } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function insertRentalCountry(
  db: Executor,
  country: Omit<RentalCountry, 'id' | 'enabled'> & { id?: number },
  now: number,
): Promise<number> {
  const row = await db
    .insertInto('rental_countries')
    .values({
      ...(country.id !== undefined ? { id: country.id } : {}),
      server_id: country.serverId,
      country_code: country.countryCode.toLowerCase(),
      name: country.name,
      upstream_country: country.upstreamCountry,
      upstream_service: country.upstreamService,
      enabled: 1,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateRentalCountry(
  db: Executor,
  id: number,
  changes: Partial<Pick<RentalCountry, 'name' | 'upstreamCountry' | 'upstreamService' | 'enabled'>>,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('rental_countries')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.upstreamCountry !== undefined ? { upstream_country: changes.upstreamCountry } : {}),
      ...(changes.upstreamService !== undefined ? { upstream_service: changes.upstreamService } : {}),
      ...(changes.enabled !== undefined ? { enabled: changes.enabled ? 1 : 0 } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** Sets a tier's price (fixed or from cost), creating the tier if needed; re-enables it. */
export async function upsertPriceTier(
  db: Executor,
  tier: { countryId: number; durationHours: number; pricePaisa: number | null; costMicros: number | null },
  now: number,
): Promise<void> {
  const values = { price_paisa: tier.pricePaisa, cost_micros: tier.costMicros, enabled: 1, updated_at: now };
  await db
    .insertInto('rental_price_tiers')
    .values({
      country_id: tier.countryId,
      duration_hours: tier.durationHours,
      ...values,
      created_at: now,
    })
    .onConflict((oc) => oc.columns(['country_id', 'duration_hours']).doUpdateSet(values))
    .execute();
}

export async function setPriceTierEnabled(
  db: Executor,
  countryId: number,
  durationHours: number,
  enabled: boolean,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('rental_price_tiers')
    .set({ enabled: enabled ? 1 : 0, updated_at: now })
    .where('country_id', '=', countryId)
    .where('duration_hours', '=', durationHours)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
