import type { AppContext } from '../app-context.js';
import { announceEmailMessage } from '../events/order-events.js';
import { settleNow } from '../orders/settlement.js';
import { UnknownUpstreamError } from '../providers/registry.js';
import { type EmailActivationState, type EmailProvider, UpstreamError } from '../providers/types.js';
import { EmailError } from './email-errors.js';
import {
  countAccountEmailOrders,
  type EmailMessage,
  type EmailOrder,
  emailOrderRef,
  emailOrderStore,
  findAccountEmailOrder,
  listAccountEmailOrders,
  listEmailMessages,
} from './email-orders.repository.js';
import { completeOrder, recordReceived } from './email-settlement.js';

/** An order with the letters received on it. */
export interface EmailOrderView {
  order: EmailOrder;
  messages: EmailMessage[];
}

async function ownOrder(ctx: AppContext, accountId: number, emailId: number): Promise<EmailOrder> {
  const order = await findAccountEmailOrder(ctx.db, accountId, emailId);
  if (!order) throw new EmailError('not_found');
  return order;
}

/** getEmailCode: our database only; the worker does the asking upstream. */
export async function getEmailOrder(
  ctx: AppContext,
  accountId: number,
  emailId: number,
): Promise<EmailOrderView> {
  const order = await ownOrder(ctx, accountId, emailId);
  const messages =
    order.state === 'received' || order.state === 'completed'
      ? await listEmailMessages(ctx.db, order.id)
      : [];
  return { order, messages };
}

export type CancelOutcome =
  /** This call cancelled the order and refunded it. */
  | { kind: 'refunded'; order: EmailOrder; balance: number }
  /** A code had arrived: the order is completed and the code returned. */
  | { kind: 'completed'; order: EmailOrder; messages: EmailMessage[]; already: boolean }
  /** Cancelled, expired or failed before (and refunded then). */
  | { kind: 'closed'; order: EmailOrder }
  /** The purchase itself is still being settled. */
  | { kind: 'pending'; order: EmailOrder };

/**
 * cancelEmail. A waiting order is first checked upstream, so a letter that arrived a moment ago
 * is returned rather than thrown away; then cancelled upstream, and only once the upstream has
 * let go is it refunded, by the compare-and-set that also decides any race with expiry or with
 * the worker recording a letter.
 */
export async function cancelEmailOrder(
  ctx: AppContext,
  accountId: number,
  emailId: number,
): Promise<CancelOutcome> {
  let order = await ownOrder(ctx, accountId, emailId);
  if (order.state === 'waiting') {
    const refunded = await cancelWaiting(ctx, order);
    if (refunded) return refunded;
    order = await ownOrder(ctx, accountId, emailId);
  }
  switch (order.state) {
    case 'received': {
      // Several cancels at once: only the one that completes it says so.
      const completedNow = await completeOrder(ctx.db, order.id, ctx.clock.now());
      const done = await ownOrder(ctx, accountId, emailId);
      const messages = await listEmailMessages(ctx.db, order.id);
      return { kind: 'completed', order: done, messages, already: !completedNow };
    }
    case 'completed':
      return { kind: 'completed', order, messages: await listEmailMessages(ctx.db, order.id), already: true };
    case 'pending':
      return { kind: 'pending', order };
    case 'waiting':
      // The upstream refused to cancel and shows no letter: nothing safe to do now.
      throw new EmailError('upstream_unreachable');
    default:
      return { kind: 'closed', order };
  }
}

async function cancelWaiting(ctx: AppContext, order: EmailOrder): Promise<CancelOutcome | null> {
  const upstreamOrderId = order.upstreamOrderId ?? '';
  const provider = await emailProvider(ctx, order.upstreamId);
  let state = await upstream(() => provider.getActivation(upstreamOrderId));
  if (state.state === 'waiting') {
    const cancelled = await upstream(() => provider.cancel(upstreamOrderId));
    state = cancelled
      ? { state: 'cancelled' }
      : await upstream(() => provider.getActivation(upstreamOrderId));
  }
  const now = ctx.clock.now();
  if (state.state === 'received') {
    if (await recordReceived(ctx.db, order, state.messages, now)) await announceEmailMessage(ctx, order.id);
    return null;
  }
  if (state.state === 'cancelled') {
    const settled = await settleNow(ctx.db, emailOrderStore, emailOrderRef(order), {
      from: ['waiting'],
      to: 'cancelled',
      now,
      refund: true,
    });
    // A loser (another cancel, expiry, an operator got there first) re-reads the order and
    // answers what a repeat of its request would: the order is closed.
    if (settled.won && settled.balanceAfter !== null) {
      const closed = await findAccountEmailOrder(ctx.db, order.accountId, order.id);
      if (closed) return { kind: 'refunded', order: closed, balance: settled.balanceAfter };
    }
  }
  return null;
}

async function emailProvider(ctx: AppContext, upstreamId: number): Promise<EmailProvider> {
  try {
    return await ctx.providers.email(upstreamId);
  } catch (error) {
    if (error instanceof UnknownUpstreamError) throw new EmailError('upstream_unreachable');
    throw error;
  }
}

async function upstream<T extends EmailActivationState | boolean>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof UpstreamError) throw new EmailError('upstream_unreachable');
    throw error;
  }
}

export const HISTORY_PAGE_SIZE = 20;

export interface EmailHistoryPage {
  page: number;
  perPage: number;
  total: number;
  totalPages: number;
  orders: EmailOrder[];
}

/** getEmailHistory: both servers, newest first, 20 a page; a page past the end is empty. */
export async function getEmailHistory(
  ctx: AppContext,
  accountId: number,
  page: number,
): Promise<EmailHistoryPage> {
  const total = await countAccountEmailOrders(ctx.db, accountId);
  const offset = (page - 1) * HISTORY_PAGE_SIZE;
  const orders =
    offset >= total
      ? []
      : await listAccountEmailOrders(ctx.db, accountId, { limit: HISTORY_PAGE_SIZE, offset });
  return {
    page,
    perPage: HISTORY_PAGE_SIZE,
    total,
    totalPages: Math.ceil(total / HISTORY_PAGE_SIZE),
    orders,
  };
}
