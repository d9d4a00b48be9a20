import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createAccount } from '../../src/accounts/accounts.service.js';
import { INVITE_TTL_MS } from '../../src/portal/password-links.service.js';
import { adminCall, lastAudit, signedInOperator } from '../admin/admin-client.js';
import { runOtpgetInProcess } from '../helpers/cli.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { PortalClient } from './portal-client.js';

const PASSWORD = 'a long enough password';

describeEachDatabase('customer portal: invite links for operator-made accounts', (kind) => {
  let server: TestServer;
  let token: string;
  before(async () => {
    server = await startTestServer(kind);
    token = (await signedInOperator(server)).token;
  });
  after(() => server.close());

  const operatorAccount = async (email: string | null) =>
    (await createAccount(server.ctx.db, server.clock, { name: 'Shop', email, openingBalance: 0 })).account.id;

  async function invite(accountId: number, body: Record<string, string> = {}) {
    return adminCall<{ url: string; email: string; purpose: string; error?: string }>(
      server,
      token,
      'POST',
      `/accounts/${accountId}/password-link`,
      body,
    );
  }
  const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

  it('lets an operator-made account set its password once through the link, then log in', async () => {
    const id = await operatorAccount('Shop@Example.com');
    const issued = await invite(id);
    assert.equal(issued.status, 201);
    assert.equal(issued.body.email, 'shop@example.com');
    assert.equal(issued.body.purpose, 'invite');
    assert.match(issued.body.url, /^http:\/\/127\.0\.0\.1:\d+\/set-password\?token=[\w-]{43}$/);
    const secret = new URL(issued.body.url).searchParams.get('token') ?? '';
    const audit = await lastAudit(server);
    assert.equal(audit.action, 'account.password_link.invite');
    assert.doesNotMatch(JSON.stringify(audit), new RegExp(secret), 'the audit log never holds the link');
    const stored = await server.ctx.db.selectFrom('customer_password_links').selectAll().execute();
    assert.ok(
      stored.every((row) => row.token_hash !== secret && row.token_hash.length === 64),
      'hashed at rest',
    );

    const browser = new PortalClient(server.url);
    const page = await browser.get(pathOf(issued.body.url));
    assert.equal(page.status, 200);
    assert.match(page.body, /Choose your password/);
    assert.match(page.body, /shop@example\.com/);
    const weak = await browser.post('/set-password', { token: secret, password: 'short' });
    assert.equal(weak.status, 400);
    assert.match(weak.body, /at least 10 characters/);
    const set = await browser.post('/set-password', { token: secret, password: PASSWORD });
    assert.equal(set.status, 303);
    assert.equal(set.location, '/dashboard');
    assert.match((await browser.get('/dashboard')).body, /Signed in as shop@example\.com/);

    const again = new PortalClient(server.url);
    assert.match((await again.get(pathOf(issued.body.url))).body, /already used/);
    await again.get('/login');
    const reuse = await again.post('/set-password', { token: secret, password: 'another long password' });
    assert.equal(reuse.status, 400);
    assert.match(reuse.body, /already used/);

    const login = new PortalClient(server.url);
    await login.get('/login');
    const loggedIn = await login.post('/login', { email: 'shop@example.com', password: PASSWORD });
    assert.equal(loggedIn.status, 303, 'the password set through the link logs in');
  });

  it('answers a wrong, mangled or missing token with a clear message, never a 500', async () => {
    const browser = new PortalClient(server.url);
    for (const path of [
      '/set-password?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
      '/set-password?token=../../etc/passwd',
      '/set-password?token=',
      '/set-password',
      '/set-password?token=a&token=b',
    ]) {
      const page = await browser.get(path);
      assert.equal(page.status, 400, path);
      assert.match(page.body, /This link is not valid/, path);
    }
    const posted = await browser.post('/set-password', { token: 'nope', password: PASSWORD });
    assert.equal(posted.status, 400);
    assert.match(posted.body, /This link is not valid/);
    const noCsrf = await browser.post('/set-password', { token: 'nope', password: PASSWORD }, { csrf: null });
    assert.equal(noCsrf.status, 403);
  });

  it('expires an unused link, and a new link voids the older one', async () => {
    const id = await operatorAccount('late@example.com');
    const first = await invite(id);
    const second = await invite(id);
    const browser = new PortalClient(server.url);
    assert.match((await browser.get(pathOf(first.body.url))).body, /already used|not valid/);
    assert.equal((await browser.get(pathOf(second.body.url))).status, 200);
    server.clock.advance(INVITE_TTL_MS);
    const late = await browser.get(pathOf(second.body.url));
    assert.equal(late.status, 400);
    assert.match(late.body, /This link has expired/);
    const posted = await browser.post('/set-password', {
      token: new URL(second.body.url).searchParams.get('token') ?? '',
      password: PASSWORD,
    });
    assert.equal(posted.status, 400);
    assert.match(posted.body, /expired/);
    const logins = await server.ctx.db
      .selectFrom('customer_logins')
      .selectAll()
      .where('account_id', '=', id)
      .execute();
    assert.equal(logins.length, 0, 'an expired link creates no login');
    token = (await signedInOperator(server)).token; // the operator's session ended with the week
  });

  it('needs an email the account can log in with, and refuses one another customer uses', async () => {
    const noEmail = await operatorAccount(null);
    const refused = await invite(noEmail);
    assert.equal(refused.status, 400);
    assert.match(JSON.stringify(refused.body), /no email address/);
    assert.equal((await invite(noEmail, { email: 'not an email' })).status, 400);
    const taken = new PortalClient(server.url);
    await taken.signUp('taken@example.com');
    const clash = await invite(noEmail, { email: 'Taken@example.com' });
    assert.equal(clash.status, 400);
    assert.match(JSON.stringify(clash.body), /already logs in/);
    const given = await invite(noEmail, { email: 'given@example.com' });
    assert.equal(given.status, 201);
    assert.equal(given.body.email, 'given@example.com');
    assert.equal((await invite(999_999)).status, 404);
    assert.equal(
      (await adminCall(server, null, 'POST', `/accounts/${noEmail}/password-link`, {})).status,
      401,
      'operators only',
    );
  });

  it('otpget account invite prints a working link once', async () => {
    const id = await operatorAccount('cli@example.com');
    const env = { DATABASE_URL: server.ctx.config.databaseUrl, OTPGET_PUBLIC_URL: server.url };
    const printed = await runOtpgetInProcess(['account', 'invite', String(id), '--json'], env);
    assert.equal(printed.code, 0, printed.stderr);
    const out = JSON.parse(printed.stdout) as { url: string; purpose: string };
    assert.equal(out.purpose, 'invite');
    assert.ok(out.url.startsWith(`${server.url}/set-password?token=`));
    const browser = new PortalClient(server.url);
    await browser.get(pathOf(out.url));
    const set = await browser.post('/set-password', {
      token: new URL(out.url).searchParams.get('token') ?? '',
      password: PASSWORD,
    });
    assert.equal(set.status, 303);

    const missing = await runOtpgetInProcess(['account', 'invite', '999999'], env);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /account 999999: no such account; no link was made/);
    const usage = await runOtpgetInProcess(['account', 'invite'], env);
    assert.equal(usage.code, 2);
  });
});
