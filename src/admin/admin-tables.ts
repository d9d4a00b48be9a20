import type { Generated } from 'kysely';

/**
 * Tables of the operator console: operator users and their sessions, the audit log, and the
 * customers' top-up requests. Joined into the one Schema in db/schema.ts.
 */

export interface OperatorUsersTable {
  id: Generated<number>;
  /** Lower-cased; the login name. */
  email: string;
  /** `scrypt$N$r$p$salt$hash` (base64url parts); see admin/passwords.ts. */
  password_hash: string;
  status: 'active' | 'disabled';
  created_at: number;
  updated_at: number;
}

export interface OperatorSessionsTable {
  id: Generated<number>;
  operator_id: number;
  /** SHA-256 of the bearer token / cookie value; the token itself is shown once. */
  token_hash: string;
  created_at: number;
  expires_at: number;
  revoked_at: number | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  /** Operator user id; null for changes made from the CLI. */
  operator_id: number | null;
  /** Who, as shown: the operator's email, or `cli`. */
  actor: string;
  /** What, e.g. `account.credit`, `upstream.update`, `topup.approve`. */
  action: string;
  /** Which object, e.g. `account:12`, `upstream:3`, `setting:markup:sms`. */
  target: string;
  /** JSON of the object before and after the change; null where it did not exist. */
  before_json: string | null;
  after_json: string | null;
  /** The client address of a console change (see OTPGET_TRUST_PROXY); null from the CLI. */
  client_address: string | null;
  created_at: number;
}

export interface TopupRequestsTable {
  id: Generated<number>;
  account_id: number;
  /** Paisa asked for. */
  amount: number;
  /** `jazzcash`, `easypaisa` or `bank`. */
  method: string;
  /** The customer's payment reference (transaction id) the operator checks against the statement. */
  payment_reference: string;
  note: string | null;
  state: 'pending' | 'approved' | 'rejected';
  decided_by: number | null;
  decided_at: number | null;
  decision_note: string | null;
  created_at: number;
}

export interface AdminTables {
  operator_users: OperatorUsersTable;
  operator_sessions: OperatorSessionsTable;
  audit_log: AuditLogTable;
  topup_requests: TopupRequestsTable;
}
