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

export interface PortalTables {
  customer_logins: CustomerLoginsTable;
}
