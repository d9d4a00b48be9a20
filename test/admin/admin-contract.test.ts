import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { buyActivation } from '../../src/activations/activations.service.js';
import { ADMIN_ROUTES, type AdminApi, type AdminRouteName } from '../../src/admin/contract/routes.js';
import { insertTopupRequest } from '../../src/admin/topups.repository.js';
import type { RouteSpec } from '../../src/http/contract/route-spec.js';
import { findUpstreamByName } from '../../src/providers/upstreams.repository.js';
import { serveFromUpstream } from '../emails/email-test-support.js';
import { type EmailFake, startFakeKopeechka } from '../fakes/email-fakes.js';
import type { FakeSmsActivate } from '../fakes/sms-activate-fake.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { rentFromFake } from '../rentals/rental-helpers.js';
import { fakeUpstreamForType2 } from '../sms/sms-helpers.js';
import { adminCall, OPERATOR_PASSWORD, signedInOperator } from './admin-client.js';

describeEachDatabase('admin API: the contract', (kind) => {
  let server: TestServer;
  let token: string;
  let email: string;
  const checked = new Set<AdminRouteName>();

  let fakes: { sms: FakeSmsActivate; email: EmailFake };

  before(async () => {
    server = await startTestServer(kind);
    fakes = {
      sms: await fakeUpstreamForType2(server, { timeoutMs: 2_000, stocked: true }),
      email: await startFakeKopeechka({ domains: { 'gmail.com': { cost: '0.07', stock: 120 } } }),
    };
    ({ token, email } = await signedInOperator(server));
  });
  after(async () => {
    await server.close();
    await fakes.sms.close();
    await fakes.email.close();
  });

  /** Calls a contract route and asserts the reply has its documented status and shape. */
  async function call<K extends AdminRouteName>(
    name: K,
    path: string,
    body?: unknown,
  ): Promise<AdminApi[K]['reply']> {
    const spec: RouteSpec = ADMIN_ROUTES[name];
    const [method] = name.split(' ');
    const reply = await adminCall(server, token, method ?? 'GET', path, body);
    assert.equal(reply.status, spec.status ?? 200, `${name}: ${JSON.stringify(reply.body)}`);
    const first = Value.Errors(spec.reply, reply.body).First();
    assert.equal(
      first,
      undefined,
      `${name}: ${first?.path} ${first?.message} in ${JSON.stringify(reply.body)}`,
    );
    checked.add(name);
    return reply.body as AdminApi[K]['reply'];
  }

  it('answers every route it can reach with the documented shape', async () => {
    const customer = await server.newAccount(10_000);
    const sandbox = await findUpstreamByName(server.ctx.db, 'sandbox-sms');
    assert.ok(sandbox);
    const bought = await buyActivation(server.ctx, customer.id, {
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
    assert.equal(bought.kind, 'ok');
    if (bought.kind !== 'ok') return;

    await call('GET /me', '/me');
    await call('GET /overview', '/overview?days=7');
    const created = await call('POST /accounts', '/accounts', { name: 'Contract', balance: '12.50' });
    const id = created.account.id;
    await call('POST /accounts/:id/credit', `/accounts/${id}/credit`, { amount: '5', note: 'test' });
    await call('POST /accounts/:id/debit', `/accounts/${id}/debit`, { amount: 1 });
    await call('POST /accounts/:id/block', `/accounts/${id}/block`);
    await call('POST /accounts/:id/unblock', `/accounts/${id}/unblock`);
    await call('POST /accounts/:id/rotate-key', `/accounts/${id}/rotate-key`);
    await call('POST /accounts/:id/password-link', `/accounts/${id}/password-link`, {
      email: 'c@example.com',
    });
    await call('GET /accounts', '/accounts?search=Contract');
    await call('GET /accounts/:id', `/accounts/${id}`);
    await call('GET /accounts/:id/ledger', `/accounts/${id}/ledger?limit=5`);
    await call('GET /password-resets', '/password-resets');
    await call('GET /orders', `/orders?account=${customer.id}`);
    await call('GET /orders/:line/:id', `/orders/sms/${bought.activation.id}`);
    await call('POST /orders/:line/:id/refund', `/orders/sms/${bought.activation.id}/refund`, {
      reason: 'test',
    });
    await call('GET /topups', '/topups?state=all');
    const upstream = await call('POST /upstreams', '/upstreams', {
      name: 'contract-up',
      kind: 'sms',
      protocol: 'sandbox',
      timeoutMs: '5000',
    });
    const upstreamId = upstream.upstream.id;
    await call('PATCH /upstreams/:id', `/upstreams/${upstreamId}`, { timeoutMs: 6000, apiKey: '' });
    await call('POST /upstreams/:id/disable', `/upstreams/${upstreamId}/disable`);
    await call('POST /upstreams/:id/enable', `/upstreams/${upstreamId}/enable`);
    await call('GET /upstreams', '/upstreams');
    await call('GET /upstreams/:id/check', `/upstreams/${sandbox.id}/check`);
    await call('GET /upstreams/:id/calls', `/upstreams/${sandbox.id}/calls`);
    await call('PUT /prices/rates/:currency', '/prices/rates/usd', { pkr: '280.50' });
    await call('PUT /prices/markups/:scope', '/prices/markups/sms', { percent: '20' });
    await call('GET /prices', '/prices');
    await call('GET /prices/preview', '/prices/preview?cost=0.25&currency=USD&scopes=sms');
    const offers = await call('GET /catalog/sms', '/catalog/sms?type=1');
    const offer = (offers as { offers: { type: number; countryId: number; serviceId: number }[] }).offers[0];
    assert.ok(offer, 'the sandbox catalogue has SMS offers');
    await call(
      'PATCH /catalog/sms/:type/:country/:service',
      `/catalog/sms/1/${offer.countryId}/${offer.serviceId}`,
      {
        fixedPrice: '45.00',
      },
    );
    const routes = (await call('GET /catalog/sms/routes', '/catalog/sms/routes')) as {
      routes: { type: number; upstreams: { name: string }[] }[];
    };
    assert.equal(routes.routes.length, 6);
    assert.deepEqual(
      routes.routes[0]?.upstreams.map((u) => u.name),
      ['sandbox-sms'],
    );
    const entries = await call('GET /catalog/sms/routes/:type/entries', '/catalog/sms/routes/1/entries');
    assert.equal(entries.type, 1);
    const routed = (await call('PUT /catalog/sms/routes/:type', '/catalog/sms/routes/4', {
      upstreams: ['sandbox-sms'],
      policy: 'cheapest',
    })) as { route: { policy: string } };
    assert.equal(routed.route.policy, 'cheapest');
    // The console's imports, each from a scripted upstream (the sandbox publishes no catalogue).
    const rentalOnSandbox = await adminCall(server, token, 'POST', '/catalog/rental/import/1', {});
    assert.equal(rentalOnSandbox.status, 400);
    assert.match(JSON.stringify(rentalOnSandbox.body), /publishes no rental catalogue to import/);
    const smsImport = await call('POST /catalog/sms/import/:type', '/catalog/sms/import/2', {
      countries: ['0'],
      services: ['tg'],
    });
    assert.deepEqual(
      smsImport.imports.map((i) => [i.upstream, i.offers.added + i.offers.updated + i.offers.unchanged]),
      [['sms-type-2', 1]],
    );
    fakes.sms.setRentOffer('16', 'full', { costPerHour: '0.01', stock: 10 });
    const rentalUpstream = await rentFromFake(server, 1, fakes.sms, {
      name: 'contract-rent',
      timeoutMs: 2_000,
    });
    const rentalImport = await call('POST /catalog/rental/import/:server', '/catalog/rental/import/1', {
      countries: ['16'],
      durations: [24],
    });
    assert.equal(rentalImport.import.upstreamId, rentalUpstream);
    assert.equal(rentalImport.import.quotes, 1);
    await serveFromUpstream(server, 1, {
      name: 'contract-kopeechka',
      protocol: 'kopeechka',
      baseUrl: fakes.email.url,
      apiKey: fakes.email.token,
    });
    const emailImport = await call('POST /catalog/email/import/:server', '/catalog/email/import/1', {
      services: ['ig'],
    });
    assert.equal(emailImport.import.sites, 1);
    assert.equal(emailImport.import.offers.added + emailImport.import.offers.updated > 0, true);
    const emailServicesOnServer2 = await adminCall(server, token, 'POST', '/catalog/email/import/2', {
      services: ['ig'],
    });
    assert.equal(emailServicesOnServer2.status, 400);
    const switches = await call('GET /catalog/switches', '/catalog/switches');
    const server1 = switches.rentalServers[0];
    const service = switches.emailServices[0];
    assert.ok(server1 && service, 'the sandbox catalogue has rental servers and email services');
    const country = switches.rentalCountries[0];
    const emailServer = switches.emailServers[0];
    assert.ok(country && emailServer, 'the sandbox catalogue has rental countries and email servers');
    await call('PATCH /catalog/rental/servers/:key', `/catalog/rental/servers/${server1.id}`, {
      enabled: false,
    });
    await call('PATCH /catalog/rental/countries/:key', `/catalog/rental/countries/${country.id}`, {
      enabled: false,
    });
    await call('PATCH /catalog/email/servers/:key', `/catalog/email/servers/${emailServer.server}`, {
      enabled: false,
    });
    await call('PATCH /catalog/email/services/:key', `/catalog/email/services/${service.code}`, {
      enabled: false,
    });
    for (const decision of ['approve', 'reject'] as const) {
      const topup = await insertTopupRequest(server.ctx.db, {
        accountId: id,
        amount: 50_000,
        method: 'bank',
        paymentReference: `contract-${decision}`,
        note: null,
        now: server.clock.now(),
      });
      await call(`POST /topups/:id/${decision}`, `/topups/${topup}/${decision}`, { note: 'checked' });
    }
    await call('GET /audit', '/audit?limit=50');
    const login = await call('POST /login', '/login', { email, password: OPERATOR_PASSWORD });
    token = login.token;
    await call('POST /logout', '/logout');
    assert.deepEqual(
      Object.keys(ADMIN_ROUTES).filter((name) => !checked.has(name as AdminRouteName)),
      [],
      'every route was called',
    );
  });

  it('refuses input outside the schema with a 400 naming the field, and asks for a session first', async () => {
    ({ token } = await signedInOperator(server));
    const { id } = await server.newAccount(0);
    const cases: [string, string, unknown, string][] = [
      ['POST', `/accounts/${id}/credit`, { amount: 1.5 }, 'amount must be a string or a whole number'],
      ['POST', `/accounts/${id}/credit`, {}, 'amount is required'],
      [
        'POST',
        `/accounts/${id}/credit`,
        { amount: '5', note: 'x'.repeat(501) },
        'note must be at most 500 characters',
      ],
      ['POST', '/accounts/12x/credit', { amount: '5' }, 'id must be a whole number'],
      ['PATCH', '/catalog/rental/servers/1', { enabled: 'true' }, 'enabled must be true or false'],
      [
        'GET',
        '/topups?state=lost',
        undefined,
        'state must be "pending" or "approved" or "rejected" or "all" or ""',
      ],
      [
        'POST',
        '/upstreams',
        { name: 'x', kind: 'fax', protocol: 'sandbox' },
        'kind must be "sms" or "rental" or "email"',
      ],
    ];
    for (const [method, path, body, message] of cases) {
      const refused = await adminCall<{ error: string }>(server, token, method, path, body);
      assert.deepEqual([refused.status, refused.body.error], [400, message], `${method} ${path}`);
      const anonymous = await adminCall<{ error: string }>(server, null, method, path, body);
      assert.equal(anonymous.status, 401, `${method} ${path} without a session`);
    }
    const balance = await adminCall<{ account: { balance: number } }>(
      server,
      token,
      'GET',
      `/accounts/${id}`,
    );
    assert.equal(balance.body.account.balance, 0, 'nothing refused was credited');
  });

  it('publishes the contract as OpenAPI to signed-in operators', async () => {
    assert.equal((await adminCall(server, null, 'GET', '/openapi.json')).status, 401);
    const doc = await adminCall<{
      openapi: string;
      paths: Record<string, Record<string, { responses: Record<string, unknown>; requestBody?: unknown }>>;
    }>(server, token, 'GET', '/openapi.json');
    assert.equal(doc.status, 200);
    assert.equal(doc.body.openapi, '3.1.0');
    for (const [name, spec] of Object.entries(ADMIN_ROUTES) as [string, RouteSpec][]) {
      const [method = '', url = ''] = name.split(' ');
      const operation = doc.body.paths[`/admin/api${url.replace(/:(\w+)/g, '{$1}')}`]?.[method.toLowerCase()];
      assert.ok(operation, `${name} is in the document`);
      assert.ok(operation.responses[String(spec.status ?? 200)], `${name} documents its success`);
      assert.equal(operation.requestBody !== undefined, spec.body !== undefined, `${name} request body`);
    }
    for (const name of Object.keys(ADMIN_ROUTES) as AdminRouteName[]) {
      const [method = 'GET', url = ''] = name.split(' ');
      assert.ok(
        server.app.hasRoute({ method: method as 'GET', url: `/admin/api${url}` }),
        `${name} is served`,
      );
    }
  });
});
