import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { runOtpgetInProcess } from '../helpers/cli.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { assertLedgerClean, EMAIL, type Json, poll } from './email-test-support.js';

describeEachDatabase('otpget email and sandbox deliver commands', (kind) => {
  let server: TestServer;
  let env: Record<string, string>;
  let apiKey: string;
  const call = (params: Record<string, string>) =>
    server.getJson<Json>(EMAIL, { api_key: apiKey, ...params });
  const otpget = async (...args: string[]) => {
    const result = await runOtpgetInProcess(args, env);
    return result;
  };

  before(async () => {
    server = await startTestServer(kind);
    env = { DATABASE_URL: server.ctx.config.databaseUrl };
    ({ apiKey } = await server.newAccount(1_000_000));
  });
  after(() => server.close());

  it('puts a message on a sandbox email order with `otpget sandbox deliver <email_id> <text>`', async () => {
    const id = (await call({ action: 'buyEmail', service_id: 'ig' })).email_id as string;
    const result = await otpget(
      'sandbox',
      'deliver',
      id,
      'Your Instagram code is 661 204',
      '--from',
      'no-reply@mail.instagram.com',
    );
    assert.equal(result.code, 0, result.stderr);
    await poll(server);
    const code = await call({ action: 'getEmailCode', email_id: id });
    assert.deepEqual([code.status, code.code], ['200', '661204']);
    assert.equal((code.messages as Json[])[0]?.from, 'no-reply@mail.instagram.com');
    const other = (await call({ action: 'buyEmail', server: '2', domain: 'gmx.com' })).email_id as string;
    assert.equal((await otpget('sandbox', 'deliver', `email:${other}`, 'code 447 120')).code, 0);
    const unknown = await otpget('sandbox', 'deliver', '99999', 'code 123456');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no order with id 99999/);
  });

  it('lists servers and prices, and changes prices, stock, services and switches', async () => {
    const servers = await otpget('email', 'servers', '--json');
    assert.equal(servers.code, 0, servers.stderr);
    assert.deepEqual(
      servers.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
      [
        { server: 1, upstream: 'sandbox-email', protocol: 'sandbox', enabled: true },
        { server: 2, upstream: 'sandbox-email', protocol: 'sandbox', enabled: true },
      ],
    );
    const prices = await otpget('email', 'prices', '2');
    assert.match(prices.stdout, /gmail\.com\s+15\.60 PKR {2}stock 82000/);

    assert.equal((await otpget('email', 'price', '2', 'gmx.com', '2.50', '--stock', '10')).code, 0);
    assert.equal((await otpget('email', 'price', '1', 'ig', 'outlook.com', '130', '--stock', '5')).code, 0);
    assert.equal((await otpget('email', 'service', 'ig', '--site', 'mail.instagram.com')).code, 0);
    assert.equal((await otpget('email', 'server', '2', '--disable')).code, 0);

    const domains = await call({ action: 'getEmailServices', server: '2' });
    assert.deepEqual([domains.status, domains.message], ['503', 'Email service disabled']);
    const services = await call({ action: 'getEmailServices', domain: 'outlook.com' });
    assert.deepEqual(services.services, [
      { service_code: 'ig', service_name: 'Instagram', price: 130, count: 5 },
    ]);
    const site = await server.ctx.db
      .selectFrom('email_services')
      .select('site')
      .where('code', '=', 'ig')
      .executeTakeFirstOrThrow();
    assert.equal(site.site, 'mail.instagram.com');

    assert.equal((await otpget('email', 'server', '2', '--enable')).code, 0);
    const after = (await call({ action: 'getEmailServices', server: '2' })).domains as Json[];
    assert.deepEqual(
      after.find((d) => d.domain === 'gmx.com'),
      { domain: 'gmx.com', price: 2.5, count: 10 },
    );
  });

  it('refuses bad arguments and unknown services', async () => {
    for (const args of [
      ['email'],
      ['email', 'price', '3', 'gmail.com', '5'],
      ['email', 'price', '2', 'gmail.com', '0'],
      ['email', 'price', '2', 'gmail.com', '1.234'],
      ['email', 'price', '2', 'gmail.com'],
      ['email', 'server', '1'],
      ['email', 'connect', '1', '--protocol', 'smtp', '--api-key', 'k'],
    ]) {
      const result = await otpget(...args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
    }
    const unknown = await otpget('email', 'price', '1', 'zz', 'gmail.com', '5');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no service "zz"/);
  });

  it('connects a real upstream to a server', async () => {
    const result = await otpget(
      'email',
      'connect',
      '1',
      '--protocol',
      'kopeechka',
      '--api-key',
      'secret-token',
      '--base-url',
      'http://127.0.0.1:9',
    );
    assert.equal(result.code, 0, result.stderr);
    const listed = await otpget('email', 'servers');
    assert.match(listed.stdout, /server 1 {2}email-kopeechka-1 \(kopeechka\) {2}enabled/);
    assert.ok(!listed.stdout.includes('secret-token'));
    assert.equal((await otpget('email', 'server', '1', '--upstream', 'sandbox-email')).code, 0);
    assert.equal((await call({ action: 'getEmailServices' })).status, '200');
  });

  it('passes the ledger check after email orders of every kind', async () => {
    const check = await otpget('ledger', 'check');
    assert.equal(check.code, 0, check.stderr);
    await assertLedgerClean(server);
  });
});
