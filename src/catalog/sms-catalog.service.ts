import type { AppContext } from '../app-context.js';
import {
  type CatalogCountry,
  countryExists,
  findProviderType,
  listCountriesByType,
  listPricedServices,
  type PricedService,
  type SmsOffer,
  smsOfferReader,
  typeHasCountry,
} from './catalog.repository.js';

/**
 * The SMS OTP catalog as the wire asks for it: which types, countries and services exist and
 * what an offer costs. Parameters arrive already parsed (null = missing or not a number); the
 * results name the reference's errors so the wire only formats them.
 */

export type CatalogError = 'bad_type' | 'bad_country' | 'bad_service';

export const MIN_TYPE = 1;
export const MAX_TYPE = 6;

function isTypeNumber(type: number | null): type is number {
  return type !== null && type >= MIN_TYPE && type <= MAX_TYPE;
}

/** Countries per provider type; `type` null lists every enabled type. */
export async function smsCountries(
  ctx: AppContext,
  type: number | null | 'invalid',
): Promise<{ kind: 'ok'; byType: Map<number, CatalogCountry[]> } | { kind: 'bad_type' }> {
  if (type === 'invalid' || (type !== null && !isTypeNumber(type))) return { kind: 'bad_type' };
  if (type !== null && !(await findProviderType(ctx.db, type))?.enabled) return { kind: 'bad_type' };
  return { kind: 'ok', byType: await listCountriesByType(ctx.db, type) };
}

/** A country's sellable services in a type. A known country with nothing on sale gives an empty list. */
export async function smsServices(
  ctx: AppContext,
  type: number | null,
  countryId: number | null,
): Promise<{ kind: 'ok'; services: PricedService[] } | { kind: CatalogError }> {
  if (!isTypeNumber(type) || !(await findProviderType(ctx.db, type))?.enabled) return { kind: 'bad_type' };
  if (countryId === null) return { kind: 'bad_country' };
  const services = await listPricedServices(ctx.db, type, countryId);
  if (services.length === 0 && !(await countryExists(ctx.db, countryId))) return { kind: 'bad_country' };
  return { kind: 'ok', services };
}

/** The offer getNumber buys, or which parameter is wrong. */
export async function resolveSmsOffer(
  ctx: AppContext,
  type: number | null,
  countryId: number | null,
  serviceId: number | null,
): Promise<{ kind: 'ok'; offer: SmsOffer } | { kind: CatalogError }> {
  if (!isTypeNumber(type)) return { kind: 'bad_type' };
  if (countryId === null) return { kind: 'bad_country' };
  if (serviceId !== null) {
    const offer = await smsOfferReader(ctx.database)(type, countryId, serviceId);
    if (offer) return { kind: 'ok', offer };
  }
  // Only the failure path pays for telling the errors apart.
  if (!(await findProviderType(ctx.db, type))?.enabled) return { kind: 'bad_type' };
  if (!(await typeHasCountry(ctx.db, type, countryId))) return { kind: 'bad_country' };
  return { kind: 'bad_service' };
}

/** `type:1/country:61/service:101`: what an activation records about its catalog entry. */
export function smsCatalogRef(type: number, countryId: number, serviceId: number): string {
  return `type:${type}/country:${countryId}/service:${serviceId}`;
}

/** smsCatalogRef read back: the entry's ids, or null for a cheap number's or another line's reference. */
export function parseSmsCatalogRef(
  ref: string,
): { type: number; countryId: number; serviceId: number } | null {
  const match = /^type:(\d+)\/country:(\d+)\/service:(\d+)$/.exec(ref);
  return match ? { type: Number(match[1]), countryId: Number(match[2]), serviceId: Number(match[3]) } : null;
}

/** The provider type in a catalog reference (for ERROR_PROVIDER_n), or null for another line's order. */
export function typeOfCatalogRef(ref: string): number | null {
  const match = /^type:(\d+)\//.exec(ref);
  return match ? Number(match[1]) : null;
}
