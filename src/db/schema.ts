import type { ColumnType, Generated } from 'kysely';
import type { ActivationTables } from '../activations/activation-tables.js';
import type { AdminTables } from '../admin/admin-tables.js';
import type { CatalogTables } from '../catalog/catalog-tables.js';
import type { CheapTables } from '../cheap/cheap-tables.js';
import type { EmailTables } from '../emails/email-tables.js';
import type { IdempotencyTables } from '../idempotency/idempotency-tables.js';
import type { PortalTables } from '../portal/portal-tables.js';
import type { RentalTables } from '../rentals/rental-tables.js';
import type { SimPoolTables } from '../sim-pool/sim-pool-tables.js';
import type { WebhookTables } from '../webhooks/webhook-tables.js';

/**
 * Table types for Kysely. Each feature declares its own tables beside its repository and they
 * are joined here into one Schema. Conventions: ids are integers, money is integer paisa,
 * times are epoch milliseconds, booleans are 0/1 integers (the same on SQLite and PostgreSQL).
 */

export interface AccountsTable {
  id: Generated<number>;
  name: string | null;
  email: string | null;
  status: 'active' | 'blocked';
  /** Paisa. Changed only together with a ledger entry. */
  balance: ColumnType<number, number | undefined, number>;
  created_at: number;
  updated_at: number;
}

export interface ApiKeysTable {
  id: Generated<number>;
  account_id: number;
  /** SHA-256 of the key, hex. The key itself is shown once and never stored. */
  key_hash: string;
  /** First characters of the key, for telling keys apart in lists. */
  key_prefix: string;
  created_at: number;
  revoked_at: number | null;
}

export interface LedgerEntriesTable {
  id: Generated<number>;
  account_id: number;
  /** Signed paisa: positive credits, negative debits. */
  amount: number;
  balance_after: number;
  /** What moved the money, e.g. `topup`, `order_debit`, `order_refund`. */
  kind: string;
  /** Unique with kind: the same order cannot be debited or refunded twice. */
  reference: string;
  note: string | null;
  created_at: number;
}

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: number;
}

export interface UpstreamsTable {
  id: Generated<number>;
  name: string;
  /** Which interface it implements: sms, rental or email. */
  kind: 'sms' | 'rental' | 'email';
  /** Adapter: sandbox, sms-activate, sms-activate-rent, kopeechka, sms-activate-email, sim-pool. */
  protocol: string;
  base_url: string | null;
  api_key: string | null;
  /** Currency of the upstream's prices, e.g. USD, RUB. */
  currency: string;
  timeout_ms: number;
  enabled: number;
  /** SHA-256 (hex) of the upstream's push token; null while push is off. */
  push_token_hash: Generated<string | null>;
  push_token_issued_at: Generated<number | null>;
  created_at: number;
  updated_at: number;
}

/** The sandbox upstream's own state: what it "sold" and the messages waiting on it. */
export interface SandboxOrdersTable {
  id: Generated<number>;
  kind: 'sms' | 'rental' | 'email';
  /** Phone number (digits) or email address. */
  address: string;
  /** Service or site the order is for, used to word the automatic message. */
  service: string;
  status: 'active' | 'cancelled' | 'finished';
  /** When the automatic message appears; null once delivered or when automatic delivery is off. */
  auto_deliver_at: number | null;
  expires_at: number | null;
  created_at: number;
}

export interface SandboxMessagesTable {
  id: Generated<number>;
  sandbox_order_id: number;
  sender: string;
  text: string;
  created_at: number;
}

/** The upstream-call log (migration 0503); see providers/upstream-call-log.ts. */
export interface UpstreamCallsTable {
  id: Generated<number>;
  upstream_id: number;
  operation: string;
  order_ref: string | null;
  upstream_order_id: string | null;
  started_at: number;
  duration_ms: number;
  outcome: string;
  error: string | null;
}

/** Failed logins per login name (migration 0602); see shared/login-backoff.ts. */
export interface LoginFailuresTable {
  /** `customer:<email>` or `operator:<email>`, the email normalised. */
  subject: string;
  failures: number;
  locked_until: number;
  expires_at: number;
}

export interface CoreTables {
  accounts: AccountsTable;
  api_keys: ApiKeysTable;
  ledger_entries: LedgerEntriesTable;
  settings: SettingsTable;
  upstreams: UpstreamsTable;
  sandbox_orders: SandboxOrdersTable;
  sandbox_messages: SandboxMessagesTable;
  upstream_calls: UpstreamCallsTable;
  login_failures: LoginFailuresTable;
}

export interface Schema
  extends CoreTables,
    ActivationTables,
    CatalogTables,
    CheapTables,
    SimPoolTables,
    AdminTables,
    RentalTables,
    EmailTables,
    PortalTables,
    IdempotencyTables,
    WebhookTables {}
