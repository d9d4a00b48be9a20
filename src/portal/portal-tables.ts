import type { Generated } from 'kysely';

/** A customer's browser login: email (lower-cased, unique) and scrypt password hash. */
export interface CustomerLoginsTable {
  account_id: number;
  email: string;
  password_hash: string;
  /** In every session cookie; bumped to sign out everywhere. */
  session_version: number;
  created_at: number;
  updated_at: number;
}

/** A set-password link (operator invite or password reset); the token itself is never stored. */
export interface CustomerPasswordLinksTable {
  id: Generated<number>;
  account_id: number;
  /** SHA-256 (hex) of the token in the link. */
  token_hash: string;
  purpose: 'invite' | 'reset';
  /** The login's email once the password is set (an invite creates the login with it). */
  email: string;
  /** "cli", an operator's name, or "customer" for a reset the customer asked for. */
  created_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** A "forgot password" request; `operator` ones wait for the operator to hand out a link. */
export interface PasswordResetRequestsTable {
  id: Generated<number>;
  account_id: number;
  email: string;
  delivery: 'mail' | 'operator';
  requested_at: number;
  handled_at: number | null;
}

export interface PortalTables {
  customer_logins: CustomerLoginsTable;
  customer_password_links: CustomerPasswordLinksTable;
  password_reset_requests: PasswordResetRequestsTable;
}
