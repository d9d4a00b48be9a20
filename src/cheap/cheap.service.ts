import {
  type Activation,
  buyActivation,
  cancelActivation,
  completeActivation,
  findCustomerActivation,
  getActivationStatus,
} from '../activations/activations.service.js';
import type { AppContext } from '../app-context.js';
import { type CheapServer, findCheapServer, listCheapServers } from './cheap-servers.repository.js';

/**
 * The cheap-number rules on top of the shared activation engine: which server sells what, at
 * which price and for how long. Everything about money and order states is the engine's.
 */

export { CHEAP_ID_PREFIX } from '../activations/public-id.js';

/** The two values the reference allows for `type`. */
export const CHEAP_TYPES = [1, 2] as const;

/** Enabled servers grouped by type (ascending), one type or all. */
export async function listServersByType(ctx: AppContext, type?: number): Promise<Map<number, CheapServer[]>> {
  const servers = await listCheapServers(ctx.db, type === undefined ? {} : { type });
  const byType = new Map<number, CheapServer[]>();
  for (const server of servers) byType.set(server.type, [...(byType.get(server.type) ?? []), server]);
  return byType;
}

/** An enabled server of that type; null when the id names no such server (BAD_SERVER: missing, not found or inactive). */
export async function findServerOfType(
  ctx: AppContext,
  type: number,
  serverId: number,
): Promise<CheapServer | null> {
  const server = await findCheapServer(ctx.db, serverId);
  return server && server.type === type && server.enabled ? server : null;
}

/**
 * getServices' price list: the enabled servers of the type whose upstream is switched on, i.e.
 * what can be bought right now. Empty (NO_SERVICES) when every upstream behind the type is off.
 */
export async function listPurchasableServers(ctx: AppContext, type: number): Promise<CheapServer[]> {
  return (await listCheapServers(ctx.db, { type })).filter((s) => s.upstreamEnabled);
}

export type CheapPurchase =
  | { kind: 'ok'; orderId: string; phone: string; expiresInSeconds: number }
  | { kind: 'no_numbers' }
  | { kind: 'low_balance' }
  | { kind: 'blocked' }
  | { kind: 'database_error' };

/**
 * Buys a number on a server for the cheap TTL (OTPGET_CHEAP_TTL_SECONDS from purchase). Any
 * definite upstream failure, a switched-off upstream included, is NO_NUMBERS to the customer
 * (already refunded by the engine). An unknown outcome is NO_NUMBERS as well: the customer has no
 * number, and the engine's reconciler refunds the held price within minutes.
 */
export async function buyCheapNumber(
  ctx: AppContext,
  accountId: number,
  server: CheapServer,
): Promise<CheapPurchase> {
  const result = await buyActivation(ctx, accountId, {
    line: 'cheap',
    routes: [
      {
        upstreamId: server.upstreamId,
        upstreamCountry: server.upstreamCountry,
        upstreamService: server.upstreamService,
      },
    ],
    pricePaisa: server.pricePaisa,
    ttlSeconds: ctx.config.cheapTtlSeconds,
    catalogRef: `cheap:server:${server.id}`,
  });
  switch (result.kind) {
    case 'ok':
      return {
        kind: 'ok',
        orderId: result.activation.publicId,
        phone: result.activation.phone ?? '',
        expiresInSeconds: remainingSeconds(result.activation, ctx.clock.now()),
      };
    case 'no_balance':
      return { kind: 'low_balance' };
    case 'blocked':
      return { kind: 'blocked' };
    case 'upstream_failed':
      if (result.error.kind !== 'no_numbers') {
        ctx.log.warn({ err: result.error, serverId: server.id }, 'cheap server upstream failed');
      }
      return { kind: 'no_numbers' };
    case 'outcome_unknown':
      return { kind: 'no_numbers' };
    case 'database_error':
      return { kind: 'database_error' };
  }
}

/** Whole seconds left, rounded up: 900 right after purchase with the default TTL. */
export function remainingSeconds(activation: Pick<Activation, 'expiresAt'>, now: number): number {
  return Math.max(0, Math.ceil((activation.expiresAt - now) / 1000));
}

export type CheapStatus =
  | { kind: 'not_found' }
  | { kind: 'waiting' }
  | { kind: 'code'; code: string }
  | { kind: 'ended' };

/** What getStatus reports: waiting, the code (also after completion), or ended (cancelled, expired, failed). */
export async function cheapOrderStatus(
  ctx: AppContext,
  accountId: number,
  orderId: string,
): Promise<CheapStatus> {
  const order = await getActivationStatus(ctx, accountId, 'cheap', orderId);
  if (!order) return { kind: 'not_found' };
  switch (order.state) {
    case 'pending':
    case 'active':
      return { kind: 'waiting' };
    case 'code_received':
    case 'finished':
      return order.code === null ? { kind: 'waiting' } : { kind: 'code', code: order.code };
    default:
      return { kind: 'ended' };
  }
}

export type CheapCancel = 'cancelled' | 'already_cancelled' | 'too_early' | 'not_allowed' | 'not_found';

/**
 * setStatus 8: cancel and refund in full, allowed after the cancel lock and only while no code
 * came. A repeated cancel, or one after expiry, answers 'cancelled' (the money is back either way);
 * cancelling after a code came or after completion is 'not_allowed'.
 */
export async function cancelCheapOrder(
  ctx: AppContext,
  accountId: number,
  orderId: string,
): Promise<CheapCancel> {
  const result = await cancelActivation(ctx, accountId, 'cheap', orderId);
  switch (result) {
    case 'cancelled':
      return 'cancelled';
    case 'early_cancel_denied':
      return 'too_early';
    case 'code_received':
      return 'not_allowed';
    case 'not_found':
      return 'not_found';
    case 'already_changed': {
      const order = await findCustomerActivation(ctx, accountId, 'cheap', orderId);
      if (!order) return 'not_found';
      // Ended without a code already (by this cancel's twin, an earlier cancel or expiry): the
      // money came back once; a second "cancelled" would read as a second refund.
      return ['cancelled', 'expired', 'failed'].includes(order.state) ? 'already_cancelled' : 'not_allowed';
    }
  }
}

export type CheapComplete = 'finished' | 'no_sms' | 'not_found';

/**
 * setStatus 3/6: complete once the code came; a repeated completion answers 'finished' again, and
 * an order that ended without a code (cancelled, expired) answers 'no_sms'.
 */
export async function completeCheapOrder(
  ctx: AppContext,
  accountId: number,
  orderId: string,
): Promise<CheapComplete> {
  const result = await completeActivation(ctx, accountId, 'cheap', orderId);
  switch (result) {
    case 'finished':
      return 'finished';
    case 'no_sms_received':
      return 'no_sms';
    case 'not_found':
      return 'not_found';
    case 'already_changed': {
      const order = await findCustomerActivation(ctx, accountId, 'cheap', orderId);
      if (!order) return 'not_found';
      return order.state === 'finished' ? 'finished' : 'no_sms';
    }
  }
}
