import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import pino from 'pino';
import { expireActivations, pollActivations } from '../../src/activations/activation-jobs.js';
import { createContext, productLines } from '../../src/app.js';
import type { AppContext } from '../../src/app-context.js';
import { configureProviderUpstream, upsertPriceRow } from '../../src/catalog/catalog-admin.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { setExchangeRateMicros } from '../../src/pricing/pricing.repository.js';
import { ledgerInvariants } from '../../src/wallet/invariants.js';
import { runInvariantChecks } from '../../src/wallet/ledger-check.js';
import { type FakeSmsActivate, startFakeSmsActivate } from '../fakes/sms-activate-fake.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { balanceOf, smsClient } from '../sms/sms-helpers.js';

/**
 * Two workers on one database (a second connection pool and context, as a second process would
 * have): each order is asked about, expired and refunded once, and a listing upstream is listed
 * once per interval, however the two interleave.
 */
describeEachDatabase('two workers on one database', (kind) => {
  let server: TestServer;
  let second: { database: Database; ctx: AppContext };
  let perOrder: FakeSmsActivate;
  let listing: FakeSmsActivate;

  before(async () => {
    server = await startTestServer(kind);
    perOrder = await startFakeSmsActivate({ now: () => server.clock.now(), supportsActiveList: false });
    listing = await startFakeSmsActivate({ now: () => server.clock.now() });
    const now = server.clock.now();
    await setExchangeRateMicros(server.ctx.db, 'USD', 100_000_000, now);
    for (const [type, fake] of [
      [2, perOrder],
      [3, listing],
    ] as const) {
      fake.setPrice('0', 'tg', '1');
      fake.setStock('0', 'tg', 1_000);
      await configureProviderUpstream(
        server.ctx.db,
        type,
        {
          protocol: 'sms-activate',
          baseUrl: fake.url,
          apiKey: fake.apiKey,
          currency: 'USD',
          timeoutMs: 2_000,
        },
        now,
      );
      await upsertPriceRow(
        server.ctx.db,
        {
          type,
          countryId: 61,
          serviceId: 101,
          upstreamCountry: '0',
          upstreamService: 'tg',
          costMicros: 1_000_000,
        },
        now,
      );
    }
    const database = openDatabase(server.ctx.config.databaseUrl, { poolSize: 10 });
    second = {
      database,
      ctx: createContext(server.ctx.config, database, {
        clock: server.clock,
        log: pino({ level: 'silent' }),
      }),
    };
  });
  after(async () => {
    await second.database.close();
    await server.close();
    await perOrder.close();
    await listing.close();
  });

  const both = (job: (ctx: AppContext) => Promise<void>) => Promise.all([job(server.ctx), job(second.ctx)]);

  it('asks about each order once per round, expires and refunds each once', async () => {
    const { id, apiKey } = await server.newAccount(300_000);
    const sms = smsClient(server, apiKey);
    const orders = await Promise.all(
      Array.from({ length: 20 }, () => sms.buy({ service: '101', country: '61', type: '2' })),
    );
    assert.equal(await balanceOf(server, id), 300_000 - 20 * 10_000);
    server.clock.advance(4_000);
    const asked = perOrder.count('getStatus');
    await both((ctx) => pollActivations(ctx));
    assert.equal(perOrder.count('getStatus') - asked, 20);
    await both((ctx) => pollActivations(ctx));
    assert.equal(perOrder.count('getStatus') - asked, 20, 'nothing due again within the interval');

    server.clock.advance(1_200_000);
    const cancels = perOrder.count('setStatus');
    await both((ctx) => expireActivations(ctx));
    await both((ctx) => expireActivations(ctx));
    assert.equal(perOrder.count('setStatus') - cancels, 20);
    for (const order of orders) assert.equal(await sms.status(order.id), 'STATUS_CANCEL');
    assert.equal(await balanceOf(server, id), 300_000);
  });

  it('lists a listing upstream once per interval between both workers', async () => {
    const { apiKey } = await server.newAccount(100_000);
    const sms = smsClient(server, apiKey);
    await Promise.all(Array.from({ length: 5 }, () => sms.buy({ service: '101', country: '61', type: '3' })));
    for (let round = 1; round <= 3; round++) {
      server.clock.advance(1_000);
      const before = listing.count('getActiveActivations');
      await both((ctx) => pollActivations(ctx));
      assert.equal(listing.count('getActiveActivations') - before, 1, `round ${round}`);
    }
    assert.deepEqual(await runInvariantChecks(server.ctx.db, ledgerInvariants(productLines())), []);
  });
});
