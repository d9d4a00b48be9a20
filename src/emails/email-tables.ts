import type { Generated } from 'kysely';

/**
 * Tables of the temp email line (migrations 0400-0499). Money is integer paisa, times epoch ms,
 * booleans 0/1, as everywhere else; order columns use the activations table's names.
 */

/** Which upstream serves email server 1 (by service) and server 2 (by domain). */
export interface EmailServersTable {
  /** 1 or 2: the `server` parameter of the customer API. */
  server: number;
  upstream_id: number;
  enabled: number;
  updated_at: number;
}

/** The server-1 service catalogue: the reference's service codes and the site each sends mail from. */
export interface EmailServicesTable {
  /** The reference's service_id, e.g. `ig`. */
  code: string;
  /** As the reference writes it, e.g. `Instagram`, `VK / Mail.ru`. */
  name: string;
  /** The domain the service sends mail from; upstreams match the sender by it (`instagram.com`). */
  site: string;
  /** Listing order (the reference's table order). */
  position: number;
  enabled: number;
}

/**
 * What is for sale and at what price: a server-1 row per (service, mailbox domain), a server-2
 * row per mailbox domain (service_code is '' there, so the unique key works on both dialects).
 */
export interface EmailOffersTable {
  id: Generated<number>;
  server: number;
  service_code: string;
  domain: string;
  /** Customer price in paisa, > 0. */
  price: number;
  /** Stock shown to customers when the upstream reports none itself (the sandbox). 0 = sold out. */
  stock: number;
  /** Upstream cost (its micro-units) `otpget email import` priced this from; null: priced by hand. */
  cost_micros: number | null;
  enabled: number;
  updated_at: number;
}

/**
 * One mailbox bought by a customer. State machine (every change a compare-and-set):
 * pending → waiting → received → completed; waiting → cancelled | expired (refund);
 * pending → failed (refund).
 */
export interface EmailOrdersTable {
  id: Generated<number>;
  account_id: number;
  server: number;
  upstream_id: number;
  /** Server-1 service code; '' on server 2. */
  service_code: string;
  /** Snapshot for the wire: `Instagram` on server 1, `Email Activation` on server 2. */
  service_name: string;
  /** The site asked of the upstream ('' when the customer named none on server 2). */
  site: string;
  domain: string;
  /** Paisa debited (and refunded, if it comes to that). */
  price_paisa: number;
  state: EmailOrderState;
  /** Null until the upstream sold the mailbox. */
  email: string | null;
  upstream_order_id: string | null;
  /** What the upstream says it charged, in its micro-units, when it says so. */
  upstream_cost_micros: number | null;
  /** The first code received ('' when the message had none); null before. */
  code: string | null;
  expires_at: number | null;
  /** When the worker should next look at this order; null when nothing is due. */
  next_check_at: number | null;
  /** A worker holds the order until then (two-process safety). */
  lease_until: number | null;
  created_at: number;
  updated_at: number;
}

export type EmailOrderState =
  | 'pending'
  | 'waiting'
  | 'received'
  | 'completed'
  | 'cancelled'
  | 'expired'
  | 'failed';

/** Messages received on an order's mailbox. */
export interface EmailMessagesTable {
  id: Generated<number>;
  order_id: number;
  /** The upstream's (or derived) id: the same letter polled twice is stored once. */
  upstream_message_id: string;
  sender: string;
  /** Readable text (HTML converted). */
  text: string;
  /** The message as the upstream gave it (HTML allowed). */
  raw: string;
  code: string;
  link: string;
  received_at: number;
}

export interface EmailTables {
  email_servers: EmailServersTable;
  email_services: EmailServicesTable;
  email_offers: EmailOffersTable;
  email_orders: EmailOrdersTable;
  email_messages: EmailMessagesTable;
}
