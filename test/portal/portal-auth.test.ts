import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { adjustBalance } from '../../src/accounts/accounts.service.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { nextLoginWindow, PortalClient } from './portal-client.js';

describeEachDatabase('customer portal: sign-up, log-in, sessions, CSRF', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind);
  });
  after(() => server.close());

  const balanceWith = async (key: string) =>
    server.get('/stubs/handler_api.php', { api_key: key, action: 'getBalance' });

  it('refuses bad sign-up input with clear messages and creates nothing', async () => {
    const client = new PortalClient(server.url);
    await client.get('/signup');
    const result = await client.post('/signup', {
      email: 'not-an-email',
      password: 'short',
      name: 'x'.repeat(101),
    });
    assert.equal(result.status, 400);
    assert.match(result.body, /Enter an email address like name@example\.com\./);
    assert.match(result.body, /at least 10 characters/);
    assert.match(result.body, /under 100 characters/);
    assert.match(result.body, /value="not-an-email"/, 'the typed email is kept');
    assert.equal(client.cookies.has('og_session'), false);
    const count = await server.ctx.db
      .selectFrom('customer_logins')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0);
  });

  it('signs up without a session; the first login makes a working API key, shown once', async () => {
    const client = new PortalClient(server.url);
    await client.get('/signup');
    const received = await client.post('/signup', {
      email: 'Alice@Example.com',
      password: 'correct horse battery',
    });
    assert.equal(received.status, 200);
    assert.doesNotMatch(received.body, /og_[\w-]{32}/, 'no key on the sign-up reply');
    assert.equal(client.cookies.has('og_session'), false, 'the sign-up reply signs nobody in');
    await client.logIn('alice@example.com', 'correct horse battery');
    const first = await client.get('/dashboard');
    assert.match(first.body, /You have no API key yet/);
    const made = await client.post('/dashboard/key', {});
    const key = /data-new-key="(og_[^"]+)"/.exec(made.body)?.[1] ?? '';
    assert.equal(await balanceWith(key), 'ACCESS_BALANCE:0.00');
    const dashboard = await client.get('/dashboard');
    assert.equal(dashboard.status, 200);
    assert.match(dashboard.body, /Signed in as alice@example\.com/);
    assert.match(dashboard.body, new RegExp(`starts with <code>${key.slice(0, 7)}`));
    assert.doesNotMatch(dashboard.body, new RegExp(key), 'the full key is never shown again');
  });

  it('never makes a second account for the same email, in any case, and leaves the first as it was', async () => {
    const client = new PortalClient(server.url);
    await client.signUp('bob@example.com', 'bobs first password');
    const again = new PortalClient(server.url);
    await again.get('/signup');
    const result = await again.post('/signup', {
      email: ' BOB@example.com ',
      password: 'another long password',
    });
    assert.equal(result.status, 200, 'answered as a new address would be');
    const logins = await server.ctx.db
      .selectFrom('customer_logins')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('email', '=', 'bob@example.com')
      .executeTakeFirstOrThrow();
    assert.equal(Number(logins.n), 1);
    await new PortalClient(server.url).logIn('bob@example.com', 'bobs first password');
    await assert.rejects(new PortalClient(server.url).logIn('bob@example.com', 'another long password'));
  });

  it('logs in with the right password only, with one message for unknown email and wrong password', async () => {
    await new PortalClient(server.url).signUp('carol@example.com', 'carols password 1');
    await nextLoginWindow();
    const client = new PortalClient(server.url);
    await client.get('/login');
    const wrong = await client.post('/login', { email: 'carol@example.com', password: 'not it at all' });
    assert.equal(wrong.status, 400);
    assert.match(wrong.body, /That email and password do not match\./);
    const unknown = await client.post('/login', {
      email: 'nobody@example.com',
      password: 'carols password 1',
    });
    assert.match(unknown.body, /That email and password do not match\./);
    const empty = await client.post('/login', {});
    assert.equal(empty.status, 400);
    const right = await client.post('/login', { email: 'CAROL@example.com', password: 'carols password 1' });
    assert.equal(right.status, 303);
    assert.equal(right.location, '/dashboard');
    assert.equal((await client.get('/dashboard')).status, 200);
  });

  it('refuses every form POST without the visitor’s CSRF token, and does nothing', async () => {
    const client = new PortalClient(server.url);
    const key = await client.signUp('dave@example.com');
    await client.get('/dashboard');
    // No token, a token for another visitor, and a token from before sign-in.
    const stranger = new PortalClient(server.url);
    await stranger.get('/signup');
    for (const csrf of [null, stranger.csrf(), 'x'.repeat(43)]) {
      const rotate = await client.post('/dashboard/key', {}, { csrf });
      assert.equal(rotate.status, 403);
      assert.match(rotate.body, /This form has expired or was sent from another site/);
    }
    assert.equal(await balanceWith(key), 'ACCESS_BALANCE:0.00', 'the key was not rotated');
    const forged = await stranger.post(
      '/signup',
      { email: 'eve@example.com', password: 'long enough pass' },
      { csrf: null },
    );
    assert.equal(forged.status, 403);
    const logout = await client.post('/logout', {}, { csrf: null });
    assert.equal(logout.status, 403);
    assert.equal((await client.get('/dashboard')).status, 200, 'still signed in');
  });

  it('rotates the key: the old one stops working, the new one is shown once and works', async () => {
    const client = new PortalClient(server.url);
    const oldKey = await client.signUp('erin@example.com');
    assert.equal(await balanceWith(oldKey), 'ACCESS_BALANCE:0.00', 'cached as valid before the rotation');
    await client.get('/dashboard');
    const rotated = await client.post('/dashboard/key', {});
    assert.equal(rotated.status, 200);
    const newKey = /data-new-key="(og_[^"]+)"/.exec(rotated.body)?.[1];
    assert.ok(newKey && newKey !== oldKey);
    assert.equal(await balanceWith(oldKey), 'BAD_KEY');
    assert.equal(await balanceWith(newKey), 'ACCESS_BALANCE:0.00');
  });

  it('keeps signed-out and forged sessions away from every account page', async () => {
    const victim = new PortalClient(server.url);
    await victim.signUp('frank@example.com');
    const session = victim.cookies.get('og_session') ?? '';
    const [accountId, version, expires, signature] = session.split('.');
    const anonymous = new PortalClient(server.url);
    const forgedValues = [
      `${Number(accountId) + 1}.${version}.${expires}.${signature}`,
      `${accountId}.${version}.${Number(expires) + 1}.${signature}`,
      `${accountId}.${version}.${expires}.${'A'.repeat(43)}`,
      'garbage',
    ];
    for (const forged of [null, ...forgedValues]) {
      if (forged) anonymous.cookies.set('og_session', forged);
      const page = await anonymous.get('/dashboard');
      assert.equal(page.status, 303, `cookie ${forged}`);
      assert.equal(page.location, '/login');
    }
    await anonymous.get('/login');
    const rotate = await anonymous.post('/dashboard/key', {});
    assert.equal(rotate.status, 303);
    assert.equal(rotate.location, '/login');
  });

  it('logs out everywhere: a copied session cookie stops working', async () => {
    const client = new PortalClient(server.url);
    await client.signUp('grace@example.com');
    const copy = new PortalClient(server.url);
    copy.cookies.set('og_session', client.cookies.get('og_session') ?? '');
    assert.equal((await copy.get('/dashboard')).status, 200);
    await client.get('/dashboard');
    const out = await client.post('/logout', {});
    assert.equal(out.status, 303);
    assert.equal(client.cookies.has('og_session'), false);
    assert.equal((await copy.get('/dashboard')).status, 303);
  });

  it('shows the balance and the statement, newest first', async () => {
    const client = new PortalClient(server.url);
    await client.signUp('heidi@example.com');
    const login = await server.ctx.db
      .selectFrom('customer_logins')
      .select('account_id')
      .where('email', '=', 'heidi@example.com')
      .executeTakeFirstOrThrow();
    const accountId = Number(login.account_id);
    await adjustBalance(server.ctx.db, server.clock, {
      accountId,
      amount: 50_000,
      reference: 'jazz-1',
      note: 'JazzCash',
    });
    await adjustBalance(server.ctx.db, server.clock, { accountId, amount: -1_250, reference: 'fix-1' });
    const page = await client.get('/dashboard');
    assert.match(page.body, /<span id="balance">487\.50<\/span>/);
    const rows = [...page.body.matchAll(/<tr data-kind="([a-z_]+)">/g)].map((m) => m[1]);
    assert.deepEqual(rows, ['manual_debit', 'topup']);
    assert.match(page.body, /\+500\.00/);
    assert.match(page.body, /-12\.50/);
  });

  it('answers odd requests without a server error', async () => {
    const client = new PortalClient(server.url);
    await client.get('/signup');
    const json = await fetch(`${server.url}/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `og_csrf=${client.cookies.get('og_csrf')}` },
      body: JSON.stringify({ email: ['a', 'b'], password: { x: 1 }, _csrf: client.csrf() }),
    });
    assert.equal(json.status, 400);
    const huge = await client.post('/signup', {
      email: `${'a'.repeat(3000)}@example.com`,
      password: 'p'.repeat(5000),
    });
    assert.equal(huge.status, 400);
    const badCookie = await fetch(`${server.url}/dashboard`, {
      headers: { cookie: 'og_session=%E0%A4%A; og_csrf=%%%' },
      redirect: 'manual',
    });
    assert.equal(badCookie.status, 303);
  });
});
