import type { AppContext } from '../app-context.js';
import type { ProductLine } from '../orders/product-line.js';
import { rentalCatalogueReimportJob } from './rental-catalogue-import.js';
import { rentalInvariants } from './rental-invariants.js';
import { buildRentalJobs } from './rental-jobs.js';
import { refundRentalByOperator } from './rental-operator-refund.js';
import {
  countRentalOrders,
  findRentalOrder,
  rentalOrderEvents,
  rentalUpstreamCosts,
  searchRentalOrders,
} from './rental-order-views.repository.js';
import { rentalReference } from './rentals.repository.js';

/**
 * Rental numbers. An operator's refund returns the purchase price; renewals already made stay
 * charged (credit them by hand if owed).
 */
export const rentalLine: ProductLine<AppContext> = {
  name: 'rental',
  upstreamKind: 'rental',
  jobs: (ctx) => [...buildRentalJobs(ctx), rentalCatalogueReimportJob(ctx)],
  invariants: rentalInvariants,
  findOrder: findRentalOrder,
  searchOrders: searchRentalOrders,
  ledgerReference: rentalReference,
  // A rental's renewals are charged (and refunded) as rental-renewal:<id>:<seq>.
  relatedLedgerPrefix: (id) => `rental-renewal:${id}:`,
  orderEvents: rentalOrderEvents,
  refundedState: 'failed',
  operatorRefund: (trx, order, note, now) => refundRentalByOperator(trx, order.id, note, now),
  countOrdersByState: countRentalOrders,
  upstreamCostsPerDay: rentalUpstreamCosts,
};
