import type { AppContext } from '../app-context.js';
import type { EmailPurchase, UpstreamFailureKind } from '../providers/types.js';
import { UpstreamError } from '../providers/types.js';
import { withOrderRef } from '../providers/upstream-call-recorder.js';
import type { Upstream } from '../providers/upstreams.repository.js';
import { InsufficientBalanceError, postLedgerEntry } from '../wallet/wallet.repository.js';
import { ANY_SITE, SERVER2_SERVICE_NAME } from './email-catalog.js';
import { findEmailOffer, findEmailService } from './email-catalog.repository.js';
import { type ActiveEmailServer, resolveEmailServer } from './email-catalog.service.js';
import { EmailError, type EmailErrorCode } from './email-errors.js';
import {
  type EmailOrder,
  emailLedgerReference,
  findEmailOrder,
  insertPendingOrder,
  transitionOrder,
} from './email-orders.repository.js';
import { refundAndClose } from './email-settlement.js';

export type EmailPurchaseRequest =
  | { server: 1; serviceCode: string; domain: string }
  | { server: 2; domain: string; site: string };

export interface EmailPurchaseResult {
  order: EmailOrder;
  /** The customer's balance after the debit, in paisa. */
  balance: number;
}

/**
 * How long a purchase may stay `pending` beyond the upstream's timeout before the worker
 * concludes the request died with it (crash, lost reply) and refunds.
 */
export const PENDING_GRACE_MS = 30_000;

/** How often the worker asks an upstream whether a letter came: the sandbox is a table, so often. */
export function emailPollIntervalMs(upstream: Upstream): number {
  return upstream.protocol === 'sandbox' ? 1_000 : 5_000;
}

// Definite upstream refusals, as the customer sees them. unknown_outcome never gets here.
const FAILURE_CODES: Readonly<Record<Exclude<UpstreamFailureKind, 'unknown_outcome'>, EmailErrorCode>> = {
  no_numbers: 'no_stock',
  bad_request: 'service_not_available',
  no_balance: 'no_email',
  price_changed: 'no_email',
  bad_key: 'upstream_unreachable',
  not_found: 'upstream_unreachable',
  unavailable: 'upstream_unreachable',
};

/**
 * Buys a mailbox as a reservation: debit and a `pending` order in one transaction; then exactly
 * one upstream call, never retried; then a compare-and-set to `waiting` (success), or to
 * `failed` with the refund (definite refusal). An unknown outcome leaves the order pending for
 * the worker, which refunds it: email upstreams cannot list what they sold, so nothing can be
 * adopted, and an unused upstream mailbox is refunded by the upstream itself.
 */
export async function buyEmail(
  ctx: AppContext,
  accountId: number,
  request: EmailPurchaseRequest,
): Promise<EmailPurchaseResult> {
  const target = await resolveEmailServer(ctx, request.server);
  const item = await findItem(ctx, request);
  const now = ctx.clock.now();
  const reserved = await reserve(ctx, target, accountId, item, now);
  const order = { id: reserved.orderId, accountId, price: item.price };

  let purchase: EmailPurchase;
  try {
    purchase = await withOrderRef(emailLedgerReference(order.id), () =>
      target.provider.buyEmail({ domain: item.domain, site: item.site }),
    );
  } catch (error) {
    if (error instanceof UpstreamError && error.kind !== 'unknown_outcome') {
      await refundAndClose(ctx.db, order, 'pending', 'failed', ctx.clock.now());
      ctx.log.info(
        { upstream: target.upstream.name, kind: error.kind, raw: error.raw },
        'email purchase refused',
      );
      throw new EmailError(FAILURE_CODES[error.kind]);
    }
    ctx.log.warn(
      { err: error, upstream: target.upstream.name, order: order.id },
      'email purchase outcome unknown; the order stays pending until the worker settles it',
    );
    throw new EmailError('upstream_unreachable');
  }

  const adoptedAt = ctx.clock.now();
  let adopted = false;
  try {
    adopted = await transitionOrder(ctx.db, order.id, 'pending', 'waiting', {
      email: purchase.email,
      upstream_order_id: purchase.upstreamOrderId,
      cost_micros: purchase.costMicros ?? null,
      expires_at: adoptedAt + ctx.config.emailTtlSeconds * 1000,
      next_check_at: adoptedAt + emailPollIntervalMs(target.upstream),
      updated_at: adoptedAt,
    });
  } catch (error) {
    ctx.log.error({ err: error, order: order.id }, 'could not record a bought mailbox');
  }
  if (!adopted) {
    // Our write failed after the upstream sold (or the worker already refunded a slow purchase):
    // give the mailbox back; the pending order is refunded by the worker, so nobody pays.
    await target.provider.cancel(purchase.upstreamOrderId).catch((error: unknown) => {
      ctx.log.error({ err: error, order: order.id }, 'could not cancel an unrecorded mailbox upstream');
    });
    throw new EmailError('database_error');
  }
  const saved = await findEmailOrder(ctx.db, order.id);
  if (!saved) throw new EmailError('database_error');
  return { order: saved, balance: reserved.balance };
}

interface PurchaseItem {
  serviceCode: string;
  serviceName: string;
  site: string;
  domain: string;
  price: number;
}

async function findItem(ctx: AppContext, request: EmailPurchaseRequest): Promise<PurchaseItem> {
  if (request.server === 1) {
    const service = await findEmailService(ctx.db, request.serviceCode);
    const offer = service?.enabled
      ? await findEmailOffer(ctx.db, { server: 1, serviceCode: service.code, domain: request.domain })
      : null;
    if (!service || !offer?.enabled) throw new EmailError('service_not_available');
    if (offer.stock <= 0) throw new EmailError('no_stock');
    return {
      serviceCode: service.code,
      serviceName: service.name,
      site: service.site,
      domain: offer.domain,
      price: offer.price,
    };
  }
  const offer = await findEmailOffer(ctx.db, { server: 2, serviceCode: '', domain: request.domain });
  if (!offer?.enabled) throw new EmailError('service_not_available');
  if (offer.stock <= 0) throw new EmailError('no_stock');
  return {
    serviceCode: '',
    serviceName: SERVER2_SERVICE_NAME,
    site: request.site || ANY_SITE,
    domain: offer.domain,
    price: offer.price,
  };
}

async function reserve(
  ctx: AppContext,
  target: ActiveEmailServer,
  accountId: number,
  item: PurchaseItem,
  now: number,
): Promise<{ orderId: number; balance: number }> {
  try {
    return await ctx.db.transaction().execute(async (trx) => {
      const orderId = await insertPendingOrder(trx, {
        accountId,
        server: target.server,
        upstreamId: target.upstream.id,
        ...item,
        nextCheckAt: now + target.upstream.timeoutMs + PENDING_GRACE_MS,
        now,
      });
      const balance = await postLedgerEntry(trx, {
        accountId,
        amount: -item.price,
        kind: 'order_debit',
        reference: emailLedgerReference(orderId),
        note: `email ${item.serviceName} ${item.domain}`,
        now,
      });
      return { orderId, balance };
    });
  } catch (error) {
    if (error instanceof InsufficientBalanceError) {
      throw new EmailError('insufficient_balance', { needed: error.needed, balance: error.balance });
    }
    throw error;
  }
}
