/**
 * `otpget email import`: the email servers' offers from their upstream's own domain list (cost and
 * stock), priced by rate and markup, against the scripted kopeechka and SMS-Activate email fakes.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { reimportDue } from '../../src/catalog/catalogue-imports.js';
import { reimportEmailCatalogue } from '../../src/emails/email-catalogue-import.js';
import { setExchangeRateMicros, setMarkupBasisPoints } from '../../src/pricing/pricing.repository.js';
import { type EmailFake, startFakeKopeechka, startFakeSmsActivateEmail } from '../fakes/email-fakes.js';
import { runOtpgetInProcess } from '../helpers/cli.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { EMAIL, type Json, serveFromUpstream } from './email-test-support.js';

describeEachDatabase('otpget email import', (kind) => {
  let server: TestServer;
  let kopeechka: EmailFake;
  let smsActivate: EmailFake;
  let env: Record<string, string>;
  let apiKey: string;
  const call = (params: Record<string, string>) =>
    server.getJson<Json>(EMAIL, { api_key: apiKey, ...params });
  const otpget = (...args: string[]) => runOtpgetInProcess(args, env);
  const offers = async (emailServer: number, serviceCode: string) =>
    Object.fromEntries(
      (
        await server.ctx.db
          .selectFrom('email_offers')
          .select(['domain', 'price', 'stock', 'cost_micros', 'enabled'])
          .where('server', '=', emailServer)
          .where('service_code', '=', serviceCode)
          .execute()
      ).map((o) => [o.domain, [o.price, o.stock, o.cost_micros, o.enabled]]),
    );

  before(async () => {
    kopeechka = await startFakeKopeechka({
      domains: {
        'gmail.com': { cost: '0.07', stock: 120 },
        'outlook.com': { cost: '0.035', stock: 40 },
        'yandex.ru': { cost: '0.05', stock: 7 },
      },
    });
    smsActivate = await startFakeSmsActivateEmail({
      domains: { 'gmail.com': { cost: '0.09', stock: 300 }, 'outlook.com': { cost: '0.04', stock: 0 } },
    });
    server = await startTestServer(kind);
    env = { DATABASE_URL: server.ctx.config.databaseUrl };
    ({ apiKey } = await server.newAccount(1_000_000));
  });
  after(async () => {
    await server.close();
    await kopeechka.close();
    await smsActivate.close();
  });

  it('refuses while the server is on the sandbox, which lists no domains, and changes nothing', async () => {
    const before = await offers(1, 'ig');
    const result = await otpget('email', 'import', '1', '--services', 'ig');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /lists no mailbox domains; nothing imported/);
    assert.deepEqual(await offers(1, 'ig'), before);
  });

  it("prices server 1's domains from cost × rate × markup, keeps a hand price, and follows a re-import", async () => {
    await serveFromUpstream(server, 1, {
      name: 'kopeechka-import',
      protocol: 'kopeechka',
      baseUrl: kopeechka.url,
      apiKey: kopeechka.token,
      timeoutMs: 2_000,
    });
    const noRate = await otpget('email', 'import', '1', '--services', 'ig');
    assert.equal(noRate.code, 1);
    assert.match(noRate.stderr, /USD/);
    await setExchangeRateMicros(server.ctx.db, 'USD', 280_000_000, server.clock.now());
    await setMarkupBasisPoints(server.ctx.db, 'email', 2_500, server.clock.now());

    const first = await otpget('email', 'import', '1', '--services', 'ig');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /1 site\(s\) asked; offers 2 added, 1 updated, 0 unchanged, 0 disabled/);
    // The seeded gmail.com offer keeps its hand price (120.00) with the upstream's stock; the new
    // ones cost 0.035 and 0.05 USD × 280 × 1.25.
    assert.deepEqual(await offers(1, 'ig'), {
      'gmail.com': [12_000, 120, null, 1],
      'outlook.com': [1_225, 40, 35_000, 1],
      'yandex.ru': [1_750, 7, 50_000, 1],
    });
    assert.equal(kopeechka.requests.filter((r) => r.action === 'domains').length >= 1, true);
    const listed = await call({ action: 'getEmailServices', domain: 'outlook.com' });
    assert.deepEqual(listed.services, [
      { service_code: 'ig', service_name: 'Instagram', price: 12.25, count: 40 },
    ]);
    const bought = await call({ action: 'buyEmail', service_id: 'ig', domain: 'yandex.ru' });
    assert.equal(bought.status, '200', JSON.stringify(bought));
    assert.equal(bought.price, 17.5);

    kopeechka.setPrice('outlook.com', '0.05');
    kopeechka.removeDomain('yandex.ru');
    kopeechka.setPrice('hotmail.com', '0.04');
    kopeechka.setStock('hotmail.com', 5);
    const again = await otpget('email', 'import', '1', '--services', 'ig');
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /offers 1 added, 1 updated, 1 unchanged, 1 disabled/);
    assert.deepEqual(await offers(1, 'ig'), {
      'gmail.com': [12_000, 120, null, 1],
      'outlook.com': [1_750, 40, 50_000, 1],
      'yandex.ru': [1_750, 0, 50_000, 0],
      'hotmail.com': [1_400, 5, 40_000, 1],
    });
    const gone = await call({ action: 'buyEmail', service_id: 'ig', domain: 'yandex.ru' });
    assert.notEqual(gone.status, '200');

    const repriced = await otpget('email', 'import', '1', '--services', 'ig', '--reprice');
    assert.equal(repriced.code, 0, repriced.stderr);
    assert.deepEqual((await offers(1, 'ig'))['gmail.com'], [2_450, 120, 70_000, 1]);
    assert.equal((await otpget('email', 'price', '1', 'ig', 'gmail.com', '99')).code, 0);
    assert.equal((await otpget('email', 'import', '1', '--services', 'ig')).code, 0);
    assert.deepEqual((await offers(1, 'ig'))['gmail.com'], [9_900, 120, null, 1]);

    const audit = await server.ctx.db
      .selectFrom('audit_log')
      .select(['action', 'target'])
      .where('action', '=', 'email.import')
      .execute();
    assert.equal(audit.length, 4);
    assert.ok(audit.every((row) => row.target === 'email-server:1'));
  });

  it('imports server 2 from the SMS-Activate email API and stops selling the seeded domains it lacks', async () => {
    await serveFromUpstream(server, 2, {
      name: 'sms-activate-email-import',
      protocol: 'sms-activate-email',
      baseUrl: smsActivate.url,
      apiKey: smsActivate.token,
      timeoutMs: 2_000,
    });
    const result = await otpget('email', 'import', '2');
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /server 2: 1 site\(s\) asked; offers 0 added, 2 updated, 0 unchanged, 3 disabled/,
    );
    assert.deepEqual(await offers(2, ''), {
      'gmail.com': [1_560, 300, null, 1],
      'outlook.com': [390, 0, null, 1],
      'mail.com': [117, 0, null, 0],
      'gmx.com': [117, 0, null, 0],
      'hotmail.com': [390, 0, null, 0],
    });
    const domains = await call({ action: 'getEmailServices', server: '2' });
    assert.deepEqual(domains.domains, [{ domain: 'gmail.com', price: 15.6, count: 300 }]);
  });

  it('writes nothing when the upstream fails on one site, and refuses bad arguments', async () => {
    const before = await offers(1, 'tg');
    kopeechka.failNext('domains', 'http500');
    const failed = await otpget('email', 'import', '1', '--services', 'tg');
    assert.equal(failed.code, 1);
    assert.match(
      failed.stderr,
      /did not list its domains for telegram\.org \(unavailable\); nothing imported/,
    );
    assert.deepEqual(await offers(1, 'tg'), before);
    const unknown = await otpget('email', 'import', '1', '--services', 'nosuch');
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no service "nosuch"/);
    assert.equal((await otpget('email', 'import', '2', '--services', 'ig')).code, 2);
    assert.equal((await otpget('email', 'import', '3')).code, 2);
  });

  it("runs each server's last import again on schedule, as the system, keeping hand prices", async () => {
    const recorded = await server.ctx.db
      .selectFrom('catalogue_imports')
      .select(['target', 'options'])
      .where('line', '=', 'email')
      .orderBy('target')
      .execute();
    assert.deepEqual(recorded, [
      { target: 1, options: '{"services":["ig"]}' },
      { target: 2, options: '{}' },
    ]);
    assert.ok(server.ctx.lines.jobs(server.ctx).some((job) => job.name === 'catalog.email-reimport'));
    kopeechka.setPrice('outlook.com', '0.06');
    smsActivate.setStock('gmail.com', 250);
    const EVERY = server.ctx.config.catalogReimportMinutes;
    const due = () => reimportDue(server.ctx, 'email', reimportEmailCatalogue, EVERY);
    assert.equal(await due(), 0, 'not due yet');
    // The CLI process recorded the imports on the wall clock; the server's clock is its own.
    const next = await server.ctx.db
      .selectFrom('catalogue_imports')
      .select((eb) => eb.fn.max('next_import_at').as('at'))
      .where('line', '=', 'email')
      .executeTakeFirstOrThrow();
    server.clock.advance(Math.max(EVERY * 60_000, Number(next.at) - server.clock.now()));
    const audits = (await server.ctx.db.selectFrom('audit_log').select('id').execute()).map((a) => a.id);
    assert.equal(await due(), 2);
    assert.equal(await due(), 0, 'claimed until the next time');
    const ig = await offers(1, 'ig');
    assert.deepEqual(ig['outlook.com'], [2_100, 40, 60_000, 1], '0.06 USD × 280 × 1.25');
    assert.deepEqual(ig['gmail.com'], [9_900, 120, null, 1], 'the hand price stays');
    assert.deepEqual((await offers(2, ''))['gmail.com'], [1_560, 250, null, 1]);
    const written = await server.ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'action', 'target'])
      .where('id', 'not in', audits)
      .orderBy('id')
      .execute();
    assert.deepEqual(written, [
      { actor: 'system:catalog-reimport', action: 'email.import', target: 'email-server:1' },
      { actor: 'system:catalog-reimport', action: 'email.import', target: 'email-server:2' },
    ]);
  });
});
