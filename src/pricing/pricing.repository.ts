import type { Executor } from '../db/database.js';
import { customerPricePaisa } from './pricing.js';

/**
 * Operator price settings, kept in the settings table:
 * - `rate:<CUR>`: PKR per unit of currency CUR, ×1e6 (PKR itself is always 1:1);
 * - `markup:<scope>`: basis points for a scope such as `sms`, `sms:type:1`, `sms:type:1:service:101`,
 *   `cheap`, `rental`, `email`. The most specific scope that is set wins.
 */
export async function getSetting(db: Executor, key: string): Promise<string | null> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value ?? null;
}

export async function putSetting(db: Executor, key: string, value: string, now: number): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value, updated_at: now })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value, updated_at: now }))
    .execute();
}

export class MissingExchangeRateError extends Error {
  override name = 'MissingExchangeRateError';
}

export async function getExchangeRateMicros(db: Executor, currency: string): Promise<number> {
  if (currency.toUpperCase() === 'PKR') return 1_000_000;
  const value = await getSetting(db, `rate:${currency.toUpperCase()}`);
  if (value === null || !/^\d+$/.test(value)) {
    throw new MissingExchangeRateError(
      `no exchange rate set for ${currency}; set one with: otpget price rate ${currency} <PKR>`,
    );
  }
  return Number(value);
}

export async function setExchangeRateMicros(
  db: Executor,
  currency: string,
  pkrMicros: number,
  now: number,
): Promise<void> {
  await putSetting(db, `rate:${currency.toUpperCase()}`, String(pkrMicros), now);
}

/** The markup of the most specific scope set, from a list ordered most specific first; 0 when none is set. */
export async function getMarkupBasisPoints(db: Executor, scopes: string[]): Promise<number> {
  if (scopes.length === 0) return 0;
  const rows = await db
    .selectFrom('settings')
    .select(['key', 'value'])
    .where(
      'key',
      'in',
      scopes.map((s) => `markup:${s}`),
    )
    .execute();
  const found = new Map(rows.map((r) => [r.key, r.value]));
  for (const scope of scopes) {
    const value = found.get(`markup:${scope}`);
    if (value !== undefined && /^-?\d+$/.test(value)) return Number(value);
  }
  return 0;
}

export async function setMarkupBasisPoints(
  db: Executor,
  scope: string,
  basisPoints: number,
  now: number,
): Promise<void> {
  await putSetting(db, `markup:${scope}`, String(basisPoints), now);
}

/** The customer price in paisa for an upstream cost, with the operator's rate and markup applied. */
export async function priceFromCost(
  db: Executor,
  input: { costMicros: number; currency: string; markupScopes: string[] },
): Promise<number> {
  const [pkrPerUnitMicros, markupBasisPoints] = await Promise.all([
    getExchangeRateMicros(db, input.currency),
    getMarkupBasisPoints(db, input.markupScopes),
  ]);
  return customerPricePaisa({ costMicros: input.costMicros, pkrPerUnitMicros, markupBasisPoints });
}
