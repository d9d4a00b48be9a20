import type { Generated } from 'kysely';

/**
 * One idempotency key of one account: which request it was first used with (a hash) and, once the
 * action finished, the exact reply it got. Unique on (account_id, idem_key).
 */
export interface IdempotencyKeysTable {
  id: Generated<number>;
  account_id: number;
  idem_key: string;
  /** SHA-256 (hex) of the endpoint path, action and parameters other than api_key and the key. */
  request_hash: string;
  state: 'in_progress' | 'done';
  /** 'text' or 'json' (WireReply kind); null while in progress. */
  reply_kind: string | null;
  /** The reply's body: the text, or the JSON as sent. */
  reply_body: string | null;
  created_at: number;
  completed_at: number | null;
}

export interface IdempotencyTables {
  idempotency_keys: IdempotencyKeysTable;
}
