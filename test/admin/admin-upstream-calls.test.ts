import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { buyActivation } from '../../src/activations/activations.service.js';
import { deliverSandboxMessage } from '../../src/providers/sandbox/deliver.js';
import { insertUpstreamCalls } from '../../src/providers/upstream-calls.repository.js';
import { findUpstreamByName } from '../../src/providers/upstreams.repository.js';
import { upstreamOrderResolvers } from '../../src/sandbox-order-resolvers.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { adminCall, signedInOperator } from './admin-client.js';

type Delivery = {
  line: string;
  upstream: string;
  service: string;
  settled: number;
  delivered: number;
  meanSeconds: number | null;
  medianSeconds: number | null;
};

describeEachDatabase('admin API: time to code and the upstream-call log', (kind) => {
  let server: TestServer;
  let token: string;
  let sandboxId: number;

  before(async () => {
    server = await startTestServer(kind);
    ({ token } = await signedInOperator(server));
    const sandbox = await findUpstreamByName(server.ctx.db, 'sandbox-sms');
    assert.ok(sandbox);
    sandboxId = sandbox.id;
  });
  after(() => server.close());

  async function buy(accountId: number, line: 'sms' | 'cheap', service: string) {
    const result = await buyActivation(server.ctx, accountId, {
      line,
      routes: [
        {
          upstreamId: sandboxId,
          upstreamCountry: '92',
          upstreamService: service,
        },
      ],
      pricePaisa: 1_000,
      ttlSeconds: 1_200,
      catalogRef: `test:${service}`,
    });
    if (result.kind !== 'ok') throw new Error(`purchase failed: ${result.kind}`);
    return result.activation;
  }

  async function deliverAfter(seconds: number, publicId: string) {
    server.clock.advance(seconds * 1000);
    await deliverSandboxMessage(server.ctx.db, upstreamOrderResolvers, {
      orderId: publicId,
      text: `Your code is ${Math.floor(10_000 + Math.random() * 89_999)}`,
      now: server.clock.now(),
    });
    await server.runJobs();
  }

  const codeReceivedAt = async (id: number) =>
    (
      await server.ctx.db
        .selectFrom('activations')
        .select(['code_received_at', 'created_at'])
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).code_received_at;

  it('records when the first code came and shows mean and median time to code for SMS and cheap', async () => {
    const customer = await server.newAccount(100_000);
    const sms = [
      await buy(customer.id, 'sms', 'Signal'),
      await buy(customer.id, 'sms', 'Signal'),
      await buy(customer.id, 'sms', 'Signal'),
    ];
    const cheap = await buy(customer.id, 'cheap', 'Viber');
    const boughtAt = server.clock.now();
    assert.equal(await codeReceivedAt(sms[0]?.id as number), null, 'no code yet');
    await deliverAfter(10, sms[0]?.publicId as string);
    await deliverAfter(10, sms[1]?.publicId as string);
    await deliverAfter(40, sms[2]?.publicId as string);
    await deliverAfter(5, cheap.publicId);
    assert.equal(await codeReceivedAt(sms[0]?.id as number), boughtAt + 10_000);
    assert.equal(await codeReceivedAt(sms[2]?.id as number), boughtAt + 60_000);
    assert.equal(await codeReceivedAt(cheap.id), boughtAt + 65_000);

    const overview = await adminCall<{ delivery: Delivery[] }>(server, token, 'GET', '/overview?days=1');
    const signal = overview.body.delivery.find((d) => d.line === 'sms' && d.service === 'Signal');
    assert.deepEqual(signal, {
      line: 'sms',
      upstream: 'sandbox-sms',
      service: 'Signal',
      settled: 3,
      delivered: 3,
      meanSeconds: 30, // (10 + 20 + 60) / 3
      medianSeconds: 20,
    });
    const viber = overview.body.delivery.find((d) => d.line === 'cheap' && d.service === 'Viber');
    assert.equal(viber?.meanSeconds, 65);
    assert.equal(viber?.medianSeconds, 65);
  });

  it("shows an order's upstream calls in its timeline and the upstream's recent calls", async () => {
    const customer = await server.newAccount(10_000);
    const order = await buy(customer.id, 'sms', 'Line');
    await deliverAfter(20, order.publicId); // the poll job then asks the sandbox for the order
    const detail = await adminCall<{ timeline: { at: number; what: string; detail: string }[] }>(
      server,
      token,
      'GET',
      `/orders/sms/${order.id}`,
    );
    const code = detail.body.timeline.find((e) => e.what === 'code') as { at?: number } | undefined;
    assert.equal(code?.at, await codeReceivedAt(order.id), 'the code is placed when it came');
    const calls = detail.body.timeline.filter((e) => e.what.startsWith('upstream '));
    assert.equal(calls[0]?.what, 'upstream buyNumber');
    assert.ok(
      calls.some((c) => c.what === 'upstream getActivation'),
      `a poll call is listed: ${JSON.stringify(calls)}`,
    );
    for (const c of calls) assert.match(c.detail, /^ok in \d+ ms at sandbox-sms$/);

    const recent = await adminCall<{ calls: { operation: string; upstreamOrderId: string | null }[] }>(
      server,
      token,
      'GET',
      `/upstreams/${sandboxId}/calls?limit=500`,
    );
    assert.equal(recent.status, 200);
    assert.ok(
      recent.body.calls.some(
        (c) => c.operation === 'buyNumber' && c.upstreamOrderId === order.upstreamOrderId,
      ),
    );
    assert.equal((await adminCall(server, token, 'GET', '/upstreams/999999/calls')).status, 404);
    assert.equal((await adminCall(server, null, 'GET', `/upstreams/${sandboxId}/calls`)).status, 401);
  });

  it('prunes call-log rows older than the retention period and keeps newer ones', async () => {
    const now = server.clock.now();
    const row = (startedAt: number, operation: string) => ({
      upstreamId: sandboxId,
      operation,
      orderRef: null,
      upstreamOrderId: null,
      startedAt,
      durationMs: 5,
      outcome: 'ok' as const,
      error: null,
    });
    await insertUpstreamCalls(server.ctx.db, [
      row(now - 8 * 86_400_000, 'old-call'),
      row(now - 6 * 86_400_000, 'recent-call'),
    ]);
    await server.runJobs();
    const left = await server.ctx.db
      .selectFrom('upstream_calls')
      .select('operation')
      .where('operation', 'in', ['old-call', 'recent-call'])
      .execute();
    assert.deepEqual(
      left.map((r) => r.operation),
      ['recent-call'],
    );
  });
});
