import { findAccount } from '../accounts/accounts.repository.js';
import type { AppContext } from '../app-context.js';
import { type ActionHandler, text, type WireEndpoint } from '../http/wire.js';
import { formatPkr } from '../shared/money.js';

/**
 * /stubs/handler_api.php — the SMS OTP API. Plain-text replies except getCountries and
 * getServices (JSON), exactly as the reference documents them.
 */
export function handlerApiEndpoint(ctx: AppContext): WireEndpoint {
  const getBalance: ActionHandler = async ({ accountId }) => {
    const account = await findAccount(ctx.db, accountId);
    return text(account ? `ACCESS_BALANCE:${formatPkr(account.balance)}` : 'BAD_KEY');
  };
  return {
    path: '/stubs/handler_api.php',
    actions: { getBalance },
    badKey: () => text('BAD_KEY'),
    blocked: () => text('ACCOUNT_BLOCKED'),
    badAction: () => text('BAD_ACTION'),
    // Not in the reference; a distinct word so clients can back off instead of treating it as a failure.
    rateLimited: () => text('TOO_MANY_REQUESTS'),
    // Not in the reference's table; SMS-Activate clients already know this reply for a server-side failure.
    internalError: () => text('ERROR_SQL'),
  };
}
