import { type AuditStamp, inAuditedTransaction } from '../admin/audit.repository.js';
import type { Executor, Trx } from '../db/database.js';
import { SANDBOX_UPSTREAMS } from '../db/migrations/0002-sandbox-upstreams.js';
import {
  findUpstream,
  findUpstreamByName,
  insertUpstream,
  updateUpstream,
} from '../providers/upstreams.repository.js';
import {
  findPriceTier,
  findRentalCountry,
  findRentalServer,
  insertRentalCountry,
  insertRentalServer,
  type RentalServer,
  setPriceTierEnabled,
  updateRentalCountry,
  updateRentalServer,
  upsertPriceTier,
} from './catalog.repository.js';
import { MONTHLY_DURATIONS, RENTAL_DURATIONS } from './rental-catalog.service.js';

/**
 * The operator's changes to the rental catalogue (`otpget rental …`): each runs in one
 * transaction with its audit row, so the change and the row commit together or not at all.
 */

/** The operator asked for something impossible; the message says what and how to fix it. */
export class RentalAdminError extends Error {
  override name = 'RentalAdminError';
}

/** Upstream protocols a rental server can buy from. */
export const RENTAL_PROTOCOLS = ['sandbox', 'sms-activate'] as const;
export type RentalProtocol = (typeof RENTAL_PROTOCOLS)[number];

export interface ServerUpstreamInput {
  protocol: RentalProtocol;
  url?: string;
  key?: string;
  currency?: string;
  timeoutMs?: number;
}

/**
 * The upstream row a server buys from: the shared sandbox, or the server's own SMS-Activate-protocol
 * account (`rental-server-<id>`), created or updated in place so rentals already bought keep theirs.
 */
async function upstreamFor(
  db: Trx,
  serverId: number,
  input: ServerUpstreamInput,
  now: number,
): Promise<number> {
  if (input.protocol === 'sandbox') {
    const sandbox = await findUpstreamByName(db, SANDBOX_UPSTREAMS.rental);
    if (!sandbox) throw new RentalAdminError('the sandbox rental upstream is missing; run otpget migrate');
    return sandbox.id;
  }
  const name = `rental-server-${serverId}`;
  const existing = await findUpstreamByName(db, name);
  if (!existing && (!input.url || !input.key)) {
    throw new RentalAdminError(`--url and --key are required to connect server ${serverId} to an upstream`);
  }
  if (input.url) {
    try {
      new URL(input.url);
    } catch {
      throw new RentalAdminError(`--url must be a URL like https://hero-sms.com, got "${input.url}"`);
    }
  }
  const changes = {
    protocol: input.protocol,
    ...(input.url ? { baseUrl: input.url } : {}),
    ...(input.key ? { apiKey: input.key } : {}),
    ...(input.currency ? { currency: input.currency.toUpperCase() } : {}),
    ...(input.timeoutMs ? { timeoutMs: input.timeoutMs } : {}),
  };
  if (existing) {
    await updateUpstream(db, existing.id, changes, now);
    return existing.id;
  }
  return insertUpstream(db, { name, kind: 'rental', ...changes, enabled: true }, now);
}

/** Adds a server (name required) or changes one; `upstream` repoints it. */
export async function configureRentalServer(
  db: Executor,
  stamp: AuditStamp,
  input: { id: number; name?: string; monthlyOnly?: boolean; upstream?: ServerUpstreamInput },
): Promise<RentalServer> {
  const now = stamp.now;
  return inAuditedTransaction(db, stamp, async (trx) => {
    const existing = await findRentalServer(trx, input.id);
    const upstreamId = input.upstream ? await upstreamFor(trx, input.id, input.upstream, now) : undefined;
    if (!existing) {
      if (!input.name)
        throw new RentalAdminError(`server ${input.id} does not exist; give it a --name to add it`);
      const sandbox = await findUpstreamByName(trx, SANDBOX_UPSTREAMS.rental);
      await insertRentalServer(
        trx,
        {
          id: input.id,
          name: input.name,
          upstreamId: upstreamId ?? (sandbox?.id as number),
          monthlyOnly: input.monthlyOnly ?? false,
        },
        now,
      );
    } else {
      await updateRentalServer(
        trx,
        input.id,
        {
          ...(input.name ? { name: input.name } : {}),
          ...(input.monthlyOnly !== undefined ? { monthlyOnly: input.monthlyOnly } : {}),
          ...(upstreamId !== undefined ? { upstreamId } : {}),
        },
        now,
      );
    }
    const saved = (await findRentalServer(trx, input.id)) as RentalServer;
    const audit = {
      action: 'rental.server',
      target: `rental-server:${input.id}`,
      before: existing,
      after: saved,
    };
    return { result: saved, audit };
  });
}

/** Sells on a server, or answers 503 for it. */
export async function setRentalServerEnabled(
  db: Executor,
  stamp: AuditStamp,
  id: number,
  enabled: boolean,
): Promise<void> {
  await inAuditedTransaction(db, stamp, async (trx) => {
    const before = await findRentalServer(trx, id);
    if (!before || !(await updateRentalServer(trx, id, { enabled }, stamp.now)))
      throw new RentalAdminError(`no rental server ${id}`);
    const audit = {
      action: enabled ? 'rental.enable' : 'rental.disable',
      target: `rental-server:${id}`,
      before: { enabled: before.enabled },
      after: { enabled },
    };
    return { result: undefined, audit };
  });
}

export interface RentalCountryInput {
  serverId: number;
  code: string;
  name?: string;
  upstreamCountry?: string;
  upstreamService?: string | null;
  enabled?: boolean;
}

/** Adds a country to a server (name and upstream country required) or changes it. */
export async function configureRentalCountry(
  db: Executor,
  stamp: AuditStamp,
  input: RentalCountryInput,
): Promise<void> {
  const code = input.code.toLowerCase();
  await inAuditedTransaction(db, stamp, async (trx) => {
    const before = await findRentalCountry(trx, input.serverId, code);
    await saveRentalCountry(trx, input, stamp.now);
    const after = await findRentalCountry(trx, input.serverId, code);
    const audit = {
      action: 'rental.country',
      target: `rental-country:${input.serverId}/${code}`,
      before,
      after,
    };
    return { result: undefined, audit };
  });
}

async function saveRentalCountry(db: Trx, input: RentalCountryInput, now: number): Promise<void> {
  if (!(await findRentalServer(db, input.serverId)))
    throw new RentalAdminError(`no rental server ${input.serverId}`);
  const code = input.code.toLowerCase();
  if (!/^[a-z]{2,3}$/.test(code))
    throw new RentalAdminError(`country code must be 2-3 letters like ca, got "${input.code}"`);
  const existing = await findRentalCountry(db, input.serverId, code);
  if (!existing) {
    if (!input.name || !input.upstreamCountry) {
      throw new RentalAdminError(
        `${code} is new on server ${input.serverId}: give --name and --upstream-country`,
      );
    }
    const id = await insertRentalCountry(
      db,
      {
        serverId: input.serverId,
        countryCode: code,
        name: input.name,
        upstreamCountry: input.upstreamCountry,
        upstreamService: input.upstreamService ?? null,
      },
      now,
    );
    if (input.enabled === false) await updateRentalCountry(db, id, { enabled: false }, now);
    return;
  }
  await updateRentalCountry(
    db,
    existing.id,
    {
      ...(input.name ? { name: input.name } : {}),
      ...(input.upstreamCountry ? { upstreamCountry: input.upstreamCountry } : {}),
      ...(input.upstreamService !== undefined ? { upstreamService: input.upstreamService } : {}),
      ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
    },
    now,
  );
}

export interface RentalPriceInput {
  serverId: number;
  code: string;
  hours: number;
  price: { pricePaisa: number } | { costMicros: number } | 'disable';
}

/** Sets a tier's fixed price or upstream cost (creating it), or disables it (`price: 'disable'`). */
export async function setRentalPrice(
  db: Executor,
  stamp: AuditStamp,
  input: RentalPriceInput,
): Promise<void> {
  await inAuditedTransaction(db, stamp, async (trx) => {
    const tier = async () => {
      const country = await findRentalCountry(trx, input.serverId, input.code);
      return country ? findPriceTier(trx, country.id, input.hours) : null;
    };
    const before = await tier();
    await saveRentalPrice(trx, input, stamp.now);
    const target = `rental-tier:${input.serverId}/${input.code.toLowerCase()}/${input.hours}`;
    return { result: undefined, audit: { action: 'rental.price', target, before, after: await tier() } };
  });
}

async function saveRentalPrice(db: Trx, input: RentalPriceInput, now: number): Promise<void> {
  const server = await findRentalServer(db, input.serverId);
  if (!server) throw new RentalAdminError(`no rental server ${input.serverId}`);
  if (!RENTAL_DURATIONS.includes(input.hours)) {
    throw new RentalAdminError(`hours must be one of ${RENTAL_DURATIONS.join(', ')}, got ${input.hours}`);
  }
  if (server.monthlyOnly && input.price !== 'disable' && !MONTHLY_DURATIONS.includes(input.hours)) {
    throw new RentalAdminError(`${server.name} is monthly only: price 720, 4320 or 8640 hours`);
  }
  const country = await findRentalCountry(db, input.serverId, input.code);
  if (!country) throw new RentalAdminError(`no country ${input.code} on server ${input.serverId}`);
  if (input.price === 'disable') {
    if (!(await setPriceTierEnabled(db, country.id, input.hours, false, now))) {
      throw new RentalAdminError(`no ${input.hours} h tier for ${input.code} on server ${input.serverId}`);
    }
    return;
  }
  if ('costMicros' in input.price && !(await findUpstream(db, server.upstreamId))) {
    throw new RentalAdminError(`server ${server.id} has no upstream to price the cost in`);
  }
  await upsertPriceTier(
    db,
    {
      countryId: country.id,
      durationHours: input.hours,
      pricePaisa: 'pricePaisa' in input.price ? input.price.pricePaisa : null,
      costMicros: 'costMicros' in input.price ? input.price.costMicros : null,
    },
    now,
  );
}
