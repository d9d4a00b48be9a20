import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { RESET_TTL_MS } from '../../src/portal/password-links.service.js';
import { adminCall, signedInOperator } from '../admin/admin-client.js';
import { mailSettings, startFakeSmtpServer, TEST_SMTP_CA_FILE } from '../fakes/fake-smtp-server.js';
import { runOtpgetInProcess } from '../helpers/cli.js';
import { describeEachDatabase, sqliteKind } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { PortalClient } from './portal-client.js';

const OLD = 'the first password';
const NEW = 'a brand new password';

/** The reply page without its per-visitor CSRF token, to compare two replies word for word. */
const words = (page: string) => page.replace(/(name="_csrf" value|name="csrf-token" content)="[^"]*"/g, '');

async function forgot(server: TestServer, email: string) {
  const browser = new PortalClient(server.url);
  await browser.get('/forgot-password');
  const reply = await browser.post('/forgot-password', { email });
  assert.equal(reply.status, 200, 'under the per-address limit of 3 requests a second');
  return reply;
}

async function logIn(server: TestServer, email: string, password: string): Promise<number> {
  const browser = new PortalClient(server.url);
  await browser.get('/login');
  return (await browser.post('/login', { email, password })).status;
}

describeEachDatabase('customer portal: forgot password without a mail server', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind);
  });
  after(() => server.close());

  it('answers the same whether or not the address exists, and records only real requests', async () => {
    const owner = new PortalClient(server.url);
    await owner.signUp('owner@example.com', OLD);
    const known = await forgot(server, 'Owner@Example.com');
    const unknown = await forgot(server, 'nobody@example.com');
    const junk = await forgot(server, 'not an email');
    assert.equal(known.status, 200);
    assert.equal(words(known.body), words(unknown.body));
    assert.equal(words(known.body), words(junk.body));
    assert.match(known.body, /your request is now with the operator/);
    const { token } = await signedInOperator(server);
    const open = await adminCall<{ requests: { accountId: number; email: string }[] }>(
      server,
      token,
      'GET',
      '/password-resets',
    );
    assert.deepEqual(
      open.body.requests.map((r) => r.email),
      ['owner@example.com'],
    );
    const listed = await runOtpgetInProcess(['account', 'reset-requests'], {
      DATABASE_URL: server.ctx.config.databaseUrl,
    });
    assert.match(listed.stdout, /owner@example\.com\t→ otpget account invite \d+/);
  });

  it('lets the operator hand out a reset link that replaces the password and signs out old sessions', async () => {
    const { token } = await signedInOperator(server);
    const accountId = (
      await adminCall<{ requests: { accountId: number }[] }>(server, token, 'GET', '/password-resets')
    ).body.requests[0]?.accountId;
    assert.ok(accountId);
    const signedIn = new PortalClient(server.url);
    await signedIn.get('/login');
    await signedIn.post('/login', { email: 'owner@example.com', password: OLD });
    assert.equal((await signedIn.get('/dashboard')).status, 200);

    const issued = await adminCall<{ url: string; purpose: string }>(
      server,
      token,
      'POST',
      `/accounts/${accountId}/password-link`,
      {},
    );
    assert.equal(issued.body.purpose, 'reset');
    const after = await adminCall<{ requests: unknown[] }>(server, token, 'GET', '/password-resets');
    assert.equal(after.body.requests.length, 0, 'the link answers the request');

    const browser = new PortalClient(server.url);
    const url = new URL(issued.body.url);
    assert.match((await browser.get(url.pathname + url.search)).body, /Choose a new password/);
    const set = await browser.post('/set-password', {
      token: url.searchParams.get('token') ?? '',
      password: NEW,
    });
    assert.equal(set.status, 303);
    assert.equal(await logIn(server, 'owner@example.com', OLD), 400, 'the old password no longer works');
    assert.equal(await logIn(server, 'owner@example.com', NEW), 303);
    assert.notEqual((await signedIn.get('/dashboard')).status, 200, 'the old session ended');
  });
});

// One database is enough here: what is new is the mail path, the storage is the suite above's.
describe('customer portal: forgot password with a mail server [sqlite]', () => {
  let server: TestServer;
  let smtp: Awaited<ReturnType<typeof startFakeSmtpServer>>;
  before(async () => {
    smtp = await startFakeSmtpServer();
    server = await startTestServer(sqliteKind, { env: mailSettings(smtp) });
  });
  after(async () => {
    await server.close();
    await smtp.close();
  });

  async function nextMail(count: number) {
    for (let i = 0; i < 100 && smtp.messages.length < count; i++) await new Promise((r) => setTimeout(r, 20));
    return smtp.messages[count - 1];
  }

  it('mails a one-hour link to a known address only, with the same reply for both', async () => {
    await new PortalClient(server.url).signUp('mailme@example.com', OLD);
    const known = await forgot(server, 'mailme@example.com');
    const unknown = await forgot(server, 'stranger@example.com');
    assert.equal(words(known.body), words(unknown.body));
    assert.match(known.body, /a link to choose a new password is on its way/);
    const mail = await nextMail(1);
    assert.ok(mail);
    assert.deepEqual(mail.to, ['mailme@example.com']);
    assert.equal(mail.from, 'otp@example.com');
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(smtp.messages.length, 1, 'nothing is mailed to an unknown address');
    const link = /https:\/\/otp\.example\.com(\/set-password\?token=[\w-]{43})/.exec(mail.data)?.[1];
    assert.ok(link, mail.data);

    const browser = new PortalClient(server.url);
    server.clock.advance(RESET_TTL_MS);
    assert.match((await browser.get(link)).body, /expired/, 'a reset link lasts one hour');
  });

  it('uses a mailed link once, and hands the request to the operator when the mail fails', async () => {
    await forgot(server, 'mailme@example.com');
    const link = /(\/set-password\?token=[\w-]{43})/.exec((await nextMail(2))?.data ?? '')?.[1] ?? '';
    const browser = new PortalClient(server.url);
    await browser.get(link);
    const set = await browser.post('/set-password', { token: link.split('=')[1] ?? '', password: NEW });
    assert.equal(set.status, 303);
    assert.equal(await logIn(server, 'mailme@example.com', NEW), 303);

    await new Promise((r) => setTimeout(r, 1100)); // a new rate-limit window for this address
    await forgot(server, 'mailme@example.com');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(smtp.messages.length, 2, 'no second mail within a minute of the last one');

    server.clock.advance(61_000);
    smtp.failNext();
    await forgot(server, 'mailme@example.com');
    const { token } = await signedInOperator(server);
    let open: { email: string }[] = [];
    for (let i = 0; i < 100 && open.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      open = (await adminCall<{ requests: { email: string }[] }>(server, token, 'GET', '/password-resets'))
        .body.requests;
    }
    assert.deepEqual(
      open.map((r) => r.email),
      ['mailme@example.com'],
    );
  });
});

describeEachDatabase('customer portal: a mail server without STARTTLS gets no reset link', (kind) => {
  let server: TestServer;
  let smtp: Awaited<ReturnType<typeof startFakeSmtpServer>>;
  before(async () => {
    smtp = await startFakeSmtpServer({ tls: 'none' });
    server = await startTestServer(kind, {
      env: {
        SMTP_URL: smtp.url,
        SMTP_CA_FILE: TEST_SMTP_CA_FILE,
        OTPGET_MAIL_FROM: 'otp@example.com',
        OTPGET_PUBLIC_URL: 'https://otp.example.com',
      },
    });
  });
  after(async () => {
    await server.close();
    await smtp.close();
  });

  it('sends nothing in clear and hands the request to the operator', async () => {
    await new PortalClient(server.url).signUp('cleartext@example.com', OLD);
    await forgot(server, 'cleartext@example.com');
    const { token } = await signedInOperator(server);
    let open: { email: string }[] = [];
    for (let i = 0; i < 150 && open.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
      open = (await adminCall<{ requests: { email: string }[] }>(server, token, 'GET', '/password-resets'))
        .body.requests;
    }
    assert.deepEqual(
      open.map((r) => r.email),
      ['cleartext@example.com'],
    );
    assert.equal(smtp.messages.length, 0, 'the link never went over an unencrypted connection');
  });
});
