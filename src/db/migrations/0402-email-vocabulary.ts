import type { Migration } from './helpers.js';

/**
 * Email orders take the order vocabulary of the activations table: `price_paisa` and
 * `upstream_cost_micros` (`state`, `next_check_at` and `lease_until` already matched). Renaming
 * keeps every row, and both databases carry it into the `price > 0` CHECK constraint.
 */
export const emailVocabularyMigration: Migration = {
  async up(db) {
    await db.schema.alterTable('email_orders').renameColumn('price', 'price_paisa').execute();
    await db.schema.alterTable('email_orders').renameColumn('cost_micros', 'upstream_cost_micros').execute();
  },
};
