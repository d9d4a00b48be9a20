/** Every failure the SDK throws is an OtpgetError; switch on the subclass and its `code`. */
export class OtpgetError extends Error {
  override name = 'OtpgetError';
}

/** The server could not be reached, or answered something that is not an otpget reply. */
export class OtpgetNetworkError extends OtpgetError {
  override name = 'OtpgetNetworkError';
}

/** The caller's rate limit: the SDK retries safe calls itself; a purchase without a key is not retried. */
export class OtpgetRateLimitError extends OtpgetError {
  override name = 'OtpgetRateLimitError';
  constructor(readonly retryAfterMs: number) {
    super(`rate limited; retry after ${retryAfterMs} ms`);
  }
}

/** waitForCode gave up: the deadline passed with no code. */
export class OtpgetTimeoutError extends OtpgetError {
  override name = 'OtpgetTimeoutError';
}

/** The order was cancelled or expired while waiting for its code (STATUS_CANCEL, status "300"). */
export class OtpgetCancelledError extends OtpgetError {
  override name = 'OtpgetCancelledError';
}

/** The plain-text APIs' failure words (SMS OTP and cheap numbers), as documented. */
export type TextErrorCode =
  | 'BAD_KEY'
  | 'ACCOUNT_BLOCKED'
  | 'BAD_ACTION'
  | 'BAD_SERVICE'
  | 'BAD_COUNTRY'
  | 'BAD_TYPE'
  | 'BAD_ID'
  | 'BAD_STATUS'
  | 'BAD_SERVER'
  | 'NO_BALANCE'
  | 'LOW_BALANCE'
  | 'NO_NUMBERS'
  | 'NO_SERVERS'
  | 'NO_SERVICES'
  | 'NO_ACTIVATION'
  | 'DATABASE_ERROR'
  | 'ERROR_SQL'
  | 'STATUS_ALREADY_CHANGED'
  | 'EARLY_CANCEL_DENIED'
  | 'NO_SMS_RECEIVED'
  | 'ERROR_PRICE_CHANGE'
  | 'ERROR_PROVIDER'
  | 'WRONG_MAX_PRICE'
  | 'IDEMPOTENCY_CONFLICT'
  | 'IDEMPOTENCY_IN_PROGRESS'
  | 'BAD_IDEMPOTENCY_KEY';

const TEXT_CODES: ReadonlySet<string> = new Set<TextErrorCode>([
  'BAD_KEY',
  'ACCOUNT_BLOCKED',
  'BAD_ACTION',
  'BAD_SERVICE',
  'BAD_COUNTRY',
  'BAD_TYPE',
  'BAD_ID',
  'BAD_STATUS',
  'BAD_SERVER',
  'NO_BALANCE',
  'LOW_BALANCE',
  'NO_NUMBERS',
  'NO_SERVERS',
  'NO_SERVICES',
  'NO_ACTIVATION',
  'DATABASE_ERROR',
  'ERROR_SQL',
  'STATUS_ALREADY_CHANGED',
  'EARLY_CANCEL_DENIED',
  'NO_SMS_RECEIVED',
  'ERROR_PRICE_CHANGE',
  'WRONG_MAX_PRICE',
  'IDEMPOTENCY_CONFLICT',
  'IDEMPOTENCY_IN_PROGRESS',
  'BAD_IDEMPOTENCY_KEY',
]);

/** A documented failure word from /stubs/handler_api.php or /stubs/cheap_handler.php. */
export class OtpgetTextApiError extends OtpgetError {
  override name = 'OtpgetTextApiError';
  constructor(
    readonly code: TextErrorCode,
    /** The reply exactly as received. */
    readonly reply: string,
    /** ERROR_PROVIDER_n: the provider number n, and the upstream's detail after the colon. */
    readonly provider?: { type: number; detail: string },
  ) {
    super(reply);
  }
}

/** The failure a text reply means, or null when it is not one of the documented words. */
export function textError(reply: string): OtpgetTextApiError | null {
  const provider = /^ERROR_PROVIDER_(\d+)(?::(.*))?$/s.exec(reply);
  if (provider) {
    return new OtpgetTextApiError('ERROR_PROVIDER', reply, {
      type: Number(provider[1]),
      detail: provider[2] ?? '',
    });
  }
  return TEXT_CODES.has(reply) ? new OtpgetTextApiError(reply as TextErrorCode, reply) : null;
}

/** The JSON APIs' documented failures, named after their meaning (the wire has status + message). */
export type JsonErrorCode =
  | 'bad_key'
  | 'blocked'
  | 'bad_request'
  | 'insufficient_balance'
  | 'not_found'
  | 'conflict'
  | 'server_error'
  | 'upstream_error'
  | 'unavailable';

const JSON_CODES: Readonly<Record<string, JsonErrorCode>> = {
  '400': 'bad_request',
  '401': 'bad_key',
  '402': 'insufficient_balance',
  '403': 'blocked',
  '404': 'not_found',
  '409': 'conflict',
  '500': 'server_error',
  '502': 'upstream_error',
  '503': 'unavailable',
};

/** A documented failure of /stubs/rental-handler.php or /stubs/email_handler.php. */
export class OtpgetJsonApiError extends OtpgetError {
  override name = 'OtpgetJsonApiError';
  readonly code: JsonErrorCode;
  constructor(
    /** The `status` field as on the wire: a string such as "402". */
    readonly status: string,
    /** The `message` field exactly as received. */
    readonly apiMessage: string,
    /** The whole reply body. */
    readonly body: Record<string, unknown>,
  ) {
    super(`${status}: ${apiMessage}`);
    this.code = JSON_CODES[status] ?? 'server_error';
  }
}
