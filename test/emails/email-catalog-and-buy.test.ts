import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { blockAccount } from '../../src/accounts/accounts.service.js';
import {
  findEmailService,
  upsertEmailOffer,
  upsertEmailServer,
} from '../../src/emails/email-catalog.repository.js';
import { updateUpstream } from '../../src/providers/upstreams.repository.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  assertLedgerClean,
  assertShape,
  balanceOf,
  EMAIL,
  ERROR_SHAPE,
  type Json,
  orderLedger,
} from './email-test-support.js';

const BOUGHT_SHAPE = {
  status: 'string',
  message: 'string',
  email_id: 'string',
  email: 'string',
  service: 'string',
  domain: 'string',
  price: 'number',
  balance: 'number',
  server: 'number',
};

describeEachDatabase('temp email API: services, domains and buying', (kind) => {
  let server: TestServer;
  let apiKey: string;
  let accountId: number;
  const call = (params: Record<string, string>, key = apiKey) =>
    server.getJson<Json>(EMAIL, { api_key: key, ...params });

  before(async () => {
    server = await startTestServer(kind);
    ({ apiKey, id: accountId } = await server.newAccount(500_000));
  });
  after(() => server.close());

  it('lists server-1 services for gmail.com by default, typed as the reference shows', async () => {
    const variants: Array<Record<string, string>> = [
      {},
      { server: '1' },
      { server: '1', domain: 'gmail.com' },
      { domain: 'GMAIL.COM' },
    ];
    for (const params of variants) {
      const reply = await call({ action: 'getEmailServices', ...params });
      assertShape(reply, { status: 'string', server: 'number', count: 'number', services: 'array' });
      assert.equal(reply.status, '200');
      assert.equal(reply.server, 1);
      const services = reply.services as Json[];
      assert.equal(reply.count, services.length);
      assert.equal(services.length, 93);
      for (const s of services)
        assertShape(
          s,
          { service_code: 'string', service_name: 'string', price: 'number', count: 'number' },
          'service',
        );
      assert.deepEqual(
        services.find((s) => s.service_code === 'ig'),
        { service_code: 'ig', service_name: 'Instagram', price: 120, count: 48 },
      );
      assert.deepEqual(
        services.find((s) => s.service_code === 'tg'),
        { service_code: 'tg', service_name: 'Telegram', price: 95, count: 120 },
      );
    }
    const none = await call({ action: 'getEmailServices', domain: 'yahoo.com' });
    assert.deepEqual(none, { status: '200', server: 1, count: 0, services: [] });
  });

  it('lists server-2 domains with the reference example prices, with or without a site', async () => {
    for (const site of ['telegram.com', '']) {
      const reply = await call({ action: 'getEmailServices', server: '2', site });
      assertShape(reply, { status: 'string', server: 'number', count: 'number', domains: 'array' });
      assert.equal(reply.server, 2);
      const domains = reply.domains as Json[];
      assert.equal(reply.count, 5);
      for (const d of domains)
        assertShape(d, { domain: 'string', price: 'number', count: 'number' }, 'domain');
      assert.deepEqual(domains.slice(0, 3), [
        { domain: 'gmail.com', price: 15.6, count: 82000 },
        { domain: 'mail.com', price: 1.17, count: 990125 },
        { domain: 'gmx.com', price: 1.17, count: 1615245 },
      ]);
    }
  });

  it('leaves sold-out and switched-off offers out of the lists', async () => {
    const now = server.clock.now();
    await upsertEmailOffer(
      server.ctx.db,
      { server: 2, serviceCode: '', domain: 'hotmail.com', stock: 0 },
      now,
    );
    await upsertEmailOffer(
      server.ctx.db,
      { server: 1, serviceCode: 'oi', domain: 'gmail.com', enabled: false },
      now,
    );
    const domains = (await call({ action: 'getEmailServices', server: '2' })).domains as Json[];
    assert.ok(!domains.some((d) => d.domain === 'hotmail.com'));
    const services = (await call({ action: 'getEmailServices' })).services as Json[];
    assert.equal(services.length, 92);
    assert.ok(!services.some((s) => s.service_code === 'oi'));
    await upsertEmailOffer(
      server.ctx.db,
      { server: 2, serviceCode: '', domain: 'hotmail.com', stock: 10 },
      now,
    );
    await upsertEmailOffer(
      server.ctx.db,
      { server: 1, serviceCode: 'oi', domain: 'gmail.com', enabled: true },
      now,
    );
  });

  it('buys on server 1 by service: debit, reply fields and types as the reference example', async () => {
    const { apiKey: key, id } = await server.newAccount(500_000);
    const reply = await call({ action: 'buyEmail', server: '1', service_id: 'ig', domain: 'gmail.com' }, key);
    assertShape(reply, BOUGHT_SHAPE);
    assert.equal(reply.status, '200');
    assert.equal(reply.message, 'Email activated successfully');
    assert.match(reply.email_id as string, /^\d+$/);
    assert.match(reply.email as string, /^[\w.]+@gmail\.com$/);
    assert.deepEqual(
      [reply.service, reply.domain, reply.price, reply.balance, reply.server],
      ['Instagram', 'gmail.com', 120, 4880, 1],
    );
    assert.equal(await balanceOf(server, id), 488_000);
    assert.deepEqual(await orderLedger(server, reply.email_id as string), [['order_debit', -12_000]]);
    // The domain defaults to gmail.com and the service code is case-insensitive.
    const again = await call({ action: 'buyEmail', service_id: 'TG' }, key);
    assert.deepEqual(
      [again.service, again.domain, again.price, again.balance],
      ['Telegram', 'gmail.com', 95, 4785],
    );
  });

  it('buys on server 2 by domain, with and without a site', async () => {
    const reply = await call({ action: 'buyEmail', server: '2', domain: 'gmx.com', site: 'telegram.com' });
    assertShape(reply, BOUGHT_SHAPE);
    assert.deepEqual(
      [reply.status, reply.message, reply.service, reply.domain, reply.price, reply.server],
      ['200', 'Email activated successfully', 'Email Activation', 'gmx.com', 1.17, 2],
    );
    assert.match(reply.email as string, /@gmx\.com$/);
    const order = await server.ctx.db
      .selectFrom('email_orders')
      .selectAll()
      .where('id', '=', Number(reply.email_id))
      .executeTakeFirstOrThrow();
    assert.deepEqual([order.site, order.state, order.price_paisa], ['telegram.com', 'waiting', 117]);
    const noSite = await call({ action: 'buyEmail', server: '2', domain: 'https://www.Mail.com/' });
    assert.deepEqual([noSite.status, noSite.domain, noSite.price], ['200', 'mail.com', 1.17]);
  });

  it('asks for missing parameters with 400', async () => {
    assert.deepEqual(await call({ action: 'buyEmail' }), {
      status: '400',
      message: 'service_id is required',
    });
    assert.deepEqual(await call({ action: 'buyEmail', service_id: ' ' }), {
      status: '400',
      message: 'service_id is required',
    });
    assert.deepEqual(await call({ action: 'buyEmail', server: '2' }), {
      status: '400',
      message: 'domain is required',
    });
    for (const action of ['getEmailCode', 'cancelEmail'])
      assert.deepEqual(await call({ action }), { status: '400', message: 'email_id is required' });
  });

  it('answers 404 for unknown services and domains, and for a sold-out offer', async () => {
    const before = await balanceOf(server, accountId);
    const cases: Array<[Record<string, string>, string]> = [
      [{ service_id: 'zz' }, 'Service not available'],
      [{ service_id: 'ig', domain: 'yahoo.com' }, 'Service not available'],
      [{ server: '2', domain: 'yahoo.com' }, 'Service not available'],
    ];
    for (const [params, message] of cases) {
      const reply = await call({ action: 'buyEmail', ...params });
      assertShape(reply, ERROR_SHAPE);
      assert.deepEqual(reply, { status: '404', message });
    }
    const now = server.clock.now();
    await upsertEmailOffer(
      server.ctx.db,
      { server: 1, serviceCode: 'fb', domain: 'gmail.com', stock: 0 },
      now,
    );
    assert.deepEqual(await call({ action: 'buyEmail', service_id: 'fb' }), {
      status: '404',
      message: 'No stock available',
    });
    assert.equal(await balanceOf(server, accountId), before);
    assert.ok(await findEmailService(server.ctx.db, 'fb'));
  });

  it('refuses a purchase beyond the balance with 402 and the exact amounts, charging nothing', async () => {
    const { apiKey: key, id } = await server.newAccount(5_050);
    const reply = await call({ action: 'buyEmail', service_id: 'ig' }, key);
    assert.deepEqual(reply, { status: '402', message: 'Insufficient balance. Need: 120.00 — Have: 50.50' });
    assert.equal(await balanceOf(server, id), 5_050);
    const orders = await server.ctx.db
      .selectFrom('email_orders')
      .select('id')
      .where('account_id', '=', id)
      .execute();
    assert.deepEqual(orders, []);
    const { apiKey: empty } = await server.newAccount(0);
    assert.deepEqual(await call({ action: 'buyEmail', server: '2', domain: 'gmail.com' }, empty), {
      status: '402',
      message: 'Insufficient balance. Need: 15.60 — Have: 0.00',
    });
  });

  it('answers 503 for a server that does not exist or is switched off', async () => {
    for (const value of ['3', '0', 'abc', '1.0']) {
      assert.deepEqual(await call({ action: 'getEmailServices', server: value }), {
        status: '503',
        message: 'Email service not configured',
      });
    }
    const now = server.clock.now();
    await upsertEmailServer(server.ctx.db, { server: 2, enabled: false }, now);
    assert.deepEqual(await call({ action: 'buyEmail', server: '2', domain: 'gmail.com' }), {
      status: '503',
      message: 'Email service disabled',
    });
    assert.deepEqual(await call({ action: 'getEmailServices', server: '2' }), {
      status: '503',
      message: 'Email service disabled',
    });
    await upsertEmailServer(server.ctx.db, { server: 2, enabled: true }, now);
    // Switching the upstream itself off disables every server it serves.
    const upstreamId = (
      await server.ctx.db.selectFrom('email_servers').select('upstream_id').executeTakeFirstOrThrow()
    ).upstream_id;
    await updateUpstream(server.ctx.db, upstreamId, { enabled: false }, now + 1);
    await new Promise((resolve) => setTimeout(resolve, 2_100)); // the registry re-reads upstreams every 2 s
    assert.equal((await call({ action: 'buyEmail', service_id: 'ig' })).status, '503');
    await updateUpstream(server.ctx.db, upstreamId, { enabled: true }, now + 2);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    assert.equal((await call({ action: 'getEmailServices' })).status, '200');
  });

  it('answers key, block and action errors as JSON with string statuses, over GET and POST', async () => {
    assert.deepEqual(await call({ action: 'getEmailServices' }, 'nope'), {
      status: '401',
      message: 'BAD_KEY',
    });
    assert.deepEqual(await server.getJson(EMAIL, { action: 'getEmailServices' }), {
      status: '401',
      message: 'BAD_KEY',
    });
    assert.deepEqual(await call({ action: 'getStatus' }), { status: '400', message: 'BAD_ACTION' });
    assert.deepEqual(await call({}), { status: '400', message: 'BAD_ACTION' });
    const posted = JSON.parse(
      await server.post(EMAIL, { api_key: apiKey, action: 'getEmailServices', server: '2' }),
    );
    assert.equal(posted.server, 2);
    const { apiKey: key, id } = await server.newAccount(10_000);
    await blockAccount(server.ctx.db, server.clock, id);
    server.ctx.auth.forget();
    assert.deepEqual(await call({ action: 'buyEmail', service_id: 'ig' }, key), {
      status: '403',
      message: 'ACCOUNT_BLOCKED',
    });
    const response = await fetch(`${server.url}${EMAIL}?api_key=x&action=getEmailServices`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
  });

  it('keeps the ledger consistent', async () => {
    await assertLedgerClean(server);
  });
});
