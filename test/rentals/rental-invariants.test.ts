import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { newRentalOrderId } from '../../src/rentals/order-id.js';
import {
  noStuckPendingRentals,
  rentalExpiryMatchesRenewals,
  rentalMoneySettled,
} from '../../src/rentals/rental-invariants.js';
import { ManualClock } from '../../src/shared/clock.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { assertLedgerClean, call, HOUR, rent, rentalRow } from './rental-helpers.js';

it('order ids are 19 random digits, never repeating in a large sample', () => {
  const ids = new Set<string>();
  for (let i = 0; i < 20_000; i++) {
    const id = newRentalOrderId();
    assert.match(id, /^[1-9]\d{18}$/);
    ids.add(id);
  }
  assert.equal(ids.size, 20_000);
});

describeEachDatabase('Rental invariants of otpget ledger check', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind, { clock: new ManualClock(Date.now()) });
  });
  after(() => server.close());

  const messages = async (check: typeof rentalMoneySettled) =>
    (await check(server.ctx.db)).map((p) => p.message);

  it('is clean after purchases and renewals, and names each kind of drift', async () => {
    const { apiKey } = await server.newAccount(1_000_000);
    const rented = await rent(server, apiKey);
    const row = await rentalRow(server, rented.order_id as string);
    const renewed = await call(server, {
      api_key: apiKey,
      action: 'renewRental',
      rental_id: String(row.id),
      duration_hours: '720',
    });
    assert.equal(renewed.status, '200');
    await assertLedgerClean(server.ctx);

    // An expiry moved by something other than a renewal.
    await server.ctx.db
      .updateTable('rentals')
      .set({ expiry_time: (row.expiry_time as number) + 800 * HOUR })
      .where('id', '=', row.id)
      .execute();
    assert.deepEqual(await messages(rentalExpiryMatchesRenewals), [
      `rental ${row.id}: expiry ${(row.expiry_time as number) + 800 * HOUR} is not its first expiry plus its renewals (${(row.expiry_time as number) + 720 * HOUR})`,
    ]);
    await server.ctx.db
      .updateTable('rentals')
      .set({ expiry_time: (row.expiry_time as number) + 720 * HOUR })
      .where('id', '=', row.id)
      .execute();

    // A renewal marked failed that was never refunded; a purchase refunded although delivered.
    await server.ctx.db
      .updateTable('rental_renewals')
      .set({ state: 'failed' })
      .where('rental_id', '=', row.id)
      .execute();
    const now = server.clock.now();
    await server.ctx.db
      .insertInto('ledger_entries')
      .values({
        account_id: row.account_id,
        amount: 84_000,
        balance_after: 0,
        kind: 'order_refund',
        reference: `rental:${row.id}`,
        note: null,
        created_at: now,
      })
      .execute();
    await server.ctx.db
      .insertInto('ledger_entries')
      .values({
        account_id: row.account_id,
        amount: -1,
        balance_after: 0,
        kind: 'order_debit',
        reference: 'rental:99999999',
        note: null,
        created_at: now,
      })
      .execute();
    assert.deepEqual((await messages(rentalMoneySettled)).sort(), [
      'ledger entries for rental:99999999 have no rental or renewal',
      `renewal 1 of rental ${row.id} failed but was not refunded its price`,
      `rental ${row.id} was refunded although it is delivered`,
    ]);

    // A purchase left pending for hours: the reconciler is not running.
    await server.ctx.db
      .updateTable('rentals')
      .set({ state: 'pending', created_at: now - 2 * HOUR })
      .where('id', '=', row.id)
      .execute();
    assert.deepEqual(await messages(noStuckPendingRentals), [
      `rental ${row.id} has been pending for over an hour`,
    ]);
  });
});
