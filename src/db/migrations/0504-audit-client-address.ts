import type { Migration } from './helpers.js';

/**
 * The client address a console change came from (behind a trusted reverse proxy: the customer's
 * or operator's own address, not the proxy's). Rows from before, and CLI changes, keep null.
 */
export const auditClientAddressMigration: Migration = {
  async up(db) {
    await db.schema.alterTable('audit_log').addColumn('client_address', 'text').execute();
  },
};
