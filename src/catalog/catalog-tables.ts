import type { Generated } from 'kysely';

/**
 * The SMS OTP catalog. Provider types 1-6 are operator configuration: each names the upstream
 * that serves it. Countries and services carry our own numeric ids (what customers send); a price
 * row maps (type, country, service) to the upstream's own codes and cost.
 */
export interface SmsProviderTypesTable {
  /** 1-6, the reference's `type` parameter. */
  id: number;
  name: string;
  /** The `upstreams` row (kind sms) that sells this type's numbers. */
  upstream_id: number;
  /** 0 hides the type: BAD_TYPE to every call naming it. */
  enabled: number;
  created_at: number;
  updated_at: number;
}

export interface SmsCountriesTable {
  /** Our id, e.g. 61 for Pakistan. */
  id: number;
  name: string;
  created_at: number;
}

export interface SmsServicesTable {
  /** Our id, e.g. 101 for Telegram. */
  id: number;
  name: string;
  created_at: number;
}

export interface SmsPricesTable {
  id: Generated<number>;
  provider_type: number;
  country_id: number;
  service_id: number;
  /** The upstream's own codes for getNumber (e.g. "0" / "tg"; the sandbox takes a dialling code and a name). */
  upstream_country: string;
  upstream_service: string;
  /** Upstream cost in micro-units of the upstream's currency, refreshed by the price sync. */
  cost_micros: number;
  /** The operator's fixed customer price in paisa; null to derive it from cost × rate × markup. */
  fixed_price_paisa: number | null;
  /** The customer price in paisa that getServices shows and getNumber charges; null while unpriced. */
  price_paisa: number | null;
  /** The highest upstream cost at which the price still covers it (sent as maxPrice); null for free rows. */
  max_cost_micros: number | null;
  /** Stock the upstream last reported; null when unknown. Informational: purchases are not gated on it. */
  stock: number | null;
  enabled: number;
  synced_at: number | null;
  updated_at: number;
}

export interface CatalogTables {
  sms_provider_types: SmsProviderTypesTable;
  sms_countries: SmsCountriesTable;
  sms_services: SmsServicesTable;
  sms_prices: SmsPricesTable;
}
