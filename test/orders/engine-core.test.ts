/**
 * The order engine's building blocks on a real database: the reservation's guards, settlement by
 * compare-and-set with the refund once, and the one lease claim. The email orders table serves as
 * the vehicle; every line's own behaviour is in the reservation contract suites beside this file.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { blockAccount } from '../../src/accounts/accounts.service.js';
import type { Trx } from '../../src/db/database.js';
import { claimDue } from '../../src/orders/leases.js';
import type { OrderRef, OrderStore } from '../../src/orders/order-store.js';
import { reconcileDelayMs } from '../../src/orders/reconcile.js';
import { type PendingRow, reserve, reserveOrder } from '../../src/orders/reservation.js';
import { settleNow } from '../../src/orders/settlement.js';
import { AccountBlockedError, InsufficientBalanceError } from '../../src/wallet/wallet.repository.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { ledgerOf } from '../helpers/ledger.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

type State = 'pending' | 'waiting' | 'cancelled' | 'failed';

const store: OrderStore<State> = {
  line: 'email',
  reference: (order) => `engine-test:${order.id}`,
  async transition(trx, id, from, to, now) {
    const result = await trx
      .updateTable('email_orders')
      .set({ state: to, updated_at: now })
      .where('id', '=', id)
      .where('state', 'in', [...from])
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  },
};

// email_orders requires a price above 0; a free reservation (cheap numbers sell some) still inserts one.
function emailOrderRow(accountId: number, price: number, nextCheckAt: number | null = null) {
  return {
    account_id: accountId,
    server: 1,
    upstream_id: 1,
    service_code: 'ig',
    service_name: 'Instagram',
    site: 'instagram.com',
    domain: 'gmail.com',
    price_paisa: Math.max(price, 1),
    state: 'pending' as const,
    next_check_at: nextCheckAt,
    created_at: 0,
    updated_at: 0,
  };
}

function insertOrder(accountId: number, price: number, nextCheckAt: number | null = null) {
  return async (trx: Trx): Promise<OrderRef> => {
    const row = await trx
      .insertInto('email_orders')
      .values(emailOrderRow(accountId, price, nextCheckAt))
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: row.id, accountId, pricePaisa: price };
  };
}

async function orderCount(server: TestServer, accountId: number): Promise<number> {
  const rows = await server.ctx.db
    .selectFrom('email_orders')
    .select('id')
    .where('account_id', '=', accountId)
    .execute();
  return rows.length;
}

describeEachDatabase('order engine building blocks', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind);
  });
  after(async () => {
    await server.close();
  });

  it('reserves: pending order and guarded debit together, or neither', async () => {
    const account = await server.newAccount(1_000);
    const reserve = (price: number) =>
      server.ctx.db
        .transaction()
        .execute((trx) =>
          reserveOrder(
            trx,
            store,
            { accountId: account.id, pricePaisa: price, now: 1 },
            insertOrder(account.id, price),
          ),
        );

    const { order, balanceAfter } = await reserve(600);
    assert.equal(balanceAfter, 400);
    const debits = (await ledgerOf(server.ctx, account.id)).filter((e) => e.kind === 'order_debit');
    assert.deepEqual(debits, [{ kind: 'order_debit', reference: `engine-test:${order.id}`, amount: -600 }]);

    await assert.rejects(reserve(600), InsufficientBalanceError);
    assert.equal(await orderCount(server, account.id), 1, 'the refused reservation left no order');

    await blockAccount(server.ctx.db, server.clock, account.id);
    await assert.rejects(reserve(100), AccountBlockedError);
    await assert.rejects(reserve(0), AccountBlockedError, 'a free offer is refused to a blocked account too');
    assert.equal(await orderCount(server, account.id), 1);
  });

  it('reserves a plain pending row (one statement on PostgreSQL) with the same guards, exactly under a race', async () => {
    const account = await server.newAccount(1_000);
    const pendingRow = (price: number, referencePrefix = 'engine-test:'): PendingRow<OrderRef> => ({
      row: { table: 'email_orders', values: emailOrderRow(account.id, price) },
      referencePrefix,
      toOrder: (row) => ({ id: Number(row.id), accountId: Number(row.account_id), pricePaisa: price }),
    });
    const input = (price: number) => ({ accountId: account.id, pricePaisa: price, now: 1 });

    const { order, balanceAfter } = await reserve(server.ctx, store, input(300), pendingRow(300));
    assert.equal(balanceAfter, 700);
    assert.deepEqual(
      (await ledgerOf(server.ctx, account.id)).filter((e) => e.kind === 'order_debit'),
      [{ kind: 'order_debit', reference: `engine-test:${order.id}`, amount: -300 }],
    );
    assert.equal(
      (await reserve(server.ctx, store, input(0), pendingRow(0))).balanceAfter,
      700,
      'free: no debit',
    );

    // 700 paisa left: of 12 racing reservations of 100 exactly 7 go through, each with its order.
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => reserve(server.ctx, store, input(100), pendingRow(100))),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 7);
    for (const r of results)
      if (r.status === 'rejected') assert.ok(r.reason instanceof InsufficientBalanceError, String(r.reason));
    assert.equal(
      (
        await server.ctx.db
          .selectFrom('accounts')
          .select('balance')
          .where('id', '=', account.id)
          .executeTakeFirstOrThrow()
      ).balance,
      0,
    );
    assert.equal(await orderCount(server, account.id), 2 + 7, 'no order without its debit');
    const debits = (await ledgerOf(server.ctx, account.id)).filter((e) => e.kind === 'order_debit');
    assert.equal(debits.length, 8);

    await blockAccount(server.ctx.db, server.clock, account.id);
    await assert.rejects(reserve(server.ctx, store, input(0), pendingRow(0)), AccountBlockedError);
    await server.ctx.db
      .updateTable('accounts')
      .set({ status: 'active' })
      .where('id', '=', account.id)
      .execute();
    await assert.rejects(reserve(server.ctx, store, input(100), pendingRow(100)), InsufficientBalanceError);
    assert.equal(await orderCount(server, account.id), 9, 'refused reservations leave no order');
  });

  it('settles by compare-and-set: of racing refunds exactly one wins and refunds', async () => {
    const account = await server.newAccount(1_000);
    const { order } = await server.ctx.db
      .transaction()
      .execute((trx) =>
        reserveOrder(
          trx,
          store,
          { accountId: account.id, pricePaisa: 300, now: 1 },
          insertOrder(account.id, 300),
        ),
      );
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        settleNow(server.ctx.db, store, order, {
          from: ['pending', 'waiting'],
          to: i % 2 === 0 ? 'cancelled' : 'failed',
          now: 2,
          refund: true,
        }),
      ),
    );
    assert.equal(results.filter((r) => r.won).length, 1);
    const refunds = (await ledgerOf(server.ctx, account.id)).filter((e) => e.kind === 'order_refund');
    assert.deepEqual(refunds, [{ kind: 'order_refund', reference: `engine-test:${order.id}`, amount: 300 }]);
    const settledAgain = await settleNow(server.ctx.db, store, order, {
      from: ['pending'],
      to: 'failed',
      now: 3,
      refund: true,
    });
    assert.equal(settledAgain.won, false, 'an end state is final');
  });

  it('claims each due row for one claimer only, earliest first, and honours the lease', async () => {
    const account = await server.newAccount(0);
    const now = 1_000_000;
    const ids: number[] = [];
    for (const due of [now - 3, now - 1, now - 2, now + 120_000]) {
      const order = await server.ctx.db.transaction().execute((trx) => insertOrder(account.id, 0, due)(trx));
      ids.push(order.id);
    }
    const mine = sql`account_id = ${account.id}`;
    const claims = await Promise.all(
      [1, 2, 3].map(() =>
        claimDue(server.ctx.db, { table: 'email_orders', now, leaseMs: 60_000, limit: 10, where: mine }),
      ),
    );
    const claimed = claims.flat().sort((a, b) => a - b);
    assert.deepEqual(
      claimed,
      ids.slice(0, 3).sort((a, b) => a - b),
      'each due row once, the future one not',
    );
    assert.deepEqual(
      await claimDue(server.ctx.db, {
        table: 'email_orders',
        now: now + 59_999,
        leaseMs: 60_000,
        limit: 10,
        where: mine,
      }),
      [],
      'held while the lease lasts',
    );
    const afterLease = await claimDue(server.ctx.db, {
      table: 'email_orders',
      now: now + 60_001,
      leaseMs: 60_000,
      limit: 2,
      where: mine,
    });
    assert.deepEqual(
      afterLease.sort((a, b) => a - b),
      [ids[0] as number, ids[2] as number].sort((a, b) => a - b),
      'free again once the lease is over, earliest due first, up to the limit',
    );
  });

  it('gives a lost purchase up only after its call must have ended', () => {
    assert.equal(reconcileDelayMs(10_000), 120_000);
    assert.equal(reconcileDelayMs(60_000), 150_000);
  });
});
