import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { adjustBalance } from '../../src/accounts/accounts.service.js';
import { reconcileDelayMs } from '../../src/orders/reconcile.js';
import { UpstreamError } from '../../src/providers/types.js';
import { updateRentalServer } from '../../src/rentals/catalog.repository.js';
import { formatDateTime } from '../../src/shared/clock.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  assertError,
  assertFields,
  assertLedgerClean,
  balanceOf,
  breakWrites,
  call,
  HOUR,
  rent,
  rentalRow,
  SHAPES,
  scriptedSandboxFactories,
} from './rental-helpers.js';

describeEachDatabase('Rental API: renewRental and expiry', (kind) => {
  let server: TestServer;
  const scripted = scriptedSandboxFactories();
  before(async () => {
    server = await startTestServer(kind, { factories: scripted.factories });
  });
  after(() => server.close());

  /** A fresh account with one Canada 720 h rental; returns its row id and expiry. */
  async function rented(balancePaisa: number, params: Record<string, string> = {}) {
    const account = await server.newAccount(balancePaisa);
    const reply = await rent(server, account.apiKey, params);
    const row = await rentalRow(server, reply.order_id as string);
    return { ...account, reply, rentalId: row.id, expiry: row.expiry_time as number };
  }

  const renew = (apiKey: string, rentalId: number | string, hours = '720') =>
    call(server, {
      api_key: apiKey,
      action: 'renewRental',
      rental_id: String(rentalId),
      duration_hours: hours,
    });

  const debitsOf = async (accountId: number) =>
    (
      await server.ctx.db
        .selectFrom('ledger_entries')
        .select(['reference', 'amount'])
        .where('account_id', '=', accountId)
        .where('kind', 'in', ['order_debit', 'order_refund'])
        .orderBy('id')
        .execute()
    ).map((e) => `${e.reference} ${e.amount}`);

  it('renews: fields typed as the reference shows, charged again, extended from the current expiry', async () => {
    const { id, apiKey, rentalId, expiry, reply } = await rented(506_000);
    server.clock.advance(100 * HOUR);
    const renewed = await renew(apiKey, rentalId);
    assertFields(renewed, SHAPES.renewed, 'renewRental');
    assert.deepEqual(renewed, {
      status: '200',
      message: 'Renewed successfully',
      rental_id: rentalId,
      phone_number: reply.phone,
      duration_hours: 720,
      price_paid: '840.00',
      new_balance: '3380.00',
      new_expiry: formatDateTime(expiry + 720 * HOUR),
    });
    assert.equal(await balanceOf(server, id), 338_000);
    assert.deepEqual(await debitsOf(id), [
      `rental:${rentalId} -84000`,
      `rental-renewal:${rentalId}:1 -84000`,
    ]);
    const mine = await call(server, { api_key: apiKey, action: 'getMyRentals' });
    assert.equal((mine.rentals as Array<{ expiry_time: string }>)[0]?.expiry_time, renewed.new_expiry);
    await adjustBalance(server.ctx.db, server.clock, {
      accountId: id,
      amount: 504_000,
      reference: `top-${id}`,
    });
    const longer = await renew(apiKey, rentalId, '4320');
    assert.equal(longer.new_expiry, formatDateTime(expiry + (720 + 4320) * HOUR));
    assert.equal(longer.price_paid, '5040.00');
    await assertLedgerClean(server.ctx);
  });

  it('renews one second before expiry from the old expiry, and refuses at expiry with no charge', async () => {
    const early = await rented(300_000);
    server.clock.advance(720 * HOUR - 1000);
    const renewed = await renew(early.apiKey, early.rentalId);
    assert.equal(renewed.status, '200');
    assert.equal(renewed.new_expiry, formatDateTime(early.expiry + 720 * HOUR));

    const late = await rented(300_000);
    server.clock.advance(720 * HOUR);
    const refused = await renew(late.apiKey, late.rentalId);
    assertError(
      refused,
      '400',
      'Rental has expired and can no longer be renewed. Rent a new number instead.',
    );
    assert.equal(
      await balanceOf(server, late.id),
      300_000 - 84_000,
      'refused before the expiry job even ran',
    );
    await server.runJobs();
    const mine = await call(server, { api_key: late.apiKey, action: 'getMyRentals' });
    assert.equal((mine.rentals as Array<{ status: string }>)[0]?.status, 'expired');
    assertError(await renew(late.apiKey, late.rentalId), '400', /^Rental has expired/);
    assert.equal(await balanceOf(server, late.id), 300_000 - 84_000);
    assert.deepEqual(await debitsOf(late.id), [`rental:${late.rentalId} -84000`]);
  });

  it('charges and extends concurrent renewals exactly as many times as they succeed', async () => {
    // Balance for the rental and three renewals: of six concurrent renewals, three must win.
    const { id, apiKey, rentalId, expiry } = await rented(84_000 * 4 + 500);
    const replies = await Promise.all(Array.from({ length: 6 }, () => renew(apiKey, rentalId)));
    const won = replies.filter((r) => r.status === '200');
    assert.equal(won.length, 3);
    for (const r of replies.filter((r) => r.status !== '200')) assertError(r, '402', 'Insufficient balance.');
    const expiries = won.map((r) => r.new_expiry as string).sort();
    assert.deepEqual(
      expiries,
      [1, 2, 3].map((n) => formatDateTime(expiry + n * 720 * HOUR)),
    );
    const row = await server.ctx.db
      .selectFrom('rentals')
      .select(['expiry_time', 'renewal_count'])
      .where('id', '=', rentalId)
      .executeTakeFirstOrThrow();
    assert.equal(row.expiry_time, expiry + 3 * 720 * HOUR);
    assert.equal(row.renewal_count, 3, 'refused renewals left no number behind');
    assert.equal(await balanceOf(server, id), 500);
    assert.deepEqual(
      (await debitsOf(id)).slice(1).sort(),
      [1, 2, 3].map((n) => `rental-renewal:${rentalId}:${n} -84000`),
    );
    await assertLedgerClean(server.ctx);
  });

  it('keeps concurrent renewals exact when one of them fails upstream', async () => {
    const { id, apiKey, rentalId, expiry } = await rented(1_000_000);
    scripted.failNext('extend', new UpstreamError('bad_request', 'RENT_DIE'));
    const replies = await Promise.all(Array.from({ length: 5 }, () => renew(apiKey, rentalId)));
    const won = replies.filter((r) => r.status === '200');
    assert.equal(won.length, 4);
    assertError(
      replies.find((r) => r.status !== '200'),
      '502',
      'Server 2 error: the provider refused the request. Nothing was charged.',
    );
    const row = await server.ctx.db
      .selectFrom('rentals')
      .select('expiry_time')
      .where('id', '=', rentalId)
      .executeTakeFirstOrThrow();
    assert.equal(row.expiry_time, expiry + 4 * 720 * HOUR);
    assert.equal(await balanceOf(server, id), 1_000_000 - 5 * 84_000);
    await assertLedgerClean(server.ctx);
  });

  it('refunds a renewal the upstream refused or did not answer, leaving the expiry alone', async () => {
    const { id, apiKey, rentalId, expiry } = await rented(300_000);
    scripted.failNext('extend', new UpstreamError('no_balance', 'NO_BALANCE'));
    assertError(
      await renew(apiKey, rentalId),
      '502',
      'Server 2 error: the provider cannot fill orders right now. Nothing was charged.',
    );
    scripted.failNext('extend', new UpstreamError('unknown_outcome', 'timeout'));
    assertError(
      await renew(apiKey, rentalId),
      '502',
      'Server 2 error: no answer from the provider. Nothing was charged.',
    );
    assert.equal(await balanceOf(server, id), 300_000 - 84_000);
    const row = await server.ctx.db
      .selectFrom('rentals')
      .select('expiry_time')
      .where('id', '=', rentalId)
      .executeTakeFirstOrThrow();
    assert.equal(row.expiry_time, expiry);
    await assertLedgerClean(server.ctx);
  });

  it('answers 500 with the renewal refunded when our write fails after the upstream extended', async () => {
    const { id, apiKey, rentalId, expiry } = await rented(300_000);
    const restore = await breakWrites(server, { renewalStatus: 'done' });
    try {
      assertError(
        await renew(apiKey, rentalId),
        '500',
        'Database error: the order could not be saved. Your balance was not deducted.',
      );
    } finally {
      await restore();
    }
    assert.equal(await balanceOf(server, id), 300_000 - 84_000);
    const row = await server.ctx.db
      .selectFrom('rentals')
      .select('expiry_time')
      .where('id', '=', rentalId)
      .executeTakeFirstOrThrow();
    assert.equal(row.expiry_time, expiry);
    await assertLedgerClean(server.ctx);
  });

  it('applies the duration rules and prices to renewals, and refuses 402 without charging', async () => {
    const monthly = await rented(100_000);
    for (const hours of ['12', '168']) {
      assertError(
        await renew(monthly.apiKey, monthly.rentalId, hours),
        '400',
        'Server 2 only supports monthly durations (720, 4320 or 8640 hours).',
      );
    }
    assertError(
      await renew(monthly.apiKey, monthly.rentalId, '48'),
      '400',
      'Invalid duration_hours. Use 12, 24, 168, 720, 4320 or 8640.',
    );
    assertError(await renew(monthly.apiKey, monthly.rentalId, '720'), '402', 'Insufficient balance.');
    assert.equal(await balanceOf(server, monthly.id), 16_000);
    const short = await rented(100_000, { country_code: 'gb', provider: '1', duration_hours: '12' });
    assertError(
      await renew(short.apiKey, short.rentalId, '8640'),
      '404',
      'No pricing found for this country, provider and duration.',
    );
    const day = await renew(short.apiKey, short.rentalId, '24');
    assert.equal(day.price_paid, '140.00');
    assert.equal(day.new_expiry, formatDateTime(short.expiry + 24 * HOUR));
    for (const rentalId of ['abc', '0', '99999999', '-1']) {
      assertError(await renew(short.apiKey, rentalId), '404', 'Rental not found or does not belong to you.');
    }
  });

  it('answers 503 for a renewal on a disabled server and 400 for a rental still pending', async () => {
    const { apiKey, rentalId, id } = await rented(300_000);
    await updateRentalServer(server.ctx.db, 2, { enabled: false }, server.clock.now());
    try {
      assertError(await renew(apiKey, rentalId), '503', 'Server 2 is currently unavailable.');
    } finally {
      await updateRentalServer(server.ctx.db, 2, { enabled: true }, server.clock.now());
    }
    scripted.failNext('rentNumber', new UpstreamError('unknown_outcome', 'reset'));
    await call(server, {
      api_key: apiKey,
      action: 'rentNumber',
      country_code: 'ca',
      provider: '2',
      duration_hours: '720',
    });
    const pending = await server.ctx.db
      .selectFrom('rentals')
      .select('id')
      .where('account_id', '=', id)
      .where('state', '=', 'pending')
      .executeTakeFirstOrThrow();
    assertError(await renew(apiKey, pending.id), '400', 'Rental is not active yet and cannot be renewed.');
    server.clock.advance(reconcileDelayMs(5_000)); // the engine's rule for the sandbox's 5 s timeout
    await server.runJobs();
  });

  it('does not let a rental lapse while a renewal paid before its expiry is still with the upstream', async () => {
    const { apiKey, rentalId, expiry } = await rented(300_000);
    server.clock.advance(720 * HOUR - 5_000);
    const held = scripted.holdNext('extend');
    const renewal = renew(apiKey, rentalId);
    await held.started;
    server.clock.advance(10_000);
    await server.runJobs();
    const during = await server.ctx.db
      .selectFrom('rentals')
      .select('state')
      .where('id', '=', rentalId)
      .executeTakeFirstOrThrow();
    assert.equal(during.state, 'active', 'the expiry job waits for the renewal in flight');
    held.release();
    const renewed = await renewal;
    assert.equal(renewed.new_expiry, formatDateTime(expiry + 720 * HOUR));
    await server.runJobs();
    const afterwards = await server.ctx.db
      .selectFrom('rentals')
      .select('state')
      .where('id', '=', rentalId)
      .executeTakeFirstOrThrow();
    assert.equal(afterwards.state, 'active');
    await assertLedgerClean(server.ctx);
  });
});
