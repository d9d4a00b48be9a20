import type { Generated } from 'kysely';

/** Where an activation is in its life; see docs/ARCHITECTURE.md ("Activations") for the transitions. */
export type ActivationState =
  | 'pending'
  | 'active'
  | 'code_received'
  | 'finished'
  | 'cancelled'
  | 'expired'
  | 'failed';

/**
 * One number bought for one code, on the SMS OTP line or the cheap-number line. Money: the row's
 * `order_debit` and `order_refund` ledger entries have the reference `activation:<id>`, so each
 * happens at most once whatever path races to do it.
 */
export interface ActivationsTable {
  id: Generated<number>;
  /** What the customer sees and sends back: random, unique, no colons. */
  public_id: string;
  line: 'sms' | 'cheap';
  account_id: number;
  /** The `upstreams` row (kind sms) the number was bought from. */
  upstream_id: number;
  /** Null until the upstream's reply is known (pending). */
  upstream_order_id: string | null;
  upstream_country: string;
  upstream_service: string;
  /** What the upstream says it charged, in its micro-units, when it says so. */
  upstream_cost_micros: number | null;
  /** Which catalog entry was sold, e.g. `type:1/country:61/service:101` or `cheap:server:1`. */
  catalog_ref: string;
  /** Digits, no "+"; null while pending. */
  phone: string | null;
  state: ActivationState;
  /** Paisa charged; 0 for free offers (then no ledger entries exist). */
  price_paisa: number;
  /** The code shown in STATUS_OK:…; null until a message arrived. */
  code: string | null;
  /** The full text of the message the code came from. */
  sms_text: string | null;
  /** When the first code was recorded (migration 0502); null before a code, and for older orders. */
  code_received_at: number | null;
  created_at: number;
  expires_at: number;
  cancel_allowed_at: number;
  /** When the worker should look at the order next (poll or reconcile); null when nothing is due. */
  next_check_at: number | null;
  /** A worker owns the order until then; null or past when free. */
  lease_until: number | null;
  updated_at: number;
}

/** Per-upstream lease for the batched poll, so two processes do not both list one upstream per interval. */
export interface ActivationPollLeasesTable {
  upstream_id: number;
  lease_until: number;
}

export interface ActivationTables {
  activations: ActivationsTable;
  activation_poll_leases: ActivationPollLeasesTable;
}
