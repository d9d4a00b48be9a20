import type { Executor } from '../db/database.js';
import {
  findEmailServer,
  findEmailService,
  upsertEmailServer,
  upsertEmailService,
} from '../emails/email-catalog.repository.js';
import {
  findRentalCountryById,
  findRentalServer,
  updateRentalCountry,
  updateRentalServer,
} from '../rentals/catalog.repository.js';
import { type AuditStamp, inAuditedTransaction } from './audit.repository.js';

/** One switchable catalogue object: its key's shape, how to read it and how to flip it. */
interface Switch {
  /** The key as the repository takes it, or null when it has the wrong shape. */
  parseKey: (key: string) => number | string | null;
  target: (key: number | string) => string;
  find: (db: Executor, key: number | string) => Promise<{ enabled: boolean } | null>;
  set: (db: Executor, key: number | string, enabled: boolean, now: number) => Promise<unknown>;
}

const numeric = (key: string) => (/^\d{1,9}$/.test(key) ? Number(key) : null);

/** The console's switches, by path: servers (a disabled one answers 503), rental countries, email services. */
export const CATALOG_SWITCHES: Record<string, Switch> = {
  'rental/servers': {
    parseKey: numeric,
    target: (k) => `rental-server:${k}`,
    find: (db, k) => findRentalServer(db, Number(k)),
    set: (db, k, enabled, now) => updateRentalServer(db, Number(k), { enabled }, now),
  },
  'rental/countries': {
    parseKey: numeric,
    target: (k) => `rental-country:${k}`,
    find: (db, k) => findRentalCountryById(db, Number(k)),
    set: (db, k, enabled, now) => updateRentalCountry(db, Number(k), { enabled }, now),
  },
  'email/servers': {
    parseKey: numeric,
    target: (k) => `email-server:${k}`,
    find: (db, k) => findEmailServer(db, Number(k)),
    set: (db, k, enabled, now) => upsertEmailServer(db, { server: Number(k), enabled }, now),
  },
  'email/services': {
    parseKey: (k) => k.toLowerCase(),
    target: (k) => `email-service:${k}`,
    find: (db, k) => findEmailService(db, String(k)),
    // Email services have no timestamp column.
    set: (db, k, enabled) => upsertEmailService(db, { code: String(k), enabled }),
  },
};

export type SwitchResult =
  | { kind: 'ok'; target: string; enabled: boolean }
  | { kind: 'bad_key' }
  | { kind: 'not_found' };

class SwitchNotFound extends Error {}

/** Flips one switch, audited in the flip's transaction. */
export async function flipCatalogSwitch(
  db: Executor,
  stamp: AuditStamp,
  sw: Switch,
  rawKey: string,
  enabled: boolean,
): Promise<SwitchResult> {
  const key = sw.parseKey(rawKey);
  if (key === null) return { kind: 'bad_key' };
  try {
    return await inAuditedTransaction(db, stamp, async (trx) => {
      const before = await sw.find(trx, key);
      if (!before) throw new SwitchNotFound();
      await sw.set(trx, key, enabled, stamp.now);
      const target = sw.target(key);
      const audit = {
        action: enabled ? 'catalog.enable' : 'catalog.disable',
        target,
        before: { enabled: before.enabled },
        after: { enabled },
      };
      return { result: { kind: 'ok', target, enabled } as const, audit };
    });
  } catch (error) {
    if (error instanceof SwitchNotFound) return { kind: 'not_found' };
    throw error;
  }
}
