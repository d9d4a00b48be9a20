import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import pino from 'pino';
import { createContext } from '../../src/app.js';
import type { AppContext } from '../../src/app-context.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { insertUpstream } from '../../src/providers/upstreams.repository.js';
import {
  findRentalCountry,
  updateRentalCountry,
  updateRentalServer,
} from '../../src/rentals/catalog.repository.js';
import { readRentalInbox } from '../../src/rentals/rental-inbox.service.js';
import {
  DEFAULT_RENTAL_JOB_OPTIONS,
  expireRentals,
  pullRentalMessages,
  reconcileRentals,
} from '../../src/rentals/rental-jobs.js';
import { ManualClock } from '../../src/shared/clock.js';
import { type FakeSmsActivate, startFakeSmsActivate } from '../fakes/sms-activate-fake.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { assertLedgerClean, balanceOf, call, HOUR, rent, rentalRow } from './rental-helpers.js';

/** The rental jobs run by two processes on one database: each piece of work is done once. */
describeEachDatabase('Rental background jobs in two processes', (kind) => {
  let server: TestServer;
  let second: { ctx: AppContext; database: Database };
  let fake: FakeSmsActivate;
  const clock = new ManualClock(Date.parse('2026-05-01T08:00:00Z'));

  before(async () => {
    fake = await startFakeSmsActivate({ now: () => clock.now(), balance: '1000' });
    fake.setRentOffer('36', 'full', { costPerHour: '0.0025', stock: 100 });
    server = await startTestServer(kind, { clock });
    const upstreamId = await insertUpstream(
      server.ctx.db,
      {
        name: 'fake-rent',
        kind: 'rental',
        protocol: 'sms-activate',
        baseUrl: fake.url,
        apiKey: fake.apiKey,
        timeoutMs: 2_000,
      },
      clock.now(),
    );
    await updateRentalServer(server.ctx.db, 2, { upstreamId }, clock.now());
    const canada = await findRentalCountry(server.ctx.db, 2, 'ca');
    assert.ok(canada);
    await updateRentalCountry(server.ctx.db, canada.id, { upstreamCountry: '36' }, clock.now());
    // A second otpget process: its own registry and caches and, on PostgreSQL, its own connection
    // pool. Two better-sqlite3 connections in one Node process would block each other's event loop
    // on a lock, so on SQLite the second context shares the first one's connection (SQLite serves
    // one server process; other processes there are the CLI).
    const database =
      kind.name === 'postgres'
        ? openDatabase(server.ctx.config.databaseUrl, { poolSize: 5 })
        : server.ctx.database;
    second = {
      database,
      ctx: createContext(server.ctx.config, database, { clock, log: pino({ level: 'silent' }) }),
    };
  });
  after(async () => {
    if (second.database !== server.ctx.database) await second.database.close();
    await server.close();
    await fake.close();
  });

  it('pulls each inbox once per round although both processes run the job at the same moment', async () => {
    const { apiKey } = await server.newAccount(2_000_000);
    const rentals = [];
    for (let i = 0; i < 6; i++) rentals.push(await rent(server, apiKey));
    const upstreamIds = await Promise.all(
      rentals.map(async (r) => (await rentalRow(server, r.order_id as string)).upstream_order_id as string),
    );
    for (const [i, id] of upstreamIds.entries()) fake.deliverSms(id, `Your code is ${1000 + i}`);
    const before = fake.count('getRentStatus');
    // Slow replies keep the first claimer busy while the second looks for work.
    fake.failNext('getRentStatus', { slowMs: 150 }, 6);
    const options = { ...DEFAULT_RENTAL_JOB_OPTIONS, concurrency: 6 };
    const [a, b] = await Promise.all([
      pullRentalMessages(server.ctx, options),
      pullRentalMessages(second.ctx, options),
    ]);
    assert.equal(a + b, 6, 'six messages stored in all');
    assert.equal(fake.count('getRentStatus') - before, 6, 'one upstream call per rental');
    await Promise.all([pullRentalMessages(server.ctx, options), pullRentalMessages(second.ctx, options)]);
    assert.equal(fake.count('getRentStatus') - before, 6, 'not due again yet');
    clock.advance(61_000);
    const [c, d] = await Promise.all([
      pullRentalMessages(server.ctx, options),
      pullRentalMessages(second.ctx, options),
    ]);
    assert.equal(c + d, 0, 'nothing stored twice');
    assert.equal(fake.count('getRentStatus') - before, 12);
    for (const [i, r] of rentals.entries()) {
      const inbox = await call(server, {
        api_key: apiKey,
        action: 'getRentalSMS',
        order_id: r.order_id as string,
      });
      assert.deepEqual(
        (inbox.messages as Array<{ code: string }>).map((m) => m.code),
        [String(1000 + i)],
      );
    }
  });

  it('reads an inbox through once when customers of both processes read it at the same moment', async () => {
    const { id: accountId, apiKey } = await server.newAccount(200_000);
    const rented = await rent(server, apiKey);
    const orderId = rented.order_id as string;
    const row = await rentalRow(server, orderId);
    clock.advance(61_000);
    fake.deliverSms(row.upstream_order_id as string, 'Your code is 7788');
    const before = fake.count('getRentStatus');
    // The first read is slow, so the other process's reads arrive while it is in flight.
    fake.failNext('getRentStatus', { slowMs: 300 });
    const reads = await Promise.all([
      ...Array.from({ length: 3 }, () => readRentalInbox(server.ctx, accountId, orderId)),
      ...Array.from({ length: 3 }, () => readRentalInbox(second.ctx, accountId, orderId)),
    ]);
    assert.deepEqual(
      reads.map((r) => r.messages.map((m) => m.code)),
      Array(6).fill(['7788']),
      'every reader, in either process, sees the message',
    );
    assert.equal(fake.count('getRentStatus') - before, 1, 'one upstream read for all six');
  });

  it('takes over a lease left by a process that died, once it runs out', async () => {
    const { apiKey } = await server.newAccount(200_000);
    const rented = await rent(server, apiKey);
    const row = await rentalRow(server, rented.order_id as string);
    await server.ctx.db
      .updateTable('rentals')
      .set({ lease_until: clock.now() + 120_000, next_check_at: clock.now() })
      .where('id', '=', row.id)
      .execute();
    fake.deliverSms(row.upstream_order_id as string, 'Code 4321');
    await pullRentalMessages(second.ctx, DEFAULT_RENTAL_JOB_OPTIONS);
    const during = await call(server, {
      api_key: apiKey,
      action: 'getRentalSMS',
      order_id: rented.order_id as string,
    });
    assert.equal(during.total, 0, 'leased by the dead process');
    clock.advance(121_000);
    await pullRentalMessages(second.ctx, DEFAULT_RENTAL_JOB_OPTIONS);
    const later = await call(server, {
      api_key: apiKey,
      action: 'getRentalSMS',
      order_id: rented.order_id as string,
    });
    assert.equal(later.total, 1);
  });

  it('expires and reconciles once when both processes run those jobs together', async () => {
    const { id, apiKey } = await server.newAccount(500_000);
    const live = await rent(server, apiKey);
    fake.loseNextReply('getRentNumber', 'reset');
    await call(server, {
      api_key: apiKey,
      action: 'rentNumber',
      country_code: 'ca',
      provider: '2',
      duration_hours: '720',
    });
    assert.equal(await balanceOf(server, id), 500_000 - 2 * 84_000);
    clock.advance(720 * HOUR);
    const expired = await Promise.all([expireRentals(server.ctx), expireRentals(second.ctx)]);
    assert.ok(expired[0] + expired[1] >= 1);
    assert.equal((await rentalRow(server, live.order_id as string)).state, 'expired');
    await Promise.all([
      reconcileRentals(server.ctx, DEFAULT_RENTAL_JOB_OPTIONS),
      reconcileRentals(second.ctx, DEFAULT_RENTAL_JOB_OPTIONS),
      reconcileRentals(server.ctx, DEFAULT_RENTAL_JOB_OPTIONS),
    ]);
    assert.equal(await balanceOf(server, id), 500_000 - 84_000, 'the lost purchase refunded exactly once');
    await assertLedgerClean(server.ctx);
  });
});
