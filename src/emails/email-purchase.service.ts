import type { AppContext } from '../app-context.js';
import { type PurchaseOutcome, runPurchase } from '../orders/purchase.js';
import { reconcileDelayMs } from '../orders/reconcile.js';
import type { EmailPurchase, UpstreamFailureKind } from '../providers/types.js';
import type { Upstream } from '../providers/upstreams.repository.js';
import { ANY_SITE, SERVER2_SERVICE_NAME } from './email-catalog.js';
import { findEmailOffer, findEmailService } from './email-catalog.repository.js';
import { resolveEmailServer } from './email-catalog.service.js';
import { EmailError, type EmailErrorCode } from './email-errors.js';
import {
  type EmailOrder,
  emailOrderStore,
  moveEmailOrder,
  pendingEmailOrder,
} from './email-orders.repository.js';

export type EmailPurchaseRequest =
  | { server: 1; serviceCode: string; domain: string }
  | { server: 2; domain: string; site: string };

export interface EmailPurchaseResult {
  order: EmailOrder;
  /** The customer's balance after the debit, in paisa. */
  balance: number;
}

/** How often the worker asks an upstream whether a letter came: the sandbox is a table, so often. */
export function emailPollIntervalMs(upstream: Upstream): number {
  return upstream.protocol === 'sandbox' ? 1_000 : 5_000;
}

// Upstream refusals, as the customer sees them (a lost reply is "API connection error" too).
const FAILURE_CODES: Readonly<Record<UpstreamFailureKind, EmailErrorCode>> = {
  no_numbers: 'no_stock',
  bad_request: 'service_not_available',
  no_balance: 'no_email',
  price_changed: 'no_email',
  bad_key: 'upstream_unreachable',
  not_found: 'upstream_unreachable',
  unavailable: 'upstream_unreachable',
  unknown_outcome: 'upstream_unreachable',
};

/**
 * Buys a mailbox through the order engine's purchase protocol (reserve, one upstream call, settle
 * by compare-and-set; see src/orders/purchase.ts). This line supplies its catalogue, its upstream
 * call and its wording. A lost reply leaves the order pending for the reconciler, which refunds
 * it: email upstreams cannot list what they sold, so nothing can be adopted, and an unused
 * upstream mailbox is refunded by the upstream itself.
 */
export async function buyEmail(
  ctx: AppContext,
  accountId: number,
  request: EmailPurchaseRequest,
): Promise<EmailPurchaseResult> {
  const target = await resolveEmailServer(ctx, request.server);
  const item = await findItem(ctx, request);
  const now = ctx.clock.now();
  const outcome = await runPurchase(ctx, {
    store: emailOrderStore,
    reservation: { accountId, pricePaisa: item.price, now, note: `email ${item.serviceName} ${item.domain}` },
    pending: pendingEmailOrder({
      accountId,
      server: target.server,
      upstreamId: target.upstream.id,
      ...item,
      reconcileAt: now + reconcileDelayMs(target.upstream.timeoutMs),
      now,
    }),
    call: () => target.provider.buyEmail({ domain: item.domain, site: item.site }),
    activate(db, order, purchase: EmailPurchase) {
      const at = ctx.clock.now();
      return moveEmailOrder(db, order.id, ['pending'], 'waiting', {
        email: purchase.email,
        upstream_order_id: purchase.upstreamOrderId,
        upstream_cost_micros: purchase.costMicros ?? null,
        expires_at: at + ctx.config.emailTtlSeconds * 1000,
        next_check_at: at + emailPollIntervalMs(target.upstream),
        // The reconciler may hold a lease on the pending order; the new mailbox is the poller's.
        lease_until: null,
        updated_at: at,
      });
    },
    giveBack: (purchase) => target.provider.cancel(purchase.upstreamOrderId),
  });
  if (outcome.kind === 'sold') return { order: outcome.active, balance: outcome.balanceAfter };
  if (outcome.kind === 'refused') {
    ctx.log.info(
      { upstream: target.upstream.name, kind: outcome.error.kind, raw: outcome.error.raw },
      'email purchase refused',
    );
  }
  throw purchaseError(outcome);
}

/** Each way a purchase did not sell, in the line's words. */
function purchaseError(outcome: Exclude<PurchaseOutcome<unknown, unknown, unknown>, { kind: 'sold' }>) {
  switch (outcome.kind) {
    case 'no_balance':
      return new EmailError('insufficient_balance', { needed: outcome.needed, balance: outcome.balance });
    case 'blocked':
      return new EmailError('blocked');
    case 'refused':
      return new EmailError(FAILURE_CODES[outcome.error.kind]);
    case 'outcome_unknown':
      return new EmailError('upstream_unreachable');
    // Sold but not ours to hand out (our write failed, or the order was settled meanwhile):
    // the mailbox went back upstream and the customer is refunded.
    case 'not_recorded':
    case 'settled_elsewhere':
      return new EmailError('database_error');
  }
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
