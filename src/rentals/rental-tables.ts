import type { Generated } from 'kysely';

/**
 * The rental line's tables (migrations 0300-0399). Money in paisa, times in epoch ms, flags 0/1.
 * Order columns use the activations table's names (state, next_check_at, lease_until).
 *
 * Catalog: servers ("provider" 1 and 2 on the wire) → countries → price tiers per duration.
 * Orders: rentals, their renewals (each one charged and extended exactly once) and their inbox.
 */

/** A rental server: what the customer calls `provider`. Ids are chosen by the operator (1, 2, …). */
export interface RentalServersTable {
  id: number;
  /** Shown to customers: "Server 2" (getMyRentals `server`, error messages). */
  name: string;
  /** The `upstreams` row (kind rental) this server buys from. */
  upstream_id: number;
  /** 0 = disabled by the operator: every action on it answers 503. */
  enabled: number;
  /** 1 = only 720, 4320 and 8640 hours may be rented or renewed here (the reference's Server 2 rule). */
  monthly_only: number;
  created_at: number;
  updated_at: number;
}

/** A country on one server. Its id is the public `id` of getRentalCountries. */
export interface RentalCountriesTable {
  id: Generated<number>;
  server_id: number;
  /** Lower-case code the customer sends as `country_code` ("ca"), unique per server. */
  country_code: string;
  name: string;
  /** The upstream's own country code (SMS-Activate "36" for Canada; the sandbox uses the dial code). */
  upstream_country: string;
  /** Upstream service to rent; null = the adapter's default (SMS-Activate "full"). */
  upstream_service: string | null;
  enabled: number;
  created_at: number;
  updated_at: number;
}

/**
 * A price tier: one duration in one country. Exactly one of `price_paisa` (fixed price) and
 * `cost_micros` (upstream cost, priced with the exchange rate and markup) is set.
 */
export interface RentalPriceTiersTable {
  id: Generated<number>;
  country_id: number;
  duration_hours: number;
  price_paisa: number | null;
  cost_micros: number | null;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export type RentalStatus = 'pending' | 'active' | 'expired' | 'failed';

/** One rented number. `pending` = paid, upstream outcome not known yet; `failed` = refunded, never delivered. */
export interface RentalsTable {
  id: Generated<number>;
  /** Public, unguessable order id: 19 random digits. */
  order_id: string;
  account_id: number;
  server_id: number;
  country_id: number;
  country_code: string;
  /** Duration bought at purchase (renewals are in rental_renewals). */
  duration_hours: number;
  price_paisa: number;
  upstream_id: number;
  upstream_order_id: string | null;
  upstream_cost_micros: number | null;
  phone: string | null;
  state: RentalStatus;
  /** Our expiry, the one customers see; extended by each renewal from its previous value. Null while pending. */
  expiry_time: number | null;
  /** The expiry given at purchase: expiry_time minus every completed renewal (checked by the invariants). */
  first_expiry_time: number | null;
  /** The upstream's own end date as it last told us (for the operator; may differ by rounding). */
  upstream_expires_at: number | null;
  /** Renewals started so far; numbers each renewal (its ledger reference). */
  renewal_count: number;
  /** When the SMS pull job next asks the upstream. */
  next_check_at: number | null;
  /** Lease of the SMS pull job: another process skips the rental until then. */
  lease_until: number | null;
  /** A customer read the inbox recently: poll the upstream often until then. */
  sms_wanted_until: number | null;
  /** When the inbox was last read from the upstream successfully (0: never). */
  inbox_pulled_at: Generated<number>;
  created_at: number;
  updated_at: number;
}

export type RenewalStatus = 'pending' | 'done' | 'failed';

/** One renewal: charged once (`rental-renewal:<rental id>:<seq>`), extends once, or refunded once. */
export interface RentalRenewalsTable {
  id: Generated<number>;
  rental_id: number;
  /** 1, 2, 3… per rental. */
  seq: number;
  account_id: number;
  duration_hours: number;
  price_paisa: number;
  state: RenewalStatus;
  /** Our expiry after this renewal's extension; null until done. */
  new_expiry: number | null;
  created_at: number;
  updated_at: number;
}

/** A message received on a rental, stored once per upstream message id and served from here. */
export interface RentalMessagesTable {
  id: Generated<number>;
  rental_id: number;
  upstream_message_id: string;
  sender: string | null;
  text: string;
  /** Our extraction; '' when the text holds no code. */
  code: string;
  received_at: number;
  created_at: number;
}

export interface RentalTables {
  rental_servers: RentalServersTable;
  rental_countries: RentalCountriesTable;
  rental_price_tiers: RentalPriceTiersTable;
  rentals: RentalsTable;
  rental_renewals: RentalRenewalsTable;
  rental_messages: RentalMessagesTable;
}
