import type { AppContext } from '../app-context.js';
import { smsCatalogueReimportJob } from '../catalog/catalog-reimport.js';
import { smsPriceSyncJob } from '../catalog/sms-prices.js';
import type { ProductLine } from '../orders/product-line.js';
import { noSimHeldByEndedOrder, simPoolJobs } from '../sim-pool/sim-pool-jobs.js';
import { activationInvariants } from './activation-invariants.js';
import { activationJobs } from './activation-jobs.js';
import {
  activationDeliverySamples,
  activationOrderEvents,
  activationUpstreamCosts,
  countActivationOrders,
  findActivationOrder,
  searchActivationOrders,
} from './activation-order-views.repository.js';
import { activationReference, refundActivationByOperator } from './activations.repository.js';

/** The parts of the SMS OTP and cheap lines that differ only by the `line` column. */
function activationLine(line: 'sms' | 'cheap'): Omit<ProductLine<AppContext>, 'jobs' | 'invariants'> {
  return {
    name: line,
    upstreamKind: 'sms',
    findOrder: (db, id) => findActivationOrder(db, line, id),
    searchOrders: (db, q) => searchActivationOrders(db, line, q),
    ledgerReference: activationReference,
    orderEvents: activationOrderEvents,
    refundedState: 'cancelled',
    operatorRefund: async (trx, order, note, now) =>
      (await refundActivationByOperator(
        trx,
        { id: order.id, accountId: order.accountId, pricePaisa: order.price },
        now,
        note,
      ))
        ? order.price
        : null,
    countOrdersByState: (db) => countActivationOrders(db, line),
    deliverySamples: (db, since) => activationDeliverySamples(db, line, since),
    upstreamCostsPerDay: (db, since) => activationUpstreamCosts(db, line, since),
  };
}

/**
 * SMS OTP and cheap numbers share one engine (`activations/`). Its jobs and invariants cover
 * both lines, so they are registered once, with the SMS line; so are the SMS catalogue's price
 * sync and scheduled re-import, and the SIM pool's jobs and check (the SIM pool is an upstream of both lines).
 */
export const activationLines: ProductLine<AppContext>[] = [
  {
    ...activationLine('sms'),
    jobs: (ctx) => [
      ...activationJobs(ctx),
      smsPriceSyncJob(ctx),
      smsCatalogueReimportJob(ctx),
      ...simPoolJobs(ctx),
    ],
    invariants: [...activationInvariants, noSimHeldByEndedOrder],
  },
  { ...activationLine('cheap'), jobs: () => [], invariants: [] },
];
