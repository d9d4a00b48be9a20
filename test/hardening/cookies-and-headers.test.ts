import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, it } from 'node:test';
import pino from 'pino';
import { SECURITY_HEADERS } from '../../src/http/security-headers.js';
import { signedInOperator } from '../admin/admin-client.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { PortalClient } from '../portal/portal-client.js';

/** Cookie values someone else's script, a proxy or an attacker could put in front of us. */
const MALFORMED = [
  '%E0%A4%A',
  '%',
  '%%%',
  '"unterminated',
  '\u00e9t\u00e9',
  'a;b',
  '=',
  `${'x'.repeat(4000)}`,
];

/** Portal pages and the docs, signed out (the signed-in ones are added by the test). */
const PORTAL_PAGES = [
  '/',
  '/signup',
  '/login',
  '/forgot-password',
  '/set-password?token=not-a-token',
  '/docs',
  '/docs/sms',
  '/docs/formats',
  '/docs/sandbox',
  '/docs/no-such-api',
];

const CONSOLE_PAGES = [
  '/admin',
  '/admin/login',
  '/admin/accounts',
  '/admin/accounts/1',
  '/admin/orders',
  '/admin/orders/sms/1',
  '/admin/topups',
  '/admin/upstreams',
  '/admin/prices',
  '/admin/audit',
];

/** Every JSON log line the server wrote at level error (50) or above. */
function errorLog() {
  const lines: { level: number; msg: string; err?: { stack?: string } }[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
      done();
    },
  });
  return { log: pino({ level: 'error' }, sink), errors: () => lines.filter((line) => line.level >= 50) };
}

function assertSecurityHeaders(response: Response, label: string): void {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (name === 'referrer-policy') continue;
    assert.equal(response.headers.get(name), value, `${name} on ${label}`);
  }
  assert.ok(response.headers.get('referrer-policy'), `referrer-policy on ${label}`);
  assert.match(response.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/, label);
}

describeEachDatabase('cookies and page headers', (kind) => {
  let server: TestServer;
  const log = errorLog();
  before(async () => {
    server = await startTestServer(kind, { log: log.log });
  });
  after(() => server.close());

  it('treats a malformed console cookie as no session: 401, nothing in the error log', async () => {
    for (const value of MALFORMED) {
      for (const path of ['/me', '/accounts', '/no-such-route']) {
        const response = await fetch(`${server.url}/admin/api${path}`, {
          headers: { cookie: `otpget_admin=${value}` },
        });
        assert.equal(response.status, 401, `${path} with otpget_admin=${value.slice(0, 20)}`);
        assert.deepEqual(await response.json(), { error: 'operator login required' });
      }
      const logout = await fetch(`${server.url}/admin/api/logout`, {
        method: 'POST',
        headers: { cookie: `otpget_admin=${value}`, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(logout.status, 200, 'signing out with a junk cookie just clears it');
    }
    assert.deepEqual(log.errors(), []);
  });

  it('still opens the console with a valid cookie beside junk ones', async () => {
    const { token } = await signedInOperator(server, 'cookie-boss@example.com');
    const response = await fetch(`${server.url}/admin/api/me`, {
      headers: { cookie: `og_csrf=%E0%A4%A; otpget_admin=${token}; other=%%` },
    });
    assert.equal(response.status, 200);
  });

  it('treats malformed portal cookies as signed out: every page answers, no server error', async () => {
    for (const value of MALFORMED) {
      const cookie = `og_session=${value}; og_csrf=${value}`;
      const dashboard = await fetch(`${server.url}/dashboard`, { headers: { cookie }, redirect: 'manual' });
      assert.equal(dashboard.status, 303, `dashboard with ${value.slice(0, 20)}`);
      assert.equal(dashboard.headers.get('location'), '/login');
      const home = await fetch(`${server.url}/`, { headers: { cookie } });
      assert.equal(home.status, 200);
      assert.match(await home.text(), /href="\/login">Log in/, 'the home page shows a signed-out visitor');
      assert.match(
        home.headers.get('set-cookie') ?? '',
        /^og_csrf=[\w-]{24};/,
        'a fresh CSRF cookie replaces the bad one',
      );
      const docs = await fetch(`${server.url}/docs`, { headers: { cookie } });
      assert.equal(docs.status, 200);
      const logout = await fetch(`${server.url}/logout`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: '_csrf=x',
        redirect: 'manual',
      });
      assert.equal(logout.status, 403, 'a form with a junk CSRF cookie is refused, not a crash');
    }
    assert.deepEqual(log.errors(), []);
  });

  it('keeps a valid portal session working beside a junk cookie', async () => {
    const client = new PortalClient(server.url);
    await client.signUp('cookies@example.com');
    const session = client.cookies.get('og_session') ?? '';
    const response = await fetch(`${server.url}/dashboard`, {
      headers: { cookie: `junk=%E0%A4%A; og_session=${encodeURIComponent(session)}` },
      redirect: 'manual',
    });
    assert.equal(response.status, 200);
    assert.match(await response.text(), /cookies@example\.com/);
  });

  it('never reads cookies on the customer API: junk ones change nothing, a valid console one opens nothing', async () => {
    const { apiKey } = await server.newAccount(100);
    const { token } = await signedInOperator(server, 'api-cookie-boss@example.com');
    const junk = `otpget_admin=%E0%A4%A; og_session=%; og_csrf="x`;
    for (const method of ['GET', 'POST'] as const) {
      const call = (query: string, cookie: string) =>
        method === 'GET'
          ? fetch(`${server.url}/stubs/handler_api.php?${query}`, { headers: { cookie } })
          : fetch(`${server.url}/stubs/handler_api.php`, {
              method,
              headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
              body: query,
            });
      assert.equal(
        await (await call(`api_key=${apiKey}&action=getBalance`, junk)).text(),
        'ACCESS_BALANCE:1.00',
      );
      assert.equal(
        await (await call('action=getBalance', `otpget_admin=${token}`)).text(),
        'BAD_KEY',
        method,
      );
    }
    assert.deepEqual(log.errors(), []);
  });

  it('sends the security headers on every portal, docs and console page', async () => {
    const client = new PortalClient(server.url);
    await client.signUp('headers@example.com');
    const pages = new Set([...PORTAL_PAGES, '/dashboard', '/dashboard/rentals/999', '/dashboard/emails/999']);
    const checked = new Set<string>();
    // Every page, and every same-origin page those pages link to (so a new page is not forgotten).
    while (pages.size > checked.size) {
      for (const path of [...pages].filter((p) => !checked.has(p))) {
        checked.add(path);
        const response = await fetch(`${server.url}${path}`, {
          headers: { cookie: `og_session=${encodeURIComponent(client.cookies.get('og_session') ?? '')}` },
          redirect: 'manual',
        });
        if (!(response.headers.get('content-type') ?? '').startsWith('text/html')) continue;
        assertSecurityHeaders(response, path);
        for (const [, href] of (await response.text()).matchAll(/href="(\/[^"#]*)/g)) {
          if (href && !href.startsWith('/assets/') && !href.startsWith('/openapi'))
            pages.add(href.replace(/&amp;/g, '&'));
        }
      }
    }
    assert.ok(checked.size >= PORTAL_PAGES.length + 3, `checked ${[...checked].join(' ')}`);
    for (const path of CONSOLE_PAGES) assertSecurityHeaders(await fetch(`${server.url}${path}`), path);
    // Pages that answer a POST (a wrong password, a refused form) carry them too.
    const loginPage = new PortalClient(server.url);
    await loginPage.get('/login');
    const wrong = await fetch(`${server.url}/login`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        cookie: `og_csrf=${loginPage.cookies.get('og_csrf')}`,
      },
      body: new URLSearchParams({
        email: 'nobody@example.com',
        password: 'wrong password!',
        _csrf: loginPage.csrf(),
      }),
    });
    assert.equal(wrong.status, 400);
    assertSecurityHeaders(wrong, 'POST /login');
    const refused = await fetch(`${server.url}/signup`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'x' }),
    });
    assert.equal(refused.status, 403);
    assertSecurityHeaders(refused, 'POST /signup without CSRF');
  });

  it('keeps the stricter no-referrer on the set-password page (its address carries the token)', async () => {
    const response = await fetch(`${server.url}/set-password?token=abc`);
    assert.equal(response.headers.get('referrer-policy'), 'no-referrer');
  });
});
