import type { AppContext } from '../app-context.js';
import { readPositiveInt } from '../http/params.js';
import {
  type ActionHandler,
  json,
  type WireCall,
  type WireEndpoint,
  type WireReply,
} from '../http/wire-types.js';
import { IDEMPOTENCY_JSON } from '../idempotency/idempotency-replies.js';
import { DEFAULT_SERVER1_DOMAIN } from './email-catalog.js';
import { listServer1Services, listServer2Domains } from './email-catalog.service.js';
import { EmailError } from './email-errors.js';
import { cancelEmailOrder, getEmailHistory, getEmailOrder } from './email-orders.service.js';
import { buyEmail } from './email-purchase.service.js';
import {
  badActionBody,
  badKeyBody,
  blockedBody,
  boughtBody,
  cancelClosedBody,
  cancelCompletedBody,
  cancelPendingBody,
  cancelRefundedBody,
  codeBody,
  domainsBody,
  errorBody,
  historyBody,
  internalErrorBody,
  rateLimitedBody,
  servicesBody,
} from './email-replies.js';

/**
 * /stubs/email_handler.php — the Temp Email OTP API, servers 1 (by service) and 2 (by domain).
 * JSON replies with a string `status`, always HTTP 200. Parameters are read here and nowhere
 * else; every body comes from email-replies.ts.
 */
export function emailHandlerEndpoint(ctx: AppContext): WireEndpoint {
  const getEmailServices = action(async ({ params }) => {
    const server = readServer(params.server);
    if (server === 1) {
      const domain = readDomain(params.domain) || DEFAULT_SERVER1_DOMAIN;
      return servicesBody(await listServer1Services(ctx, domain));
    }
    return domainsBody(await listServer2Domains(ctx, readDomain(params.site)));
  });

  const buy = action(async ({ params, accountId }) => {
    const server = readServer(params.server);
    if (server === 1) {
      const serviceCode = (params.service_id ?? '').trim().toLowerCase();
      if (!serviceCode) throw new EmailError('missing_service_id');
      const domain = readDomain(params.domain) || DEFAULT_SERVER1_DOMAIN;
      const { order, balance } = await buyEmail(ctx, accountId, { server, serviceCode, domain });
      return boughtBody(order, balance);
    }
    const domain = readDomain(params.domain);
    if (!domain) throw new EmailError('missing_domain');
    const { order, balance } = await buyEmail(ctx, accountId, {
      server,
      domain,
      site: readDomain(params.site),
    });
    return boughtBody(order, balance);
  });

  const getEmailCode = action(async ({ params, accountId }) => {
    const { order, messages } = await getEmailOrder(ctx, accountId, readEmailId(params.email_id));
    return codeBody(order, messages, ctx.clock.now());
  });

  const cancelEmail = action(async ({ params, accountId }) => {
    const outcome = await cancelEmailOrder(ctx, accountId, readEmailId(params.email_id));
    switch (outcome.kind) {
      case 'refunded':
        return cancelRefundedBody(outcome.order, outcome.balance);
      case 'completed':
        return cancelCompletedBody(outcome.order, outcome.messages, outcome.already);
      case 'pending':
        return cancelPendingBody(outcome.order);
      case 'closed':
        return cancelClosedBody(outcome.order);
    }
  });

  const getEmailHistoryAction = action(async ({ params, accountId }) => {
    // Like PHP panels: a missing or unreadable page is the first page.
    const page = readPositiveInt(params.page) ?? 1;
    return historyBody(await getEmailHistory(ctx, accountId, page));
  });

  return {
    path: '/stubs/email_handler.php',
    actions: {
      getEmailServices,
      buyEmail: buy,
      getEmailCode,
      cancelEmail,
      getEmailHistory: getEmailHistoryAction,
    },
    badKey: () => json(badKeyBody()),
    blocked: () => json(blockedBody()),
    badAction: () => json(badActionBody()),
    rateLimited: () => json(rateLimitedBody()),
    internalError: () => json(internalErrorBody()),
    idempotentActions: ['buyEmail'],
    idempotencyConflict: (reason) => json(IDEMPOTENCY_JSON[reason]),
    longPoll: {
      getEmailCode: {
        line: 'email',
        orderId: (params) => params.email_id?.trim() || null,
        isWaiting: (reply) =>
          reply.kind === 'json' && (reply.body as { status?: unknown } | null)?.status === '202',
      },
    },
  };
}

/** Runs an action and turns its domain errors into the reference's replies. */
function action(run: (call: WireCall) => Promise<Record<string, unknown>>): ActionHandler {
  return async (call): Promise<WireReply> => {
    try {
      return json(await run(call));
    } catch (error) {
      if (error instanceof EmailError) return json(errorBody(error.code, error.amounts));
      throw error;
    }
  };
}

/**
 * `server`: 1 when absent (as the reference says), 1 or 2; any other value names a server that
 * is not configured.
 */
function readServer(value: string | undefined): 1 | 2 {
  const trimmed = (value ?? '').trim();
  if (trimmed === '' || trimmed === '1') return 1;
  if (trimmed === '2') return 2;
  throw new EmailError('not_configured');
}

/** "Telegram.com", "https://www.telegram.com/" → "telegram.com"; '' when absent. */
function readDomain(value: string | undefined): string {
  return (value ?? '')
    .trim()
    .toLowerCase()
    .replace(/^[a-z]+:\/\//, '')
    .replace(/^www\./, '')
    .replace(/[/?#].*$/, '');
}

function readEmailId(value: string | undefined): number {
  if (value === undefined || value.trim() === '') throw new EmailError('missing_email_id');
  const id = readPositiveInt(value);
  if (id === null) throw new EmailError('not_found');
  return id;
}
