import type { Migration, SeedDb } from './helpers.js';

/** The built-in sandbox upstreams, so a fresh install sells something before any real upstream is set up. */
export const SANDBOX_UPSTREAMS = {
  sms: 'sandbox-sms',
  rental: 'sandbox-rental',
  email: 'sandbox-email',
} as const;

export const sandboxUpstreamsMigration: Migration = {
  async up(db) {
    const now = Date.now();
    await (db as unknown as SeedDb)
      .insertInto('upstreams')
      .values(
        (['sms', 'rental', 'email'] as const).map((kind) => ({
          name: SANDBOX_UPSTREAMS[kind],
          kind,
          protocol: 'sandbox',
          base_url: null,
          api_key: null,
          currency: 'PKR',
          timeout_ms: 5000,
          enabled: 1,
          created_at: now,
          updated_at: now,
        })),
      )
      .execute();
  },
};
