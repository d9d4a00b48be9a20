import type { Migration } from './helpers.js';

/**
 * `cost_micros` on an email offer: what its upstream charges (its currency's micro-units) when
 * the price came from `otpget email import` (cost × rate × markup). Null when the operator set the
 * price by hand, which a later import keeps. Existing offers are hand-priced.
 */
export const emailOfferCostMigration: Migration = {
  async up(db) {
    await db.schema.alterTable('email_offers').addColumn('cost_micros', 'bigint').execute();
  },
};
