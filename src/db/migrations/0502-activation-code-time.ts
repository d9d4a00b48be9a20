import type { Migration } from './helpers.js';

/**
 * When an activation's first code was recorded, for the overview's time-to-code. Orders from
 * before this migration keep null: the time was never stored, and guessing it from updated_at
 * would be wrong for finished orders.
 */
export const activationCodeTimeMigration: Migration = {
  async up(db) {
    await db.schema.alterTable('activations').addColumn('code_received_at', 'bigint').execute();
  },
};
