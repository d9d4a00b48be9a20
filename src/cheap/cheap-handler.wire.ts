import { findAccount } from '../accounts/accounts.repository.js';
import type { AppContext } from '../app-context.js';
import { type ActionHandler, text, type WireEndpoint } from '../http/wire.js';
import { formatPkr } from '../shared/money.js';

/**
 * /stubs/cheap_handler.php — the Cheap Numbers API. Plain text except getServers and getServices
 * (JSON); its own error words (LOW_BALANCE, BAD_SERVER, DATABASE_ERROR, …).
 */
export function cheapHandlerEndpoint(ctx: AppContext): WireEndpoint {
  const getBalance: ActionHandler = async ({ accountId }) => {
    const account = await findAccount(ctx.db, accountId);
    return text(account ? `ACCESS_BALANCE:${formatPkr(account.balance)}` : 'BAD_KEY');
  };
  return {
    path: '/stubs/cheap_handler.php',
    actions: { getBalance },
    badKey: () => text('BAD_KEY'),
    blocked: () => text('ACCOUNT_BLOCKED'),
    badAction: () => text('BAD_ACTION'),
    // Not in the reference; a distinct word so clients can back off instead of treating it as a failure.
    rateLimited: () => text('TOO_MANY_REQUESTS'),
    internalError: () => text('DATABASE_ERROR'),
  };
}
