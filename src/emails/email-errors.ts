/** Why an email action could not be done; the wire module maps each to the reference's reply. */
export type EmailErrorCode =
  | 'missing_service_id'
  | 'missing_domain'
  | 'missing_email_id'
  | 'not_configured'
  | 'disabled'
  | 'service_not_available'
  | 'no_stock'
  | 'insufficient_balance'
  /** The account is blocked: it may not buy (the endpoint-wide ACCOUNT_BLOCKED reply). */
  | 'blocked'
  | 'not_found'
  | 'upstream_unreachable'
  | 'no_email'
  | 'database_error';

export class EmailError extends Error {
  override name = 'EmailError';
  constructor(
    readonly code: EmailErrorCode,
    /** For insufficient_balance: paisa needed and held. */
    readonly amounts?: { needed: number; balance: number },
  ) {
    super(`email: ${code}`);
  }
}
