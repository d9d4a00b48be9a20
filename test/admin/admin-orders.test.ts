import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { findAccount } from '../../src/accounts/accounts.repository.js';
import { buyActivation } from '../../src/activations/activations.service.js';
import { deliverSandboxMessage } from '../../src/providers/sandbox/deliver.js';
import { findUpstreamByName } from '../../src/providers/upstreams.repository.js';
import { upstreamOrderResolvers } from '../../src/sandbox-order-resolvers.js';
import { breakWrites } from '../helpers/break-writes.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { adminCall, lastAudit, signedInOperator } from './admin-client.js';

type Order = {
  line: string;
  id: number;
  publicId: string;
  accountId: number;
  state: string;
  address: string | null;
};

describeEachDatabase('admin API: orders across lines', (kind) => {
  let server: TestServer;
  let token: string;

  before(async () => {
    server = await startTestServer(kind);
    ({ token } = await signedInOperator(server));
  });
  after(() => server.close());

  const refunds = (reference: string) =>
    server.ctx.db
      .selectFrom('ledger_entries')
      .select('amount')
      .where('kind', '=', 'order_refund')
      .where('reference', '=', reference)
      .execute();

  async function buySms(accountId: number) {
    const sandbox = await findUpstreamByName(server.ctx.db, 'sandbox-sms');
    assert.ok(sandbox);
    const result = await buyActivation(server.ctx, accountId, {
      line: 'sms',
      routes: [
        {
          upstreamId: sandbox.id,
          upstreamCountry: '92',
          upstreamService: 'Telegram',
        },
      ],
      pricePaisa: 4_500,
      ttlSeconds: 1_200,
      catalogRef: 'type:1/country:61/service:101',
    });
    assert.equal(result.kind, 'ok');
    if (result.kind !== 'ok') throw new Error('purchase failed');
    return result.activation;
  }

  it('finds an SMS order by public id, phone and account, shows its timeline, and refunds it once', async () => {
    const customer = await server.newAccount(10_000);
    const activation = await buySms(customer.id);
    for (const q of [`q=${activation.publicId}`, `q=%2B${activation.phone}`, `account=${customer.id}`]) {
      const found = await adminCall<{ orders: Order[] }>(server, token, 'GET', `/orders?${q}`);
      assert.deepEqual(
        found.body.orders.map((o) => [o.line, o.id]),
        [['sms', activation.id]],
        q,
      );
    }
    server.clock.advance(1_000);
    const refunded = await adminCall<{ order: Order }>(
      server,
      token,
      'POST',
      `/orders/sms/${activation.id}/refund`,
    );
    assert.equal(refunded.status, 200, JSON.stringify(refunded.body));
    assert.equal(refunded.body.order.state, 'cancelled');
    assert.equal((await findAccount(server.ctx.db, customer.id))?.balance, 10_000);
    const again = await adminCall(server, token, 'POST', `/orders/sms/${activation.id}/refund`);
    assert.equal(again.status, 409);
    assert.deepEqual(await refunds(`activation:${activation.id}`), [{ amount: 4_500 }]);
    const audit = await lastAudit(server);
    assert.deepEqual([audit.action, audit.target], ['order.refund', `order:sms:${activation.id}`]);

    const detail = await adminCall<{ timeline: { what: string; detail: string | null }[] }>(
      server,
      token,
      'GET',
      `/orders/sms/${activation.id}`,
    );
    assert.deepEqual(
      detail.body.timeline.map((e) => e.what),
      [
        'ordered',
        'order_debit',
        'upstream buyNumber',
        'order_refund',
        'upstream cancel',
        'order.refund',
        'state cancelled',
      ],
    );
    assert.match(String(detail.body.timeline[2]?.detail), /^ok in \d+ ms at sandbox-sms$/);
  });

  it('finds an email order by address and refunds it through the email line', async () => {
    const customer = await server.newAccount(100_000);
    const bought = await server.getJson<{ status: string; email_id: string; email: string }>(
      '/stubs/email_handler.php',
      { api_key: customer.apiKey, action: 'buyEmail', service_id: 'ig' },
    );
    assert.equal(bought.status, '200', JSON.stringify(bought));
    const found = await adminCall<{ orders: Order[] }>(
      server,
      token,
      'GET',
      `/orders?q=${bought.email.toUpperCase()}`,
    );
    assert.deepEqual(
      found.body.orders.map((o) => [o.line, String(o.id)]),
      [['email', bought.email_id]],
    );
    const refunded = await adminCall<{ order: Order }>(
      server,
      token,
      'POST',
      `/orders/email/${bought.email_id}/refund`,
    );
    assert.equal(refunded.status, 200, JSON.stringify(refunded.body));
    assert.equal(refunded.body.order.state, 'cancelled');
    assert.equal((await findAccount(server.ctx.db, customer.id))?.balance, 100_000);
    assert.equal(
      (await adminCall(server, token, 'POST', `/orders/email/${bought.email_id}/refund`)).status,
      409,
    );
    assert.equal((await refunds(`email:${bought.email_id}`)).length, 1);
    assert.equal((await adminCall(server, token, 'GET', '/orders/parcel/1')).status, 400);
    assert.equal((await adminCall(server, token, 'GET', '/orders/email/999999')).status, 404);
  });

  it('refunds an email and writes its audit row in one transaction, from a received order too', async () => {
    const customer = await server.newAccount(100_000);
    const buy = () =>
      server.getJson<{ status: string; email_id: string }>('/stubs/email_handler.php', {
        api_key: customer.apiKey,
        action: 'buyEmail',
        service_id: 'ig',
      });
    const bought = await buy();
    const refund = (id: string) => adminCall(server, token, 'POST', `/orders/email/${id}/refund`);
    const undo = await breakWrites(server, 'audit_log', 'INSERT');
    try {
      assert.notEqual((await refund(bought.email_id)).status, 200);
    } finally {
      await undo();
    }
    assert.deepEqual(await refunds(`email:${bought.email_id}`), [], 'no refund without its audit row');
    assert.equal((await findAccount(server.ctx.db, customer.id))?.balance, 100_000 - 12_000);

    const withCode = await buy();
    await deliverSandboxMessage(server.ctx.db, upstreamOrderResolvers, {
      orderId: withCode.email_id,
      text: 'Instagram code 118 442',
      now: server.clock.now(),
    });
    server.clock.advance(5_000);
    await server.runJobs();
    for (const id of [bought.email_id, withCode.email_id]) {
      const refunded = await refund(id);
      assert.equal(refunded.status, 200, JSON.stringify(refunded.body));
      assert.equal((await lastAudit(server)).target, `order:email:${id}`);
      assert.deepEqual(await refunds(`email:${id}`), [{ amount: 12_000 }]);
    }
    assert.equal((await findAccount(server.ctx.db, customer.id))?.balance, 100_000);
  });

  it('finds a rental by number and order id with its timeline; refunds it once by hand', async () => {
    const customer = await server.newAccount(100_000);
    const rented = await server.getJson<{ status: string; order_id: string; phone: string }>(
      '/stubs/rental-handler.php',
      {
        api_key: customer.apiKey,
        action: 'rentNumber',
        country_code: 'ca',
        provider: '2',
        duration_hours: '720',
      },
    );
    assert.equal(rented.status, '200', JSON.stringify(rented));
    for (const q of [rented.order_id, rented.phone]) {
      const found = await adminCall<{ orders: Order[] }>(server, token, 'GET', `/orders?q=${q}`);
      assert.deepEqual(
        found.body.orders.map((o) => [o.line, o.publicId]),
        [['rental', rented.order_id]],
      );
    }
    const [order] = (
      await adminCall<{ orders: Order[] }>(server, token, 'GET', `/orders?q=${rented.order_id}`)
    ).body.orders;
    const detail = await adminCall<{ timeline: { what: string; detail: string | null }[] }>(
      server,
      token,
      'GET',
      `/orders/rental/${order?.id}`,
    );
    assert.deepEqual(
      detail.body.timeline.map((e) => e.what),
      ['ordered', 'order_debit', 'upstream rentNumber', 'state active'],
    );
    const refunded = await adminCall<{ order: Order }>(
      server,
      token,
      'POST',
      `/orders/rental/${order?.id}/refund`,
      { reason: 'number never received SMS' },
    );
    assert.equal(refunded.status, 200, JSON.stringify(refunded.body));
    assert.equal(refunded.body.order.state, 'failed');
    assert.equal((await findAccount(server.ctx.db, customer.id))?.balance, 100_000);
    const again = await adminCall<{ error: string }>(
      server,
      token,
      'POST',
      `/orders/rental/${order?.id}/refund`,
    );
    assert.equal(again.status, 409);
    assert.match(again.body.error, /already failed/);
  });

  it('reports code delivery per upstream and service, with the time to the first letter', async () => {
    const customer = await server.newAccount(100_000);
    const bought = await server.getJson<{ status: string; email_id: string }>('/stubs/email_handler.php', {
      api_key: customer.apiKey,
      action: 'buyEmail',
      service_id: 'tg',
    });
    assert.equal(bought.status, '200');
    server.clock.advance(30_000);
    await deliverSandboxMessage(server.ctx.db, upstreamOrderResolvers, {
      orderId: bought.email_id,
      text: 'Your Telegram code is 55821',
      now: server.clock.now(),
    });
    server.clock.advance(5_000);
    await server.runJobs();
    const order = await server.ctx.db
      .selectFrom('email_orders')
      .select(['state', 'created_at'])
      .where('id', '=', Number(bought.email_id))
      .executeTakeFirstOrThrow();
    assert.equal(order.state, 'received');
    const first = await server.ctx.db
      .selectFrom('email_messages')
      .select('received_at')
      .where('order_id', '=', Number(bought.email_id))
      .executeTakeFirstOrThrow();
    const overview = await adminCall<{
      delivery: {
        line: string;
        upstream: string;
        service: string;
        settled: number;
        delivered: number;
        meanSeconds: number;
        medianSeconds: number;
      }[];
    }>(server, token, 'GET', '/overview?days=1');
    const telegram = overview.body.delivery.find((d) => d.line === 'email' && d.service === 'Telegram');
    assert.deepEqual(telegram, {
      line: 'email',
      upstream: 'sandbox-email',
      service: 'Telegram',
      settled: 1,
      delivered: 1,
      meanSeconds: Math.round((first.received_at - order.created_at) / 1000),
      medianSeconds: Math.round((first.received_at - order.created_at) / 1000),
    });
    assert.ok((telegram?.meanSeconds ?? 0) >= 30);
  });
});
