/** Why a request carrying a key was not run. */
export type IdempotencyRefusal =
  /** The key was first used with a different action or different parameters. */
  | 'different_params'
  /** Longer than MAX_IDEMPOTENCY_KEY_LENGTH or not printable ASCII. */
  | 'invalid_key'
  /** The first request with this key has not finished (still running, or it died mid-way). */
  | 'in_progress';
