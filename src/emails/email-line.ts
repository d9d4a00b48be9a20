import type { AppContext } from '../app-context.js';
import type { ProductLine } from '../orders/product-line.js';
import { emailCatalogueReimportJob } from './email-catalogue-import.js';
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
import { emailReference } from './email-orders.repository.js';
import { refundEmailByOperator } from './email-settlement.js';

/** Temp email. The ledger note of an operator's refund is the line's own ("email cancelled"). */
export const emailLine: ProductLine<AppContext> = {
  name: 'email',
  upstreamKind: 'email',
  jobs: (ctx) => [emailOrdersJob(ctx), emailCatalogueReimportJob(ctx)],
  invariants: [emailOrdersSettled],
  findOrder: findEmailOrderSummary,
  searchOrders: searchEmailOrders,
  ledgerReference: emailReference,
  orderEvents: emailOrderEvents,
  refundedState: 'cancelled',
  operatorRefund: async (trx, order, note, now) => {
    const refunded = await refundEmailByOperator(trx, order.id, note, now);
    return refunded?.settled.won ? order.price : null;
  },
  countOrdersByState: countEmailOrders,
  deliverySamples: emailDeliverySamples,
  upstreamCostsPerDay: emailUpstreamCosts,
};
