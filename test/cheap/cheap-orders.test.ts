import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { breakWrites } from '../helpers/break-writes.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { balanceOf, cheap, deliver, ledgerKinds, ledgerProblems, parseBought } from './cheap-helpers.js';

const BUY_PAID = { action: 'buyNumber', server: '2', type: '1' };
const BUY_FREE = { action: 'buyNumber', server: '1', type: '1' };
const SECOND = 1000;

describeEachDatabase('cheap numbers API: orders', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind);
  });
  after(() => server.close());

  async function buyer(balancePaisa = 10_000) {
    const account = await server.newAccount(balancePaisa);
    return { ...account, call: (params: Record<string, string>) => cheap(server, account.apiKey, params) };
  }

  it('sells a number as ORD_id,number,900 and charges the server price', async () => {
    const customer = await buyer(10_000);
    const reply = await customer.call(BUY_PAID);
    assert.match(reply, /^ORD_[0-9a-f]{10}_[1-9]\d{2},92555\d{7},900$/);
    assert.equal(await balanceOf(server, customer.id), 5_000);
    assert.equal(await customer.call({ action: 'getBalance' }), 'ACCESS_BALANCE:50.00');
    const { orderId } = parseBought(reply);
    assert.equal(await customer.call({ action: 'getStatus', id: orderId }), 'STATUS_WAIT_CODE');
    // A free server sells for 0.00: nothing is charged and no ledger entry is written.
    const free = await buyer(0);
    assert.match(await free.call(BUY_FREE), /^ORD_[0-9a-f]{10}_[1-9]\d{2},92555\d{7},900$/);
    assert.deepEqual(await ledgerKinds(server, free.id), []);
    // Ids are unique per order.
    assert.notEqual(parseBought(await customer.call(BUY_FREE)).orderId, orderId);
  });

  it('answers LOW_BALANCE (never NO_BALANCE) and charges nothing when the balance is short', async () => {
    const customer = await buyer(4_999);
    assert.equal(await customer.call(BUY_PAID), 'LOW_BALANCE');
    assert.equal(await balanceOf(server, customer.id), 4_999);
    assert.deepEqual(await ledgerKinds(server, customer.id), [['topup', 4_999]]);
  });

  it('delivers the code: STATUS_WAIT_CODE, then STATUS_OK:code, completed with ACCESS_FINISH', async () => {
    const customer = await buyer();
    const { orderId } = parseBought(await customer.call(BUY_PAID));
    assert.equal(await customer.call({ action: 'setStatus', id: orderId, status: '6' }), 'NO_SMS_RECEIVED');
    await deliver(server, orderId, 'Your Facebook code is 847293. Do not share it.');
    server.clock.advance(SECOND); // the worker looks at sandbox orders every half second
    await server.runJobs();
    assert.equal(await customer.call({ action: 'getStatus', id: orderId }), 'STATUS_OK:847293');
    server.clock.advance(121 * SECOND);
    assert.equal(await customer.call({ action: 'setStatus', id: orderId, status: '8' }), 'BAD_STATUS');
    assert.equal(await customer.call({ action: 'setStatus', id: orderId, status: '3' }), 'ACCESS_FINISH');
    assert.equal(await customer.call({ action: 'setStatus', id: orderId, status: '6' }), 'ACCESS_FINISH');
    assert.equal(await customer.call({ action: 'getStatus', id: orderId }), 'STATUS_OK:847293');
    assert.equal(await balanceOf(server, customer.id), 5_000, 'a delivered number is paid for');
  });

  it('refuses a cancel during the 2-minute lock and refunds in full after it', async () => {
    const customer = await buyer(10_000);
    const { orderId } = parseBought(await customer.call(BUY_PAID));
    const cancel = { action: 'setStatus', id: orderId, status: '8' };
    assert.equal(await customer.call(cancel), 'EARLY_CANCEL_DENIED');
    server.clock.advance(120 * SECOND - 1);
    assert.equal(await customer.call(cancel), 'EARLY_CANCEL_DENIED');
    assert.equal(await balanceOf(server, customer.id), 5_000);
    server.clock.advance(1);
    assert.equal(await customer.call(cancel), 'ACCESS_READY');
    assert.equal(await balanceOf(server, customer.id), 10_000);
    assert.equal(await customer.call({ action: 'getStatus', id: orderId }), 'STATUS_CANCEL');
    // Repeating the cancel says the number is cancelled (only one cancel answers ACCESS_READY) and
    // refunds nothing more.
    assert.equal(await customer.call(cancel), 'STATUS_CANCEL');
    assert.equal(await customer.call({ action: 'setStatus', id: orderId, status: '6' }), 'NO_SMS_RECEIVED');
    assert.deepEqual(await ledgerKinds(server, customer.id), [
      ['topup', 10_000],
      ['order_debit', -5_000],
      ['order_refund', 5_000],
    ]);
    // A code arriving after the cancel reaches nobody.
    await deliver(server, orderId, 'Your code is 111222').catch(() => undefined);
    await server.runJobs();
    assert.equal(await customer.call({ action: 'getStatus', id: orderId }), 'STATUS_CANCEL');
  });

  it('cancels and refunds automatically when the 900 seconds end without a code', async () => {
    const customer = await buyer(10_000);
    const { orderId } = parseBought(await customer.call(BUY_PAID));
    const free = await buyer(0);
    const freeOrder = parseBought(await free.call(BUY_FREE)).orderId;
    server.clock.advance(900 * SECOND - 1);
    await server.runJobs();
    assert.equal(await customer.call({ action: 'getStatus', id: orderId }), 'STATUS_WAIT_CODE');
    server.clock.advance(1);
    await server.runJobs();
    assert.equal(await customer.call({ action: 'getStatus', id: orderId }), 'STATUS_CANCEL');
    assert.equal(await free.call({ action: 'getStatus', id: freeOrder }), 'STATUS_CANCEL');
    assert.equal(await balanceOf(server, customer.id), 10_000);
    assert.equal(await customer.call({ action: 'setStatus', id: orderId, status: '8' }), 'STATUS_CANCEL');
    assert.deepEqual(await ledgerKinds(server, customer.id), [
      ['topup', 10_000],
      ['order_debit', -5_000],
      ['order_refund', 5_000],
    ]);
    assert.deepEqual(await ledgerKinds(server, free.id), []);
  });

  it('keeps a code that came before expiry: the order ends finished and stays paid', async () => {
    const customer = await buyer(10_000);
    const { orderId } = parseBought(await customer.call(BUY_PAID));
    server.clock.advance(600 * SECOND);
    await deliver(server, orderId, 'FB-556677 is your confirmation code');
    await server.runJobs();
    server.clock.advance(300 * SECOND);
    await server.runJobs();
    assert.equal(await customer.call({ action: 'getStatus', id: orderId }), 'STATUS_OK:556677');
    assert.equal(await customer.call({ action: 'setStatus', id: orderId, status: '6' }), 'ACCESS_FINISH');
    assert.equal(await balanceOf(server, customer.id), 5_000);
  });

  it('answers BAD_ID, BAD_STATUS and NO_ACTIVATION in that order of precedence', async () => {
    const owner = await buyer();
    const other = await buyer();
    const { orderId } = parseBought(await owner.call(BUY_FREE));
    for (const id of [undefined, '', '  ']) {
      const params: Record<string, string> = id === undefined ? {} : { id };
      assert.equal(await owner.call({ action: 'getStatus', ...params }), 'BAD_ID', String(id));
      assert.equal(await owner.call({ action: 'setStatus', status: 'x', ...params }), 'BAD_ID', String(id));
    }
    for (const status of [undefined, '', '1', '5', '9', '88', 'cancel']) {
      const params: Record<string, string> = status === undefined ? {} : { status };
      assert.equal(
        await owner.call({ action: 'setStatus', id: orderId, ...params }),
        'BAD_STATUS',
        String(status),
      );
      assert.equal(await owner.call({ action: 'setStatus', id: 'junk', ...params }), 'BAD_STATUS');
    }
    // An id this API never issues is simply not found.
    for (const id of ['abc', '123', 'ORD_', 'ORD_a:b', `${orderId} x`, 'ORD_!']) {
      assert.equal(await owner.call({ action: 'getStatus', id }), 'NO_ACTIVATION', id);
      assert.equal(await owner.call({ action: 'setStatus', id, status: '8' }), 'NO_ACTIVATION', id);
    }
    // Another customer's order and an unknown one look the same: NO_ACTIVATION.
    for (const caller of [other, owner]) {
      const id = caller === other ? orderId : 'ORD_6830abc123_741';
      assert.equal(await caller.call({ action: 'getStatus', id }), 'NO_ACTIVATION');
      for (const status of ['3', '6', '8']) {
        assert.equal(await caller.call({ action: 'setStatus', id, status }), 'NO_ACTIVATION');
      }
    }
    assert.equal(await owner.call({ action: 'getStatus', id: orderId }), 'STATUS_WAIT_CODE');
    // POST works the same as GET.
    assert.equal(
      await server.post('/stubs/cheap_handler.php', {
        api_key: owner.apiKey,
        action: 'getStatus',
        id: orderId,
      }),
      'STATUS_WAIT_CODE',
    );
  });

  it('answers DATABASE_ERROR and keeps the balance when our write fails', async () => {
    const customer = await buyer(10_000);
    const db = server.ctx.db;
    // 1. The order cannot be stored at all: nothing is debited.
    let undo = await breakWrites(server, 'activations', 'INSERT');
    try {
      assert.equal(await customer.call(BUY_PAID), 'DATABASE_ERROR');
    } finally {
      await undo();
    }
    assert.equal(await balanceOf(server, customer.id), 10_000);
    // 2. The upstream sold a number but recording it fails: cancelled upstream, refunded at once.
    undo = await breakWrites(server, 'activations', 'UPDATE', "NEW.state = 'active'");
    try {
      assert.equal(await customer.call(BUY_PAID), 'DATABASE_ERROR');
    } finally {
      await undo();
    }
    assert.equal(await balanceOf(server, customer.id), 10_000);
    const sandbox = await db
      .selectFrom('sandbox_orders')
      .select('status')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(sandbox.status, 'cancelled');
    assert.match(await customer.call(BUY_PAID), /^ORD_/);
  });

  it('leaves the ledger and every order settled', async () => {
    assert.deepEqual(await ledgerProblems(server), []);
  });
});
