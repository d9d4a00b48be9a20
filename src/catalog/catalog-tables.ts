import type { Generated } from 'kysely';

/**
 * The SMS OTP catalog. Provider types 1-6 are operator configuration: each buys from an ordered
 * route of upstreams. Countries and services carry our own numeric ids (what customers send); a
 * price row is one upstream's offer of (type, country, service): its own codes and cost.
 */
export interface SmsProviderTypesTable {
  /** 1-6, the reference's `type` parameter. */
  id: number;
  name: string;
  /**
   * The first upstream of the type's route (`sms_type_routes` position 0), kept equal to it by the
   * one function that writes routes: the price sync, the import and the console read it as "the
   * type's upstream".
   */
  upstream_id: number;
  /** The order a purchase tries the route in: 'priority' | 'cheapest' | 'best' (sms-routes.ts). */
  route_policy: string;
  /** 0 hides the type: BAD_TYPE to every call naming it. */
  enabled: number;
  created_at: number;
  updated_at: number;
}

/** A type's route: the upstreams it buys from, position 0 first. */
export interface SmsTypeRoutesTable {
  provider_type: number;
  upstream_id: number;
  position: number;
}

/** The lines whose catalogues are imported from an upstream (and re-imported on schedule). */
export type CatalogueLine = 'sms' | 'rental' | 'email';

/** An imported catalogue (line × type or server × upstream) and when the scheduled job runs it again. */
export interface CatalogueImportsTable {
  line: CatalogueLine;
  /** The SMS provider type, or the rental or email server. */
  target: number;
  upstream_id: number;
  /** The import's narrowing as JSON (`{"countries":["150"]}`); `{}`: everything. */
  options: string;
  imported_at: number;
  next_import_at: number;
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
  /** The upstream (kind sms) this offer buys from; one offer per upstream of the type's route. */
  upstream_id: number;
  /** The upstream's own codes for getNumber (e.g. "0" / "tg"; the sandbox takes a dialling code and a name). */
  upstream_country: string;
  upstream_service: string;
  /** Upstream cost in micro-units of the upstream's currency, refreshed by the price sync. */
  cost_micros: number;
  /** The operator's fixed customer price in paisa; null to derive it from cost × rate × markup. */
  fixed_price_paisa: number | null;
  /**
   * The customer price in paisa that getServices shows and getNumber charges. Set on one row of
   * (type, country, service) only, the price row: the enabled, priced offer first in the route.
   * Null on the other upstreams' offers of the key, on unrouted ones and while unpriced.
   */
  price_paisa: number | null;
  /**
   * The highest upstream cost the key's price covers (sent as maxPrice). On the price row never
   * below its cost (a discount is the operator's choice); on another route's offer the plain break-
   * even, so an offer costing more is skipped. Null for free rows and rows that cannot be priced.
   */
  max_cost_micros: number | null;
  /** Stock the upstream last reported; null when unknown. Informational: purchases are not gated on it. */
  stock: number | null;
  enabled: number;
  synced_at: number | null;
  updated_at: number;
}

export interface CatalogTables {
  sms_provider_types: SmsProviderTypesTable;
  sms_type_routes: SmsTypeRoutesTable;
  catalogue_imports: CatalogueImportsTable;
  sms_countries: SmsCountriesTable;
  sms_services: SmsServicesTable;
  sms_prices: SmsPricesTable;
}
