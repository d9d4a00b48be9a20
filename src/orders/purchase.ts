import type { AppContext } from '../app-context.js';
import type { Executor } from '../db/database.js';
import { UpstreamError } from '../providers/types.js';
import { withOrderRef } from '../providers/upstream-call-recorder.js';
import { AccountBlockedError, InsufficientBalanceError } from '../wallet/wallet.repository.js';
import type { OrderRef, OrderStore } from './order-store.js';
import { type PendingOrder, type ReservationInput, reserve } from './reservation.js';
import { settleNow } from './settlement.js';

type PurchaseContext = Pick<AppContext, 'db' | 'groupCommit' | 'log' | 'clock'>;

/** One purchase of one line: the line's own steps, around which the engine keeps the money rules. */
export interface PurchasePlan<O extends OrderRef, P, A> {
  /** The line's table; its reference is built from the order `insertPending` returns. */
  store: OrderStore<string, NoInfer<O>>;
  reservation: ReservationInput;
  /** The `pending` order: a plain row (see PendingRow), or the line's insert inside the reservation's transaction. */
  pending: PendingOrder<O>;
  /** The one upstream call (paid: never retried). Runs under the order's ledger reference. */
  call(order: O): Promise<P>;
  /** A sale we must not keep (the upstream ignored our maximum price): refused, given back, refunded. */
  reject?(purchase: P): UpstreamError | null;
  /**
   * The compare-and-set `pending → active` (or the line's word for it) with what was bought;
   * null when the order was no longer pending (the reconciler or an operator settled it).
   */
  activate(db: Executor, order: O, purchase: P): Promise<A | null>;
  /** Returns a bought item upstream (best effort; false or a throw is logged). */
  giveBack?(purchase: P): Promise<boolean>;
  /**
   * What a lost reply does. `reconcile` (the default): the order stays pending and the reconcile
   * job settles it once the call must have ended. `refund`: refunded at once, for a call that the
   * upstream cannot be asked about later (a renewal's extend).
   */
  whenOutcomeUnknown?: 'reconcile' | 'refund';
}

export type PurchaseOutcome<O, P, A> =
  | { kind: 'sold'; order: O; purchase: P; active: A; balanceAfter: number }
  /** A definite refusal (or a sale we rejected): the order is failed and refunded. */
  | { kind: 'refused'; order: O; error: UpstreamError }
  /** The reply was lost: the upstream may have sold. Refunded now or by the reconciler. */
  | { kind: 'outcome_unknown'; order: O; refunded: boolean }
  /** The upstream sold but our write failed: given back and refunded (or left to the reconciler). */
  | { kind: 'not_recorded'; order: O }
  /** The order was settled elsewhere while the upstream answered: given back; it stays refunded. */
  | { kind: 'settled_elsewhere'; order: O }
  | { kind: 'no_balance'; needed: number; balance: number }
  | { kind: 'blocked' };

/**
 * The one purchase protocol of every product line — a two-phase transfer:
 * 1. reserve: `pending` order + guarded debit in one transaction (the account must be active);
 * 2. exactly one upstream call under the order's reference, never retried;
 * 3. settle by compare-and-set: sold → the line's active state; a definite refusal → failed +
 *    refund; an unknown outcome → left pending for the reconciler (or refunded, see the plan);
 *    our write failing after the upstream sold → given back upstream and refunded.
 * Whatever happens, one order is debited once and refunded at most once.
 */
function giveBackOf<O extends OrderRef, P, A>(
  ctx: PurchaseContext,
  plan: PurchasePlan<O, P, A>,
  order: O,
  purchase: P,
): Promise<void> {
  const { giveBack } = plan;
  if (!giveBack) return Promise.resolve();
  return giveBackQuietly(ctx, { line: plan.store.line, order: order.id }, () => giveBack(purchase));
}

export async function runPurchase<O extends OrderRef, P, A>(
  ctx: PurchaseContext,
  plan: PurchasePlan<O, P, A>,
): Promise<PurchaseOutcome<O, P, A>> {
  let reserved: { order: O; balanceAfter: number };
  try {
    reserved = await reserve(ctx, plan.store, plan.reservation, plan.pending);
  } catch (error) {
    if (error instanceof InsufficientBalanceError)
      return { kind: 'no_balance', needed: error.needed, balance: error.balance };
    if (error instanceof AccountBlockedError) return { kind: 'blocked' };
    throw error;
  }
  const { order } = reserved;
  const fail = (note: string) => failQuietly(ctx, plan.store, order, note);

  let purchase: P;
  try {
    purchase = await withOrderRef(plan.store.reference(order), () => plan.call(order));
  } catch (error) {
    if (error instanceof UpstreamError && error.kind !== 'unknown_outcome') {
      await fail(`upstream: ${error.kind}`);
      return { kind: 'refused', order, error };
    }
    ctx.log.warn({ err: error, line: plan.store.line, order: order.id }, 'purchase outcome unknown');
    if (plan.whenOutcomeUnknown === 'refund') {
      await fail('upstream outcome unknown');
      return { kind: 'outcome_unknown', order, refunded: true };
    }
    return { kind: 'outcome_unknown', order, refunded: false };
  }

  const rejected = plan.reject?.(purchase) ?? null;
  if (rejected) {
    await giveBackOf(ctx, plan, order, purchase);
    await fail(`rejected: ${rejected.kind}`);
    return { kind: 'refused', order, error: rejected };
  }

  let active: A | null;
  try {
    active = await ctx.groupCommit.statement((db) => plan.activate(db, order, purchase));
  } catch (error) {
    ctx.log.error({ err: error, line: plan.store.line, order: order.id }, 'could not record a purchase');
    await giveBackOf(ctx, plan, order, purchase);
    await fail('not recorded; given back upstream');
    return { kind: 'not_recorded', order };
  }
  if (active === null) {
    ctx.log.warn({ line: plan.store.line, order: order.id }, 'purchase answered after it was settled');
    await giveBackOf(ctx, plan, order, purchase);
    return { kind: 'settled_elsewhere', order };
  }
  return { kind: 'sold', order, purchase, active, balanceAfter: reserved.balanceAfter };
}

/** pending → failed with the refund; if even that fails, the reconciler refunds the pending order. */
async function failQuietly<O extends OrderRef>(
  ctx: PurchaseContext,
  store: OrderStore<string, O>,
  order: O,
  note: string,
) {
  try {
    await settleNow(ctx.db, store, order, {
      from: ['pending'],
      to: 'failed',
      now: ctx.clock.now(),
      refund: true,
      note,
    });
  } catch (error) {
    ctx.log.error({ err: error, line: store.line, order: order.id }, 'refund failed; the reconciler retries');
  }
}

/**
 * Returns a bought item upstream, best effort: a refusal or a failure is logged, never thrown (the
 * customer is refunded either way; the item costs us, not them). Also used by a line whose one
 * upstream step gives back a sale it will not keep before asking another upstream.
 */
export async function giveBackQuietly(
  ctx: Pick<AppContext, 'log'>,
  where: { line: string; order: number },
  giveBack: () => Promise<boolean>,
): Promise<void> {
  try {
    if (!(await giveBack())) ctx.log.warn(where, 'upstream refused to take back what we could not sell');
  } catch (error) {
    ctx.log.warn({ err: error, ...where }, 'could not give back what we could not sell');
  }
}
