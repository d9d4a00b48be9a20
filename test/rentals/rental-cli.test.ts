import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { ManualClock } from '../../src/shared/clock.js';
import { runOtpgetInProcess } from '../helpers/cli.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { assertError, call, rent } from './rental-helpers.js';

/** The operator's `otpget rental …` and `otpget sandbox deliver` on a rental, from another process. */
describeEachDatabase('otpget rental commands', (kind) => {
  let server: TestServer;
  let env: Record<string, string>;
  before(async () => {
    // The CLI stamps a delivered message with the real time: the server's clock starts there too.
    server = await startTestServer(kind, { clock: new ManualClock(Date.now()) });
    env = { DATABASE_URL: server.ctx.config.databaseUrl };
  });
  after(() => server.close());

  const otpget = async (...args: string[]) => runOtpgetInProcess(args, env);

  it('lists servers, disables one (503 on the API) and enables it again', async () => {
    const listed = await otpget('rental', 'servers', '--json');
    assert.equal(listed.code, 0, listed.stderr);
    const servers = listed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number; monthlyOnly: boolean; upstream: string });
    assert.deepEqual(
      servers.map((s) => [s.id, s.monthlyOnly, s.upstream]),
      [
        [1, false, 'sandbox-rental'],
        [2, true, 'sandbox-rental'],
      ],
    );
    const { apiKey } = await server.newAccount(0);
    assert.equal((await otpget('rental', 'disable', '1')).code, 0);
    assertError(
      await call(server, { api_key: apiKey, action: 'getRentalCountries', provider: '1' }),
      '503',
      'Server 1 is currently unavailable.',
    );
    assert.equal((await otpget('rental', 'enable', '1')).code, 0);
    assert.equal(
      (await call(server, { api_key: apiKey, action: 'getRentalCountries', provider: '1' })).status,
      '200',
    );
  });

  it('adds a country and prices it, fixed or from cost, with the monthly rule enforced', async () => {
    const added = await otpget(
      'rental',
      'country',
      '1',
      'FR',
      '--name',
      'France',
      '--upstream-country',
      '33',
    );
    assert.equal(added.code, 0, added.stderr);
    assert.equal((await otpget('rental', 'price', '1', 'fr', '24', '--price', '99.50')).code, 0);
    assert.equal(
      (await otpget('rental', 'price', '1', 'fr', '168', '--cost', '450')).code,
      0,
      'sandbox costs are in PKR',
    );
    const refused = await otpget('rental', 'price', '2', 'ca', '24', '--price', '10');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /monthly only/);
    const { apiKey } = await server.newAccount(0);
    const pricing = await call(server, {
      api_key: apiKey,
      action: 'getRentalPricing',
      country_code: 'fr',
      provider: '1',
    });
    assert.deepEqual(
      (pricing.pricing as Array<{ duration_hours: string; price: string; country_name: string }>).map((p) => [
        p.duration_hours,
        p.price,
        p.country_name,
      ]),
      [
        ['24', '99.50', 'France'],
        ['168', '450.00', 'France'],
      ],
    );
    const listed = await otpget('rental', 'prices', '--server', '1', '--json');
    const fr = listed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { country: string; hours: number; price: string; basis: string })
      .filter((t) => t.country === 'fr');
    assert.deepEqual(
      fr.map((t) => [t.hours, t.price, t.basis]),
      [
        [24, '99.50', 'fixed'],
        [168, '450.00', 'cost'],
      ],
    );
    assert.equal((await otpget('rental', 'price', '1', 'fr', '24', '--disable')).code, 0);
    const after = await call(server, {
      api_key: apiKey,
      action: 'getRentalPricing',
      country_code: 'fr',
      provider: '1',
    });
    assert.equal((after.pricing as unknown[]).length, 1);
  });

  it('connects a new server to an SMS-Activate-protocol upstream', async () => {
    const missing = await otpget('rental', 'server', '3', '--name', 'Server 3', '--protocol', 'sms-activate');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /--url and --key are required/);
    const made = await otpget(
      'rental',
      'server',
      '3',
      '--name',
      'Server 3',
      '--protocol',
      'sms-activate',
      '--url',
      'http://127.0.0.1:9/',
      '--key',
      'secret-key',
      '--currency',
      'usd',
    );
    assert.equal(made.code, 0, made.stderr);
    const upstream = await server.ctx.db
      .selectFrom('upstreams')
      .select(['kind', 'protocol', 'currency', 'base_url'])
      .where('name', '=', 'rental-server-3')
      .executeTakeFirstOrThrow();
    assert.deepEqual(upstream, {
      kind: 'rental',
      protocol: 'sms-activate',
      currency: 'USD',
      base_url: 'http://127.0.0.1:9/',
    });
    const { apiKey } = await server.newAccount(0);
    const countries = await call(server, { api_key: apiKey, action: 'getRentalCountries', provider: '3' });
    assert.deepEqual(countries, { status: '200', countries: [] });
  });

  it('delivers a sandbox SMS to a rental by its order id and lists rentals', async () => {
    const { apiKey, id } = await server.newAccount(100_000);
    const rented = await rent(server, apiKey);
    const delivered = await otpget(
      'sandbox',
      'deliver',
      rented.order_id as string,
      'Your WhatsApp code 740-279',
      '--from',
      'WhatsApp',
    );
    assert.equal(delivered.code, 0, delivered.stderr);
    await server.runJobs();
    const inbox = await call(server, {
      api_key: apiKey,
      action: 'getRentalSMS',
      order_id: rented.order_id as string,
    });
    assert.deepEqual(inbox.messages, [
      {
        from: 'WhatsApp',
        text: 'Your WhatsApp code 740-279',
        code: '740279',
        timestamp: (inbox.messages as Array<{ timestamp: string }>)[0]?.timestamp,
      },
    ]);
    const listed = await otpget('rental', 'list', '--account', String(id), '--json');
    const rows = listed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { orderId: string; status: string });
    assert.deepEqual(
      rows.map((r) => [r.orderId, r.status]),
      [[rented.order_id, 'active']],
    );
    const check = await otpget('ledger', 'check');
    assert.equal(check.code, 0, check.stderr);
  });
});
