import type { AppContext } from '../app-context.js';
import type { ProductLine } from '../orders/product-line.js';
import { emailOrdersSettled } from './email-invariants.js';
import { emailOrdersJob } from './email-jobs.js';
import {
  countEmailOrders,
  emailDeliverySamples,
  emailOrderEvents,
  emailUpstreamCosts,
  findEmailOrderSummary,
  searchEmailOrders,
} from './email-order-views.repository.js';
import { emailLedgerReference } from './email-orders.repository.js';
import { OPERATOR_REFUNDABLE_EMAIL_STATES, refundAndCloseInTransaction } from './email-settlement.js';

/** Temp email. The ledger note of an operator's refund is the line's own ("email cancelled"). */
export const emailLine: ProductLine<AppContext> = {
  name: 'email',
  upstreamKind: 'email',
  jobs: (ctx) => [emailOrdersJob(ctx)],
  invariants: [emailOrdersSettled],
  findOrder: findEmailOrderSummary,
  searchOrders: searchEmailOrders,
  ledgerReference: emailLedgerReference,
  orderEvents: emailOrderEvents,
  refundedState: 'cancelled',
  operatorRefund: async (trx, order, _note, now) =>
    (
      await refundAndCloseInTransaction(
        trx,
        { id: order.id, accountId: order.accountId, price: order.price },
        OPERATOR_REFUNDABLE_EMAIL_STATES,
        'cancelled',
        now,
      )
    ).refunded,
  countOrdersByState: countEmailOrders,
  deliverySamples: emailDeliverySamples,
  upstreamCostsPerDay: emailUpstreamCosts,
};
