/**
 * Finds something to buy on the SMS OTP API the way a customer does: getCountries, then
 * getServices for a country, through the wire. The benchmark therefore depends only on the
 * customer contract, not on how the catalog is stored.
 */
import { SMS_PATH } from './seed.js';

/** getNumber parameters of one product: service, country and provider type. */
export interface SmsProduct {
  service: string;
  country: string;
  type: string;
}

async function call(url: string, params: Record<string, string>): Promise<string> {
  const response = await fetch(`${url}${SMS_PATH}?${new URLSearchParams(params).toString()}`);
  return response.text();
}

/** The first product with a price in provider type `type`, or null when the API has none (or no catalog). */
export async function findSmsProduct(url: string, apiKey: string, type = '1'): Promise<SmsProduct | null> {
  const countriesText = await call(url, { api_key: apiKey, action: 'getCountries', type });
  let countries: Record<string, Array<{ id: string }>>;
  try {
    countries = JSON.parse(countriesText) as Record<string, Array<{ id: string }>>;
  } catch {
    return null;
  }
  for (const country of countries[type] ?? []) {
    const servicesText = await call(url, {
      api_key: apiKey,
      action: 'getServices',
      country: country.id,
      type,
    });
    try {
      const services = JSON.parse(servicesText) as Record<string, string>;
      const service = Object.keys(services)[0];
      if (service) return { service, country: country.id, type };
    } catch {
      // not JSON: no services here; try the next country
    }
  }
  return null;
}

/** Whether the server knows an action at all (BAD_ACTION means that part of the SMS line has not landed). */
export async function hasAction(url: string, apiKey: string, action: string): Promise<boolean> {
  return (await call(url, { api_key: apiKey, action })) !== 'BAD_ACTION';
}
