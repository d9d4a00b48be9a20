import { readBalance } from '../accounts/accounts.service.js';
import type { AppContext } from '../app-context.js';
import { readCatalogInt } from '../http/params.js';
import { type ActionHandler, json, text, type WireEndpoint, type WireReply } from '../http/wire-types.js';
import { IDEMPOTENCY_WORDS } from '../idempotency/idempotency-replies.js';
import { formatPkr } from '../shared/money.js';
import {
  buyCheapNumber,
  CHEAP_ID_PREFIX,
  CHEAP_TYPES,
  cancelCheapOrder,
  cheapOrderStatus,
  completeCheapOrder,
  findServerOfType,
  listPurchasableServers,
  listServersByType,
} from './cheap.service.js';
import { CHEAP_WORDS, cheapReplies } from './cheap-replies.js';
import type { CheapServer } from './cheap-servers.repository.js';

/** getServices' label: the server's service name, an em dash, then the price in rupees ("… — ₨50.00"). */
export function serviceLabel(server: Pick<CheapServer, 'serviceName' | 'pricePaisa'>): string {
  return `${server.serviceName} \u2014 \u20a8${formatPkr(server.pricePaisa)}`;
}

/** `type`: 1 or 2; null for anything else (missing, "3", "x"). */
function readType(value: string | undefined): number | null {
  const type = readCatalogInt(value);
  return type !== null && (CHEAP_TYPES as readonly number[]).includes(type) ? type : null;
}

const ORDER_ID_SHAPE = new RegExp(`^${CHEAP_ID_PREFIX}[A-Za-z0-9_]{1,60}$`);

/** Whether an id can be one this API issued (`ORD_` + letters, digits, underscores): saves a lookup for junk. */
function isOrderIdShape(id: string): boolean {
  return ORDER_ID_SHAPE.test(id);
}

/**
 * /stubs/cheap_handler.php — the Cheap Numbers API. Plain text except getServers and getServices
 * (JSON). Checks run in parameter order and stop at the first failure: `type` before `server`
 * (server ids are checked against the type), `id` before `status`, and every parameter's shape
 * before anything is looked up, so a bad request never costs a database read it does not need.
 */
export function cheapHandlerEndpoint(ctx: AppContext): WireEndpoint {
  const getBalance: ActionHandler = async ({ accountId }) => {
    const balance = await readBalance(ctx.database, accountId);
    return text(balance !== null ? cheapReplies.balance(formatPkr(balance)) : CHEAP_WORDS.BAD_KEY);
  };

  /** `type` optional: omitted (or empty) lists every type; an empty selection is NO_SERVERS. */
  const getServers: ActionHandler = async ({ params }) => {
    const raw = params.type?.trim() ?? '';
    const type = raw === '' ? undefined : readType(raw);
    if (type === null) return text(CHEAP_WORDS.BAD_TYPE);
    const byType = await listServersByType(ctx, type);
    if (byType.size === 0) return text(CHEAP_WORDS.NO_SERVERS);
    const body: Record<string, Array<{ id: string; name: string }>> = {};
    for (const [t, servers] of byType)
      body[String(t)] = servers.map((s) => ({ id: String(s.id), name: s.name }));
    return json(body);
  };

  /** Resolves `type` then `server`, or answers the first error. */
  async function readServer(params: Record<string, string>): Promise<CheapServer | WireReply> {
    const type = readType(params.type);
    if (type === null) return text(CHEAP_WORDS.BAD_TYPE);
    const serverId = readCatalogInt(params.server);
    const server = serverId === null ? null : await findServerOfType(ctx, type, serverId);
    return server ?? text(CHEAP_WORDS.BAD_SERVER);
  }

  /**
   * The price list of the server's type, keyed by server id (what buyNumber takes as `server`), as
   * in the reference where server=1 lists both servers. NO_SERVICES when nothing of the type can be
   * bought now (every upstream behind it switched off).
   */
  const getServices: ActionHandler = async ({ params }) => {
    const server = await readServer(params);
    if ('kind' in server) return server;
    const servers = await listPurchasableServers(ctx, server.type);
    if (servers.length === 0) return text(CHEAP_WORDS.NO_SERVICES);
    return json(Object.fromEntries(servers.map((s) => [String(s.id), serviceLabel(s)])));
  };

  const buyNumber: ActionHandler = async ({ params, accountId }) => {
    const server = await readServer(params);
    if ('kind' in server) return server;
    const result = await buyCheapNumber(ctx, accountId, server);
    switch (result.kind) {
      case 'ok':
        return text(cheapReplies.bought(result.orderId, result.phone, result.expiresInSeconds));
      case 'low_balance':
        return text(CHEAP_WORDS.LOW_BALANCE);
      case 'blocked':
        return text(CHEAP_WORDS.ACCOUNT_BLOCKED);
      case 'no_numbers':
        return text(CHEAP_WORDS.NO_NUMBERS);
      case 'database_error':
        return text(CHEAP_WORDS.DATABASE_ERROR);
    }
  };

  const getStatus: ActionHandler = async ({ params, accountId }) => {
    const id = params.id?.trim() ?? '';
    if (id === '') return text(CHEAP_WORDS.BAD_ID);
    if (!isOrderIdShape(id)) return text(CHEAP_WORDS.NO_ACTIVATION);
    const status = await cheapOrderStatus(ctx, accountId, id);
    switch (status.kind) {
      case 'not_found':
        return text(CHEAP_WORDS.NO_ACTIVATION);
      case 'waiting':
        return text(CHEAP_WORDS.STATUS_WAIT_CODE);
      case 'code':
        return text(cheapReplies.code(status.code));
      case 'ended':
        return text(CHEAP_WORDS.STATUS_CANCEL);
    }
  };

  /** 8 cancels and refunds; 3 and 6 complete. A cancel after the code came is BAD_STATUS. */
  const setStatus: ActionHandler = async ({ params, accountId }) => {
    const id = params.id?.trim() ?? '';
    if (id === '') return text(CHEAP_WORDS.BAD_ID);
    const status = params.status?.trim();
    if (status !== '8' && status !== '3' && status !== '6') return text(CHEAP_WORDS.BAD_STATUS);
    if (!isOrderIdShape(id)) return text(CHEAP_WORDS.NO_ACTIVATION);
    if (status === '8') {
      const result = await cancelCheapOrder(ctx, accountId, id);
      if (result === 'cancelled') return text(CHEAP_WORDS.ACCESS_READY);
      if (result === 'too_early') return text(CHEAP_WORDS.EARLY_CANCEL_DENIED);
      if (result === 'already_cancelled') return text(CHEAP_WORDS.STATUS_CANCEL);
      return text(result === 'not_found' ? CHEAP_WORDS.NO_ACTIVATION : CHEAP_WORDS.BAD_STATUS);
    }
    const result = await completeCheapOrder(ctx, accountId, id);
    if (result === 'finished') return text(CHEAP_WORDS.ACCESS_FINISH);
    return text(result === 'no_sms' ? CHEAP_WORDS.NO_SMS_RECEIVED : CHEAP_WORDS.NO_ACTIVATION);
  };

  return {
    path: '/stubs/cheap_handler.php',
    actions: { getBalance, getServers, getServices, buyNumber, getStatus, setStatus },
    badKey: () => text(CHEAP_WORDS.BAD_KEY),
    blocked: () => text(CHEAP_WORDS.ACCOUNT_BLOCKED),
    badAction: () => text(CHEAP_WORDS.BAD_ACTION),
    rateLimited: () => text(CHEAP_WORDS.TOO_MANY_REQUESTS),
    // The reference's own word for a failure on our side; no money moved when it is answered.
    internalError: () => text(CHEAP_WORDS.DATABASE_ERROR),
    idempotentActions: ['buyNumber'],
    idempotencyConflict: (reason) => text(IDEMPOTENCY_WORDS[reason]),
    longPoll: {
      getStatus: {
        line: 'cheap',
        orderId: (params) => params.id?.trim() || null,
        isWaiting: (reply) => reply.kind === 'text' && reply.body === CHEAP_WORDS.STATUS_WAIT_CODE,
      },
    },
  };
}
