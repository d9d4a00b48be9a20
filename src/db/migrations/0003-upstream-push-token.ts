import type { Migration } from './helpers.js';

/**
 * Upstream push: an upstream may POST to `/webhooks/upstream/<id>/<token>` when an SMS lands. The
 * token is stored as its SHA-256 (like customer API keys), so `otpget upstream push-url` shows it
 * once when it mints it; `push_token_issued_at` says when, for `upstream show`.
 */
export const upstreamPushTokenMigration: Migration = {
  async up(db) {
    await db.schema.alterTable('upstreams').addColumn('push_token_hash', 'text').execute();
    await db.schema.alterTable('upstreams').addColumn('push_token_issued_at', 'bigint').execute();
  },
};
