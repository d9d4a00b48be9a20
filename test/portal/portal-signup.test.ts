import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { mailSettings, startFakeSmtpServer } from '../fakes/fake-smtp-server.js';
import { describeEachDatabase, sqliteKind } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { PortalClient } from './portal-client.js';

const PASSWORD = 'a long sign-up password';

async function countRows(server: TestServer, table: 'accounts' | 'customer_logins'): Promise<number> {
  const row = await server.ctx.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** One sign-up POST as a fresh browser would send it: status, cookies set, and the page. */
async function signUpReply(server: TestServer, email: string) {
  const client = new PortalClient(server.url);
  await client.get('/signup');
  const csrf = client.csrf();
  const response = await fetch(`${server.url}/signup`, {
    method: 'POST',
    body: new URLSearchParams({ email, password: PASSWORD, name: 'Someone', _csrf: csrf }),
    headers: { cookie: `og_csrf=${client.cookies.get('og_csrf')}` },
    redirect: 'manual',
  });
  const body = await response.text();
  return {
    status: response.status,
    cookies: response.headers.getSetCookie(),
    headerNames: [...response.headers.keys()].filter((h) => h !== 'date' && h !== 'content-length').sort(),
    // The page with this visitor's own values taken out: what is left must not depend on the address.
    page: body.split(csrf).join('CSRF').split(email).join('EMAIL'),
  };
}

describeEachDatabase('customer portal: sign-up answers and limits', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind, { env: { OTPGET_SIGNUP_LIMIT_PER_IP: '4' } });
  });
  after(() => server.close());

  it('answers a known address exactly as a new one, creates nothing for it and changes nothing', async () => {
    const fresh = await signUpReply(server, 'first@example.com');
    assert.equal(fresh.status, 200);
    assert.match(fresh.page, /Sign-up received/);
    const accounts = await countRows(server, 'accounts');
    const known = await signUpReply(server, 'first@example.com');
    assert.deepEqual(known, fresh, 'same status, headers, cookies and page');
    assert.deepEqual(fresh.cookies, [], 'no session cookie on either');
    assert.equal(await countRows(server, 'accounts'), accounts, 'no account for the known address');
    assert.equal(await countRows(server, 'customer_logins'), accounts);
    await new PortalClient(server.url).logIn('first@example.com', PASSWORD);
  });

  it('refuses sign-ups past the per-address limit with 429 and creates no account', async () => {
    // Two of this address's four were used above; bad input does not count.
    const typo = await signUpReply(server, 'not an email');
    assert.equal(typo.status, 400);
    assert.equal((await signUpReply(server, 'second@example.com')).status, 200);
    assert.equal((await signUpReply(server, 'third@example.com')).status, 200);
    const before = await countRows(server, 'accounts');
    const client = new PortalClient(server.url);
    await client.get('/signup');
    const refused = await client.post('/signup', { email: 'fourth@example.com', password: PASSWORD });
    assert.equal(refused.status, 429);
    assert.match(refused.body, /Too many sign-ups from your address\. Try again in \d+ minutes\./);
    const again = await signUpReply(server, 'first@example.com');
    assert.equal(again.status, 429, 'a known address is refused the same way');
    assert.equal(await countRows(server, 'accounts'), before);
    const stored = await server.ctx.db
      .selectFrom('customer_logins')
      .select('email')
      .where('email', '=', 'fourth@example.com')
      .executeTakeFirst();
    assert.equal(stored, undefined);
  });
});

describe('customer portal: the global sign-up cap [sqlite]', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(sqliteKind, { env: { OTPGET_SIGNUP_LIMIT_PER_HOUR: '2' } });
  });
  after(() => server.close());

  it('pauses sign-ups from every address past the hourly cap', async () => {
    assert.equal((await signUpReply(server, 'a@example.com')).status, 200);
    assert.equal((await signUpReply(server, 'b@example.com')).status, 200);
    const client = new PortalClient(server.url);
    await client.get('/signup');
    const paused = await client.post('/signup', { email: 'c@example.com', password: PASSWORD });
    assert.equal(paused.status, 429);
    assert.match(paused.body, /Sign-ups are paused for a while/);
    assert.equal(await countRows(server, 'accounts'), 2);
  });
});

// One database is enough: what is new is the mail, the storage is the suite above's.
describe('customer portal: sign-up with a known address and a mail server [sqlite]', () => {
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

  const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

  it('mails the owner of a known address (once an hour) and nobody for a new one', async () => {
    const fresh = await signUpReply(server, 'owner@example.com');
    await settle();
    assert.equal(smtp.messages.length, 0, 'a new address gets no mail');
    const known = await signUpReply(server, 'owner@example.com');
    assert.deepEqual(known, fresh);
    assert.match(known.page, /its owner got an email about this attempt/);
    for (let i = 0; i < 50 && smtp.messages.length < 1; i++) await settle();
    const mail = smtp.messages[0];
    assert.ok(mail);
    assert.deepEqual(mail.to, ['owner@example.com']);
    assert.match(mail.data, /already has an account/);
    assert.match(mail.data, /https:\/\/otp\.example\.com\/forgot-password/);
    await signUpReply(server, 'owner@example.com');
    await settle();
    assert.equal(smtp.messages.length, 1, 'no second mail within the hour');
  });
});
