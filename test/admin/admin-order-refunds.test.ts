import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { findAccount } from '../../src/accounts/accounts.repository.js';
import { activationStore, pendingActivation } from '../../src/activations/activations.repository.js';
import { buyActivation } from '../../src/activations/activations.service.js';
import { insertPendingRow, reserveOrder } from '../../src/orders/reservation.js';
import { deliverSandboxMessage } from '../../src/providers/sandbox/deliver.js';
import { findUpstreamByName } from '../../src/providers/upstreams.repository.js';
import { upstreamOrderResolvers } from '../../src/sandbox-order-resolvers.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { adminCall, signedInOperator } from './admin-client.js';

const PRICE = 4_500;
const TTL_SECONDS = 1_200;

describeEachDatabase('admin API: operator refunds on the exactly-once path', (kind) => {
  let server: TestServer;
  let token: string;
  let secondToken: string;
  let sandboxId: number;

  before(async () => {
    server = await startTestServer(kind);
    ({ token } = await signedInOperator(server));
    ({ token: secondToken } = await signedInOperator(server));
    const sandbox = await findUpstreamByName(server.ctx.db, 'sandbox-sms');
    assert.ok(sandbox);
    sandboxId = sandbox.id;
  });
  after(() => server.close());

  const offer = () => ({
    line: 'sms' as const,
    routes: [
      {
        upstreamId: sandboxId,
        upstreamCountry: '92',
        upstreamService: 'Telegram',
      },
    ],
    pricePaisa: PRICE,
    ttlSeconds: TTL_SECONDS,
    catalogRef: 'type:1/country:61/service:101',
  });

  async function buySms(accountId: number) {
    const result = await buyActivation(server.ctx, accountId, offer());
    if (result.kind !== 'ok') throw new Error(`purchase failed: ${result.kind}`);
    return result.activation;
  }

  const refunds = async (id: number) =>
    (
      await server.ctx.db
        .selectFrom('ledger_entries')
        .select('amount')
        .where('kind', '=', 'order_refund')
        .where('reference', '=', `activation:${id}`)
        .execute()
    ).map((r) => r.amount);

  const refundAudits = async (id: number) =>
    (
      await server.ctx.db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'order.refund')
        .where('target', '=', `order:sms:${id}`)
        .execute()
    ).length;

  const state = async (id: number) =>
    (
      await server.ctx.db
        .selectFrom('activations')
        .select('state')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).state;

  it('refunds inside the customer cancel lock, with the reason in the audit row', async () => {
    const customer = await server.newAccount(10_000);
    const activation = await buySms(customer.id);
    const cancel = await server.get('/stubs/handler_api.php', {
      api_key: customer.apiKey,
      action: 'setStatus',
      id: activation.publicId,
      status: '8',
    });
    assert.equal(cancel, 'EARLY_CANCEL_DENIED', 'the customer is still inside the lock');
    const refunded = await adminCall<{ order: { state: string } }>(
      server,
      token,
      'POST',
      `/orders/sms/${activation.id}/refund`,
      { reason: 'wrong country' },
    );
    assert.equal(refunded.status, 200, JSON.stringify(refunded.body));
    assert.equal(refunded.body.order.state, 'cancelled');
    assert.equal((await findAccount(server.ctx.db, customer.id))?.balance, 10_000);
    const audit = await server.ctx.db
      .selectFrom('audit_log')
      .select(['after_json'])
      .where('target', '=', `order:sms:${activation.id}`)
      .executeTakeFirstOrThrow();
    assert.equal(JSON.parse(audit.after_json ?? '{}').reason, 'wrong country');
  });

  it('operator refunds racing each other and the expiry job credit exactly once', async () => {
    const customer = await server.newAccount(30_000);
    const orders = [await buySms(customer.id), await buySms(customer.id), await buySms(customer.id)];
    server.clock.advance((TTL_SECONDS + 1) * 1000);
    const replies = await Promise.all([
      ...orders.map((o) => adminCall(server, token, 'POST', `/orders/sms/${o.id}/refund`)),
      ...orders.map((o) => adminCall(server, secondToken, 'POST', `/orders/sms/${o.id}/refund`)),
      server.runJobs().then(() => null),
    ]);
    for (const reply of replies) {
      if (reply) assert.ok([200, 409].includes(reply.status), JSON.stringify(reply.body));
    }
    await server.runJobs();
    for (const [k, o] of orders.entries()) {
      assert.deepEqual(await refunds(o.id), [PRICE], `order ${o.id} refunded once`);
      assert.ok(['cancelled', 'expired'].includes(await state(o.id)));
      // replies[k] and replies[k + orders.length] are the two operators' refunds of order k.
      const won = [replies[k], replies[k + orders.length]].filter((r) => r?.status === 200).length;
      assert.ok(won <= 1, 'at most one operator refund wins');
      assert.equal(await refundAudits(o.id), won, 'an audit row exactly for the refund that won');
    }
    assert.equal((await findAccount(server.ctx.db, customer.id))?.balance, 30_000);
  });

  it('refunds a pending order (outcome unknown) once; the reconciler later finds it settled', async () => {
    const customer = await server.newAccount(10_000);
    const now = server.clock.now();
    const { order: pending } = await server.ctx.db.transaction().execute((trx) =>
      reserveOrder(trx, activationStore, { accountId: customer.id, pricePaisa: PRICE, now }, (t) =>
        insertPendingRow(
          t,
          pendingActivation({
            ...offer(),
            ...(offer().routes[0] as ReturnType<typeof offer>['routes'][number]),
            publicId: `p${Math.random().toString(36).slice(2, 13)}`,
            accountId: customer.id,
            now,
            expiresAt: now + TTL_SECONDS * 1000,
            cancelAllowedAt: now + 120_000,
            reconcileAt: now + 60_000,
          }),
        ),
      ),
    );
    const refunded = await adminCall(server, token, 'POST', `/orders/sms/${pending.id}/refund`);
    assert.equal(refunded.status, 200, JSON.stringify(refunded.body));
    server.clock.advance(600_000);
    await server.runJobs();
    assert.equal(await state(pending.id), 'cancelled');
    assert.deepEqual(await refunds(pending.id), [PRICE]);
    assert.equal((await findAccount(server.ctx.db, customer.id))?.balance, 10_000);
  });

  it('refuses an order in an end state with a clear error and moves no money', async () => {
    const customer = await server.newAccount(10_000);
    const activation = await buySms(customer.id);
    await deliverSandboxMessage(server.ctx.db, upstreamOrderResolvers, {
      orderId: activation.publicId,
      text: 'Telegram code 12345',
      now: server.clock.now(),
    });
    server.clock.advance(5_000);
    await server.runJobs();
    const done = await server.get('/stubs/handler_api.php', {
      api_key: customer.apiKey,
      action: 'setStatus',
      id: activation.publicId,
      status: '6',
    });
    assert.equal(done, 'ACCESS_FINISH');
    const refused = await adminCall<{ error: string }>(
      server,
      token,
      'POST',
      `/orders/sms/${activation.id}/refund`,
    );
    assert.equal(refused.status, 409);
    assert.match(refused.body.error, /already finished/);
    assert.deepEqual(await refunds(activation.id), []);
    assert.equal(await refundAudits(activation.id), 0);
    assert.equal((await findAccount(server.ctx.db, customer.id))?.balance, 10_000 - PRICE);
    assert.equal((await adminCall(server, token, 'POST', '/orders/cheap/999999/refund')).status, 404);
  });
});
