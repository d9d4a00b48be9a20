import { recomputeSmsPrices } from '../catalog/sms-prices.js';
import type { Executor } from '../db/database.js';
import { parsePercentToBasisPoints } from '../pricing/pricing.js';
import {
  getSetting,
  MissingExchangeRateError,
  priceFromCost,
  setExchangeRateMicros,
  setMarkupBasisPoints,
} from '../pricing/pricing.repository.js';
import type { Clock } from '../shared/clock.js';
import { parseOperatorMicros } from '../shared/micros.js';
import { type Actor, inAuditedTransaction } from './audit.repository.js';

/** A refused price change; the message is safe to show. */
export class PriceConfigError extends Error {
  override name = 'PriceConfigError';
}

export interface PriceSettings {
  /** Currency → PKR per unit ×1e6. */
  rates: { currency: string; pkrPerUnitMicros: number; updatedAt: number }[];
  /** Scope (e.g. `sms`, `sms:type:1`, `rental`) → basis points. */
  markups: { scope: string; basisPoints: number; updatedAt: number }[];
}

export async function readPriceSettings(db: Executor): Promise<PriceSettings> {
  const rows = await db
    .selectFrom('settings')
    .selectAll()
    .where((eb) => eb.or([eb('key', 'like', 'rate:%'), eb('key', 'like', 'markup:%')]))
    .orderBy('key')
    .execute();
  const settings: PriceSettings = { rates: [], markups: [] };
  for (const r of rows) {
    if (r.key.startsWith('rate:')) {
      settings.rates.push({
        currency: r.key.slice(5),
        pkrPerUnitMicros: Number(r.value),
        updatedAt: r.updated_at,
      });
    } else {
      settings.markups.push({ scope: r.key.slice(7), basisPoints: Number(r.value), updatedAt: r.updated_at });
    }
  }
  return settings;
}

/** Sets PKR per unit of a currency from a decimal string ("280.5"), audited with the old value. */
export async function setExchangeRate(
  db: Executor,
  clock: Clock,
  actor: Actor,
  currency: string,
  pkrText: string,
): Promise<number> {
  const code = currency.toUpperCase();
  if (!/^[A-Z]{3}$/.test(code) || code === 'PKR')
    throw new PriceConfigError('currency must be a code like USD (not PKR)');
  const micros = parseOperatorMicros(pkrText);
  if (micros === null || micros === 0)
    throw new PriceConfigError('rate must be a positive decimal like 280.5');
  const now = clock.now();
  await inAuditedTransaction(db, { actor, now }, async (trx) => {
    const before = await getSetting(trx, `rate:${code}`);
    await setExchangeRateMicros(trx, code, micros, now);
    // SMS catalogue prices are stored on their rows: recompute them with the change, so
    // getServices shows it at once and a crash cannot leave them on the old rate.
    await recomputeSmsPrices(trx, now);
    const audit = {
      action: 'price.rate',
      target: `setting:rate:${code}`,
      before: before === null ? null : { pkrPerUnitMicros: Number(before) },
      after: { pkrPerUnitMicros: micros },
    };
    return { result: undefined, audit };
  });
  return micros;
}

/** Scopes look like `sms`, `sms:type:1`, `sms:type:1:service:101`, `cheap`, `rental`, `email:server:2`. */
export function isMarkupScope(scope: string): boolean {
  return /^(sms|cheap|rental|email)(:[a-z]+:[\w.-]{1,40}){0,3}$/.test(scope);
}

/** Sets a markup from a percentage string ("25", "12.5", "-10"), audited with the old value. */
export async function setMarkup(
  db: Executor,
  clock: Clock,
  actor: Actor,
  scope: string,
  percentText: string,
): Promise<number> {
  if (!isMarkupScope(scope))
    throw new PriceConfigError(`"${scope}" is not a markup scope like sms or sms:type:1`);
  const basisPoints = parsePercentToBasisPoints(percentText);
  if (basisPoints === null) throw new PriceConfigError('markup must be a percentage like 25 or 12.5');
  const now = clock.now();
  await inAuditedTransaction(db, { actor, now }, async (trx) => {
    const before = await getSetting(trx, `markup:${scope}`);
    await setMarkupBasisPoints(trx, scope, basisPoints, now);
    await recomputeSmsPrices(trx, now);
    const audit = {
      action: 'price.markup',
      target: `setting:markup:${scope}`,
      before: before === null ? null : { basisPoints: Number(before) },
      after: { basisPoints },
    };
    return { result: undefined, audit };
  });
  return basisPoints;
}

/** The customer price in paisa an upstream cost would sell for, with the current rate and markups. */
export async function previewPrice(
  db: Executor,
  input: { costText: string; currency: string; scopes: string[] },
): Promise<number> {
  const costMicros = parseOperatorMicros(input.costText);
  if (costMicros === null) throw new PriceConfigError('cost must be a decimal like 0.25');
  const scopes = input.scopes.filter((s) => s !== '');
  for (const s of scopes) if (!isMarkupScope(s)) throw new PriceConfigError(`"${s}" is not a markup scope`);
  try {
    return await priceFromCost(db, { costMicros, currency: input.currency, markupScopes: scopes });
  } catch (error) {
    if (error instanceof MissingExchangeRateError) throw new PriceConfigError(error.message);
    throw error;
  }
}
