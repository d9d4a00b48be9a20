/**
 * An operator's refund of a rental (console and CLI share refundOrder → refundRentalByOperator):
 * the rental and every renewal charged for it, each once under its own reference, in the same
 * transaction as the audit row.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { adminCall, signedInOperator } from '../admin/admin-client.js';
import { breakWrites } from '../helpers/break-writes.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { assertLedgerClean, balanceOf, call, HOUR, rent, rentalRow } from './rental-helpers.js';

const PRICE = 84_000;

describeEachDatabase('operator refund of a rental and its renewals', (kind) => {
  let server: TestServer;
  let token: string;
  before(async () => {
    server = await startTestServer(kind);
    ({ token } = await signedInOperator(server));
  });
  after(() => server.close());

  async function rentedAndRenewed(renewals: number) {
    const account = await server.newAccount(10 * PRICE);
    const reply = await rent(server, account.apiKey);
    const rental = await rentalRow(server, reply.order_id as string);
    for (let n = 0; n < renewals; n++) {
      const renewed = await call(server, {
        api_key: account.apiKey,
        action: 'renewRental',
        rental_id: String(rental.id),
        duration_hours: '720',
      });
      assert.equal(renewed.status, '200', JSON.stringify(renewed));
    }
    return { ...account, rentalId: rental.id };
  }

  const refundsOf = async (accountId: number) =>
    (
      await server.ctx.db
        .selectFrom('ledger_entries')
        .select(['reference', 'amount'])
        .where('account_id', '=', accountId)
        .where('kind', '=', 'order_refund')
        .orderBy('reference')
        .execute()
    ).map((e) => `${e.reference} ${e.amount}`);

  const audits = (rentalId: number) =>
    server.ctx.db
      .selectFrom('audit_log')
      .select('after_json')
      .where('action', '=', 'order.refund')
      .where('target', '=', `order:rental:${rentalId}`)
      .execute();

  const refund = (rentalId: number) =>
    adminCall<{ error?: string }>(server, token, 'POST', `/orders/rental/${rentalId}/refund`, {
      reason: 'never worked',
    });

  it('refunds the rental and each renewal once, and records the total in the audit row', async () => {
    const { id, rentalId } = await rentedAndRenewed(2);
    assert.equal(await balanceOf(server, id), 10 * PRICE - 3 * PRICE);
    const results = await Promise.all([refund(rentalId), refund(rentalId)]);
    assert.deepEqual(results.map((r) => r.status).sort(), [200, 409]);
    assert.equal(await balanceOf(server, id), 10 * PRICE, 'everything paid for the number is back');
    assert.deepEqual(await refundsOf(id), [
      `rental-renewal:${rentalId}:1 ${PRICE}`,
      `rental-renewal:${rentalId}:2 ${PRICE}`,
      `rental:${rentalId} ${PRICE}`,
    ]);
    const written = await audits(rentalId);
    assert.equal(written.length, 1);
    assert.equal(JSON.parse(String(written[0]?.after_json)).refunded, 3 * PRICE);
    const statuses = await server.ctx.db
      .selectFrom('rental_renewals')
      .select('state')
      .where('rental_id', '=', rentalId)
      .execute();
    assert.deepEqual(
      statuses.map((r) => r.state),
      ['failed', 'failed'],
    );
    await assertLedgerClean(server.ctx);
  });

  it('refunds an expired rental too (not an end state: a paid renewal may still reopen it)', async () => {
    const { id, rentalId } = await rentedAndRenewed(0);
    server.clock.advance(721 * HOUR);
    await server.runJobs();
    ({ token } = await signedInOperator(server)); // the earlier session has timed out by now
    assert.equal(
      (
        await server.ctx.db
          .selectFrom('rentals')
          .select('state')
          .where('id', '=', rentalId)
          .executeTakeFirstOrThrow()
      ).state,
      'expired',
    );
    assert.equal((await refund(rentalId)).status, 200);
    assert.equal(await balanceOf(server, id), 10 * PRICE);
    await assertLedgerClean(server.ctx);
  });

  it('moves no money when the audit row cannot be written: both are one transaction', async () => {
    const { id, rentalId } = await rentedAndRenewed(1);
    const mend = await breakWrites(server, 'audit_log', 'INSERT');
    try {
      assert.equal((await refund(rentalId)).status, 500);
    } finally {
      await mend();
    }
    assert.equal(await balanceOf(server, id), 10 * PRICE - 2 * PRICE);
    assert.deepEqual(await refundsOf(id), []);
    assert.equal(
      (
        await server.ctx.db
          .selectFrom('rentals')
          .select('state')
          .where('id', '=', rentalId)
          .executeTakeFirstOrThrow()
      ).state,
      'active',
    );
    await assertLedgerClean(server.ctx);
  });
});
