import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import Fastify from 'fastify';
import { registerAdminApi } from '../../src/admin/admin-api.js';
import { findUpstream } from '../../src/providers/upstreams.repository.js';
import { serveFromUpstream } from '../emails/email-test-support.js';
import { startFakeSmsActivateEmail } from '../fakes/email-fakes.js';
import { startFakeSmsActivate } from '../fakes/sms-activate-fake.js';
import { acceptAuditRows, changes, refuseAuditRows, snapshot } from '../helpers/audit-refusal.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { rentFromFake } from '../rentals/rental-helpers.js';
import { fakeUpstreamForType2 } from '../sms/sms-helpers.js';
import { adminCall, auditCount, lastAudit, signedInOperator } from './admin-client.js';

type Upstream = { id: number; name: string; enabled: boolean; apiKeyHint: string | null; apiKey?: string };

describeEachDatabase('admin API: upstreams, prices, overview and the audit log', (kind) => {
  let server: TestServer;
  let token: string;
  let email: string;

  before(async () => {
    server = await startTestServer(kind);
    ({ token, email } = await signedInOperator(server));
  });
  const closeAfter: { close(): Promise<void> }[] = [];
  after(async () => {
    await server.close();
    for (const fake of closeAfter) await fake.close();
  });

  it('adds, configures, disables and enables upstreams, never showing their keys', async () => {
    const added = await adminCall<{ upstream: Upstream }>(server, token, 'POST', '/upstreams', {
      name: 'smsact-main',
      kind: 'sms',
      protocol: 'sms-activate',
      baseUrl: 'https://upstream.example/stubs/handler_api.php',
      apiKey: 'secret-key-1234',
      currency: 'USD',
      timeoutMs: 8000,
    });
    assert.equal(added.status, 201);
    assert.equal(added.body.upstream.apiKeyHint, '…1234');
    assert.equal('apiKey' in added.body.upstream, false);
    const id = added.body.upstream.id;
    const dup = await adminCall(server, token, 'POST', '/upstreams', {
      name: 'smsact-main',
      kind: 'sms',
      protocol: 'sandbox',
    });
    assert.equal(dup.status, 409);
    const unknownProtocol = await adminCall<{ error: string }>(server, token, 'POST', '/upstreams', {
      name: 'typo',
      kind: 'sms',
      protocol: 'sms-activte',
    });
    assert.equal(unknownProtocol.status, 400);
    assert.match(unknownProtocol.body.error, /must be one of .*sms-activate/);
    const bad = await adminCall(server, token, 'POST', '/upstreams', {
      name: 'bad',
      kind: 'sms',
      protocol: 'x',
      baseUrl: 'ftp://x',
    });
    assert.equal(bad.status, 400);

    const patched = await adminCall<{ upstream: Upstream }>(server, token, 'PATCH', `/upstreams/${id}`, {
      timeoutMs: 12000,
      apiKey: '',
    });
    assert.equal(patched.status, 200);
    assert.equal(
      (await findUpstream(server.ctx.db, id))?.apiKey,
      'secret-key-1234',
      'an empty key keeps the stored one',
    );

    const disabled = await adminCall<{ upstream: Upstream }>(
      server,
      token,
      'POST',
      `/upstreams/${id}/disable`,
    );
    assert.equal(disabled.body.upstream.enabled, false);
    assert.equal((await findUpstream(server.ctx.db, id))?.enabled, false);
    const audit = await lastAudit(server);
    assert.equal(audit.action, 'upstream.disable');
    assert.equal(JSON.parse(audit.before_json ?? '{}').enabled, true);
    assert.equal(JSON.parse(audit.after_json ?? '{}').enabled, false);
    assert.equal(audit.after_json?.includes('secret-key'), false);
    await adminCall(server, token, 'POST', `/upstreams/${id}/enable`);
    const listed = await adminCall<{ upstreams: Upstream[] }>(server, token, 'GET', '/upstreams');
    assert.equal(listed.body.upstreams.find((u) => u.id === id)?.enabled, true);
    assert.equal(JSON.stringify(listed.body).includes('secret-key'), false);
    assert.equal((await adminCall(server, token, 'POST', '/upstreams/99999/disable')).status, 404);
  });

  it('checks an upstream connection read-only and shows its balance and recent failures', async () => {
    const fake = await startFakeSmsActivate({ balance: '12.5' });
    try {
      const added = await adminCall<{ upstream: Upstream }>(server, token, 'POST', '/upstreams', {
        name: 'fake-smsact',
        kind: 'sms',
        protocol: 'sms-activate',
        baseUrl: fake.url,
        apiKey: fake.apiKey,
        currency: 'USD',
      });
      const id = added.body.upstream.id;
      const check = await adminCall<{ check: { ok: boolean; probe: string; balanceMicros: number } }>(
        server,
        token,
        'GET',
        `/upstreams/${id}/check`,
      );
      assert.equal(check.status, 200);
      assert.deepEqual(
        [check.body.check.ok, check.body.check.probe, check.body.check.balanceMicros],
        [true, 'getBalance', 12_500_000],
      );
      assert.equal(fake.count('getNumber') + fake.count('getNumberV2'), 0, 'a check never buys');

      // A second account at the same upstream with a wrong key (a fresh row: the registry caches adapters per row).
      const wrong = await adminCall<{ upstream: Upstream }>(server, token, 'POST', '/upstreams', {
        name: 'fake-smsact-wrong-key',
        kind: 'sms',
        protocol: 'sms-activate',
        baseUrl: fake.url,
        apiKey: 'wrong-key-0000',
        currency: 'USD',
      });
      const refused = await adminCall<{ check: { ok: boolean; error: string } }>(
        server,
        token,
        'GET',
        `/upstreams/${wrong.body.upstream.id}/check`,
      );
      assert.equal(refused.body.check.ok, false);
      assert.equal(JSON.stringify(refused.body).includes('wrong-key'), false);
      const listed = await adminCall<{
        upstreams: (Upstream & { last24h: { orders: number; failed: number } })[];
      }>(server, token, 'GET', '/upstreams');
      assert.deepEqual(listed.body.upstreams.find((u) => u.id === id)?.last24h, { orders: 0, failed: 0 });
      await adminCall(server, token, 'POST', `/upstreams/${id}/disable`);
      await adminCall(server, token, 'POST', `/upstreams/${wrong.body.upstream.id}/disable`);
    } finally {
      await fake.close();
    }
  });

  it('turns the rental API to 503 while its upstream is disabled', async () => {
    const { apiKey } = await server.newAccount(0);
    const countries = async () =>
      (
        await server.getJson<{ status: string; message?: string }>('/stubs/rental-handler.php', {
          api_key: apiKey,
          action: 'getRentalCountries',
          provider: '1',
        })
      ).status;
    const rental = (
      await adminCall<{ upstreams: Upstream[] }>(server, token, 'GET', '/upstreams')
    ).body.upstreams.find((u) => u.name === 'sandbox-rental');
    assert.ok(rental);
    await adminCall(server, token, 'POST', `/upstreams/${rental.id}/disable`);
    // Never read by this server before, so the registry sees the change at once (else within 2 s).
    assert.equal(await countries(), '503');
    await adminCall(server, token, 'POST', `/upstreams/${rental.id}/enable`);
    const deadline = Date.now() + 4000;
    while ((await countries()) !== '200' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 100));
    assert.equal(await countries(), '200');
  });

  it('switches rental and email servers, rental countries and email services off and on', async () => {
    const { apiKey } = await server.newAccount(0);
    const email = (params: Record<string, string>) =>
      server.getJson<{ status: string; services?: unknown[] }>('/stubs/email_handler.php', {
        api_key: apiKey,
        ...params,
      });
    const rental = (params: Record<string, string>) =>
      server.getJson<{ status: string; countries?: { country_code: string }[] }>(
        '/stubs/rental-handler.php',
        {
          api_key: apiKey,
          ...params,
        },
      );
    const flip = (path: string, enabled: boolean) =>
      adminCall(server, token, 'PATCH', `/catalog/${path}`, { enabled });

    assert.equal((await flip('email/servers/1', false)).status, 200);
    assert.equal((await email({ action: 'getEmailServices' })).status, '503');
    await flip('email/servers/1', true);
    assert.equal((await email({ action: 'getEmailServices' })).status, '200');

    assert.equal((await flip('rental/servers/1', false)).status, 200);
    assert.equal((await rental({ action: 'getRentalCountries', provider: '1' })).status, '503');
    await flip('rental/servers/1', true);

    const switches = await adminCall<{
      rentalCountries: { id: number; serverId: number; countryCode: string }[];
    }>(server, token, 'GET', '/catalog/switches');
    const country = switches.body.rentalCountries.find((c) => c.serverId === 1);
    assert.ok(country);
    const codes = async () =>
      ((await rental({ action: 'getRentalCountries', provider: '1' })).countries ?? []).map(
        (c) => c.country_code,
      );
    assert.ok((await codes()).includes(country.countryCode));
    await flip(`rental/countries/${country.id}`, false);
    assert.equal((await codes()).includes(country.countryCode), false);
    await flip(`rental/countries/${country.id}`, true);

    const igListed = async () =>
      JSON.stringify((await email({ action: 'getEmailServices' })).services).includes('"ig"');
    assert.equal(await igListed(), true);
    await flip('email/services/IG', false);
    assert.equal(await igListed(), false);
    await flip('email/services/ig', true);
    assert.equal((await flip('email/services/nope', false)).status, 404);
    assert.equal((await flip('rental/servers/9', false)).status, 404);
    assert.equal(
      (await adminCall(server, token, 'PATCH', '/catalog/email/servers/1', { enabled: 'no' })).status,
      400,
    );
    const audit = await lastAudit(server);
    assert.deepEqual([audit.action, audit.target], ['catalog.enable', 'email-service:ig']);
  });

  it('sets exchange rates and markups and previews the customer price', async () => {
    const rate = await adminCall(server, token, 'PUT', '/prices/rates/usd', { pkr: '280.5' });
    assert.deepEqual(rate.body, { currency: 'USD', pkrPerUnitMicros: 280_500_000 });
    await adminCall(server, token, 'PUT', '/prices/markups/sms', { percent: '25' });
    await adminCall(server, token, 'PUT', '/prices/markups/sms:type:1', { percent: '10' });
    const settings = await adminCall<{ rates: unknown[]; markups: { scope: string; basisPoints: number }[] }>(
      server,
      token,
      'GET',
      '/prices',
    );
    assert.deepEqual(
      settings.body.markups.map((m) => [m.scope, m.basisPoints]),
      [
        ['sms', 2500],
        ['sms:type:1', 1000],
      ],
    );
    // 0.20 USD × 280.5 = 56.10 PKR; +10 % (the more specific scope wins) = 61.71 PKR.
    const preview = await adminCall(
      server,
      token,
      'GET',
      '/prices/preview?cost=0.20&currency=USD&scopes=sms:type:1,sms',
    );
    assert.deepEqual(preview.body, { pricePaisa: 6_171 });
    const general = await adminCall(
      server,
      token,
      'GET',
      '/prices/preview?cost=0.20&currency=USD&scopes=sms',
    );
    assert.deepEqual(general.body, { pricePaisa: 7_013 });
    const audit = await lastAudit(server);
    assert.equal(audit.action, 'price.markup');
    assert.deepEqual(JSON.parse(audit.after_json ?? ''), { basisPoints: 1000 });
    for (const [path, body] of [
      ['/prices/rates/usd', { pkr: '-1' }],
      ['/prices/rates/PKR', { pkr: '1' }],
      ['/prices/markups/sms', { percent: 'lots' }],
      ['/prices/markups/bitcoin', { percent: '5' }],
    ] as const) {
      assert.equal((await adminCall(server, token, 'PUT', path, body)).status, 400, path);
    }
    const noRate = await adminCall(server, token, 'GET', '/prices/preview?cost=1&currency=EUR&scopes=sms');
    assert.equal(noRate.status, 400);
  });

  it('reprices the SMS catalogue at once: markups, fixed prices and disabled offers show in getServices', async () => {
    const { apiKey } = await server.newAccount(0);
    const services = () =>
      server.getJson<Record<string, string>>('/stubs/handler_api.php', {
        api_key: apiKey,
        action: 'getServices',
        type: '1',
        country: '61',
      });
    // The sandbox sells in PKR at cost (45 PKR); an earlier test set markups, so start from 0 %.
    await adminCall(server, token, 'PUT', '/prices/markups/sms:type:1', { percent: '0' });
    assert.equal((await services())['101'], 'Telegram - 45 PKR');
    await adminCall(server, token, 'PUT', '/prices/markups/sms:type:1', { percent: '50' });
    assert.equal((await services())['101'], 'Telegram - 67.50 PKR');

    const offers = await adminCall<{ offers: { serviceId: number; pricePaisa: number }[] }>(
      server,
      token,
      'GET',
      '/catalog/sms?type=1&country=61',
    );
    assert.equal(offers.body.offers.find((o) => o.serviceId === 101)?.pricePaisa, 6_750);
    const fixed = await adminCall(server, token, 'PATCH', '/catalog/sms/1/61/101', { fixedPrice: '40' });
    assert.equal(fixed.status, 200, JSON.stringify(fixed.body));
    assert.equal((await services())['101'], 'Telegram - 40 PKR');
    await adminCall(server, token, 'PATCH', '/catalog/sms/1/61/102', { enabled: false });
    assert.equal((await services())['102'], undefined);
    await adminCall(server, token, 'PATCH', '/catalog/sms/1/61/102', { enabled: true });
    await adminCall(server, token, 'PATCH', '/catalog/sms/1/61/101', { fixedPrice: null });
    await adminCall(server, token, 'PUT', '/prices/markups/sms:type:1', { percent: '0' });
    assert.equal((await services())['101'], 'Telegram - 45 PKR');
    assert.equal(
      (await adminCall(server, token, 'PATCH', '/catalog/sms/1/61/999', { enabled: false })).status,
      404,
    );
    assert.equal(
      (await adminCall(server, token, 'PATCH', '/catalog/sms/1/61/101', { fixedPrice: 'free' })).status,
      400,
    );
  });

  it('sums sales, refunds and top-ups per day from the ledger', async () => {
    const customer = await server.newAccount(0);
    server.clock.advance(86_400_000);
    // A day later the morning's session has expired: sign in again.
    ({ token, email } = await signedInOperator(server));
    await adminCall(server, token, 'POST', `/accounts/${customer.id}/credit`, { amount: '300' });
    await server.ctx.db.transaction().execute(async (trx) => {
      const { postLedgerEntry } = await import('../../src/wallet/wallet.repository.js');
      const now = server.clock.now();
      await postLedgerEntry(trx, {
        accountId: customer.id,
        amount: -4_000,
        kind: 'order_debit',
        reference: 'x:1',
        now,
      });
      await postLedgerEntry(trx, {
        accountId: customer.id,
        amount: -2_500,
        kind: 'order_debit',
        reference: 'x:2',
        now,
      });
      await postLedgerEntry(trx, {
        accountId: customer.id,
        amount: 2_500,
        kind: 'order_refund',
        reference: 'x:2',
        now,
      });
    });
    type Figures = {
      day: number;
      sales: number;
      refunds: number;
      topups: number;
      upstreamCost: number;
      margin: number;
    };
    const overview = await adminCall<{
      days: Figures[];
      totals: { sales: number };
      ordersByState: { line: string; state: string; count: number }[];
    }>(server, token, 'GET', '/overview?days=7');
    assert.equal(overview.body.days.length, 7);
    assert.deepEqual(overview.body.days.at(-1), {
      day: Date.parse('2026-01-02T00:00:00Z'),
      sales: 4_000,
      refunds: 2_500,
      topups: 30_000,
      upstreamCost: 0,
      margin: 4_000,
    });
    assert.equal(overview.body.totals.sales, 4_000);

    // A real order: the email line's sale, its upstream cost (sandbox: PKR) and its state are counted.
    const buyer = await server.newAccount(50_000);
    const bought = await server.getJson<{ status: string; email_id: string }>('/stubs/email_handler.php', {
      api_key: buyer.apiKey,
      action: 'buyEmail',
      service_id: 'ig',
    });
    assert.equal(bought.status, '200');
    const cost = await server.ctx.db
      .selectFrom('email_orders')
      .select('upstream_cost_micros')
      .where('id', '=', Number(bought.email_id))
      .executeTakeFirstOrThrow();
    const after = await adminCall<typeof overview.body>(server, token, 'GET', '/overview?days=7');
    const today = after.body.days.at(-1) as Figures;
    assert.equal(today.sales, 4_000 + 12_000);
    assert.equal(today.upstreamCost, Math.round((cost.upstream_cost_micros ?? 0) / 10_000));
    assert.equal(today.margin, today.sales - today.upstreamCost);
    assert.ok(
      after.body.ordersByState.some((s) => s.line === 'email' && s.state === 'waiting' && s.count >= 1),
    );
  });

  it('writes one audit row per mutation route, naming the operator', async () => {
    // Every mutation route the admin API registers must appear here.
    const registered: string[] = [];
    const probe = Fastify();
    probe.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) {
        if (!['GET', 'HEAD'].includes(method)) registered.push(`${method} ${route.url}`);
      }
    });
    await registerAdminApi(probe, server.ctx);
    await probe.close();

    const customer = await server.newAccount(100_000);
    const bought = await server.getJson<{ email_id: string }>('/stubs/email_handler.php', {
      api_key: customer.apiKey,
      action: 'buyEmail',
      service_id: 'ig',
    });
    const topupIds: number[] = [];
    for (const ref of ['AUD-1', 'AUD-2']) {
      const response = await fetch(`${server.url}/api/topups`, {
        method: 'POST',
        body: new URLSearchParams({
          api_key: customer.apiKey,
          amount: '5',
          method: 'bank',
          payment_reference: ref,
        }),
      });
      topupIds.push(((await response.json()) as { topup: { id: number } }).topup.id);
    }
    const up = await adminCall<{ upstreams: Upstream[] }>(server, token, 'GET', '/upstreams');
    const upstreamId = up.body.upstreams[0]?.id ?? 0;
    // The console's imports read scripted upstreams: SMS type 2, rental server 1, email server 2.
    const smsFake = await fakeUpstreamForType2(server, { timeoutMs: 2_000, stocked: true });
    const emailFake = await startFakeSmsActivateEmail({
      domains: { 'gmail.com': { cost: '0.09', stock: 300 } },
    });
    closeAfter.push(smsFake, emailFake);
    smsFake.setRentOffer('16', 'full', { costPerHour: '0.01', stock: 10 });
    await rentFromFake(server, 1, smsFake, { name: 'aud-rent', timeoutMs: 2_000 });
    await serveFromUpstream(server, 2, {
      name: 'aud-email',
      protocol: 'sms-activate-email',
      baseUrl: emailFake.url,
      apiKey: emailFake.token,
    });
    const calls: [string, string, string, unknown][] = [
      ['POST /admin/api/accounts', 'POST', '/accounts', { name: 'audited' }],
      ['POST /admin/api/accounts/:id/credit', 'POST', `/accounts/${customer.id}/credit`, { amount: '1' }],
      ['POST /admin/api/accounts/:id/debit', 'POST', `/accounts/${customer.id}/debit`, { amount: '1' }],
      ['POST /admin/api/accounts/:id/block', 'POST', `/accounts/${customer.id}/block`, {}],
      ['POST /admin/api/accounts/:id/unblock', 'POST', `/accounts/${customer.id}/unblock`, {}],
      ['POST /admin/api/accounts/:id/rotate-key', 'POST', `/accounts/${customer.id}/rotate-key`, {}],
      [
        'POST /admin/api/accounts/:id/password-link',
        'POST',
        `/accounts/${customer.id}/password-link`,
        { email: 'audited@example.com' },
      ],
      ['POST /admin/api/topups/:id/approve', 'POST', `/topups/${topupIds[0]}/approve`, {}],
      ['POST /admin/api/topups/:id/reject', 'POST', `/topups/${topupIds[1]}/reject`, {}],
      [
        'POST /admin/api/upstreams',
        'POST',
        '/upstreams',
        { name: 'aud-up', kind: 'email', protocol: 'kopeechka' },
      ],
      ['PATCH /admin/api/upstreams/:id', 'PATCH', `/upstreams/${upstreamId}`, { timeoutMs: 6000 }],
      ['POST /admin/api/upstreams/:id/disable', 'POST', `/upstreams/${upstreamId}/disable`, {}],
      ['POST /admin/api/upstreams/:id/enable', 'POST', `/upstreams/${upstreamId}/enable`, {}],
      ['PUT /admin/api/prices/rates/:currency', 'PUT', '/prices/rates/EUR', { pkr: '300' }],
      ['PUT /admin/api/prices/markups/:scope', 'PUT', '/prices/markups/email', { percent: '15' }],
      [
        'PATCH /admin/api/catalog/sms/:type/:country/:service',
        'PATCH',
        '/catalog/sms/1/61/103',
        { enabled: true },
      ],
      [
        'PUT /admin/api/catalog/sms/routes/:type',
        'PUT',
        '/catalog/sms/routes/5',
        { upstreams: ['sandbox-sms'], policy: 'best' },
      ],
      [
        'PATCH /admin/api/catalog/rental/servers/:key',
        'PATCH',
        '/catalog/rental/servers/2',
        { enabled: true },
      ],
      [
        'PATCH /admin/api/catalog/rental/countries/:key',
        'PATCH',
        '/catalog/rental/countries/1',
        { enabled: true },
      ],
      ['PATCH /admin/api/catalog/email/servers/:key', 'PATCH', '/catalog/email/servers/2', { enabled: true }],
      [
        'PATCH /admin/api/catalog/email/services/:key',
        'PATCH',
        '/catalog/email/services/tg',
        { enabled: true },
      ],
      ['POST /admin/api/orders/:line/:id/refund', 'POST', `/orders/email/${bought.email_id}/refund`, {}],
      [
        'POST /admin/api/catalog/sms/import/:type',
        'POST',
        '/catalog/sms/import/2',
        { countries: ['0'], services: ['tg'] },
      ],
      [
        'POST /admin/api/catalog/rental/import/:server',
        'POST',
        '/catalog/rental/import/1',
        { countries: ['16'], durations: [24] },
      ],
      ['POST /admin/api/catalog/email/import/:server', 'POST', '/catalog/email/import/2', {}],
      ['POST /admin/api/login', 'POST', '/login', null],
    ];
    const covered = new Set(calls.map((c) => c[0]));
    const uncovered = registered.filter((r) => !covered.has(r) && r !== 'POST /admin/api/logout');
    assert.deepEqual(uncovered, [], 'every mutation route is exercised below');

    for (const [name, method, path, body] of calls) {
      const call = () =>
        body === null
          ? adminCall(server, null, 'POST', '/login', { email, password: 'correct horse battery' })
          : adminCall(server, token, method, path, body);
      // First with the audit row refused: the route fails, and its change is gone with the row.
      await refuseAuditRows(server);
      const unchanged = await snapshot(server);
      const refused = await call();
      await acceptAuditRows(server);
      assert.equal(refused.status, 500, `${name} fails when its audit row cannot be written`);
      assert.doesNotMatch(JSON.stringify(refused.body), /audit log refuses/, `${name}: no internals`);
      assert.deepEqual(changes(unchanged, await snapshot(server)), {}, `${name}: no change without its row`);

      const before = await auditCount(server);
      const reply = await call();
      assert.ok(reply.status < 300, `${name}: ${reply.status} ${JSON.stringify(reply.body)}`);
      assert.equal(await auditCount(server), before + 1, `${name} writes exactly one audit row`);
      const row = await lastAudit(server);
      assert.equal(row.actor, email, name);
      assert.ok(row.created_at > 0 && row.action.length > 0 && row.target.length > 0, name);
      assert.ok(row.before_json !== null || row.after_json !== null, `${name} records before/after`);
    }

    const failed = await auditCount(server);
    await adminCall(server, token, 'POST', `/accounts/${customer.id}/debit`, { amount: '999999' });
    await adminCall(server, token, 'POST', `/orders/email/${bought.email_id}/refund`, {});
    assert.equal(await auditCount(server), failed, 'a refused change leaves no audit row');
    const listed = await adminCall<{ entries: { action: string }[] }>(
      server,
      token,
      'GET',
      '/audit?action=price.markup',
    );
    assert.ok(listed.body.entries.length >= 1);
    assert.ok(listed.body.entries.every((e) => e.action === 'price.markup'));
  });
});
