/**
 * The temp email catalogue's fixed names. The catalogue itself lives in the database: a fresh
 * install gets the reference's 93 services and example prices from migration 0401
 * (db/migrations/0401-email-catalog-data.ts), and operators change it with `otpget email …`.
 */

/**
 * The site passed upstream when a customer names none (server 2 without `site`, and the "Any
 * Other" service): upstreams that insist on a real site refuse it, which the customer sees as
 * "Service not available".
 */
export const ANY_SITE = 'any';

/** Server 1's mailbox domain when the customer names none. */
export const DEFAULT_SERVER1_DOMAIN = 'gmail.com';

/** The name server-2 purchases carry in replies and history, as in the reference's example. */
export const SERVER2_SERVICE_NAME = 'Email Activation';
