import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { PORTAL_ROUTES, PortalFailure, type PortalRouteName } from '../../src/portal/portal-contract.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { deliverToSandbox, tick } from '../sms/sms-helpers.js';
import { type PortalClient, signedUpCustomer } from './portal-client.js';

describeEachDatabase('portal API: the contract', (kind) => {
  let server: TestServer;
  let client: PortalClient;
  const checked = new Set<PortalRouteName>();

  before(async () => {
    server = await startTestServer(kind, { env: { OTPGET_CANCEL_LOCK_SECONDS: '0' } });
    client = await signedUpCustomer(server, `contract-${kind.name}@example.com`, 100_000);
  });
  after(() => server.close());

  /** Calls a contract route and asserts a success has the route's reply shape. */
  async function call(name: PortalRouteName, path: string, body?: unknown) {
    const [method] = name.split(' ') as ['GET' | 'POST'];
    const { status, data } = await client.json(method, path, body);
    assert.equal(status, 200, `${name}: ${JSON.stringify(data)}`);
    const errors = [...Value.Errors(PORTAL_ROUTES[name].reply, data)].map((e) => `${e.path} ${e.message}`);
    assert.deepEqual(errors, [], `${name} answers its contract: ${JSON.stringify(data)}`);
    checked.add(name);
    // biome-ignore lint/suspicious/noExplicitAny: checked against the schema just above
    return data as any;
  }

  it('answers every route with its documented shape, and refusals as { ok: false, error }', async () => {
    await call('GET /portal/api/sms/countries', '/portal/api/sms/countries?type=1');
    await call('GET /portal/api/sms/services', '/portal/api/sms/services?type=1&country=61');
    const sms = await call('POST /portal/api/sms/orders', '/portal/api/sms/orders', {
      type: '1',
      country: '61',
      service: '101',
    });
    await call('GET /portal/api/sms/orders/:id', `/portal/api/sms/orders/${sms.order.id}`);
    await call('POST /portal/api/sms/orders/:id/:verb', `/portal/api/sms/orders/${sms.order.id}/cancel`, {});
    const server1 = (
      await server.ctx.db.selectFrom('cheap_servers').select('id').orderBy('id').executeTakeFirstOrThrow()
    ).id;
    const cheap = await call('POST /portal/api/cheap/orders', '/portal/api/cheap/orders', {
      server: String(server1),
    });
    await call('GET /portal/api/cheap/orders/:id', `/portal/api/cheap/orders/${cheap.order.id}`);
    await deliverToSandbox(server, cheap.order.id, 'Your code is 48213');
    await tick(server);
    await call(
      'POST /portal/api/cheap/orders/:id/:verb',
      `/portal/api/cheap/orders/${cheap.order.id}/complete`,
      {},
    );
    assert.deepEqual(
      Object.keys(PORTAL_ROUTES).filter((name) => !checked.has(name as PortalRouteName)),
      [],
      'every route was called',
    );

    for (const [method, path, body, status] of [
      ['GET', '/portal/api/sms/countries?type=9', undefined, 400],
      ['POST', '/portal/api/sms/orders', { type: 1 }, 400],
      ['GET', '/portal/api/sms/orders/nope', undefined, 404],
      ['POST', `/portal/api/sms/orders/${sms.order.id}/explode`, {}, 404],
    ] as const) {
      const refused = await client.json(method, path, body);
      assert.equal(refused.status, status, path);
      assert.ok(Value.Check(PortalFailure, refused.data), JSON.stringify(refused.data));
    }
  });
});
