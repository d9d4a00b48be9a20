import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import Fastify from 'fastify';
import pino from 'pino';
import { clientOf, compileProxyTrust, parseTrustedProxies } from '../../src/http/client-address.js';
import { loggerOptions } from '../../src/http/logging.js';
import { createMemoryRateLimiter } from '../../src/http/rate-limit.js';
import { lastAudit, OPERATOR_PASSWORD, signedInOperator } from '../admin/admin-client.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** Two customers behind the same reverse proxy (the proxy is this machine: every test connects from 127.0.0.1). */
const ALICE = { 'x-forwarded-for': '203.0.113.7' };
const BOB = { 'x-forwarded-for': '198.51.100.9' };
const PER_IP = 3;

/**
 * A server whose rate limiter never leaves its first one-second window, so "the fourth call is
 * refused" holds however slowly the machine runs.
 */
async function proxiedServer(kind: Parameters<typeof startTestServer>[0], trustProxy: string) {
  const server = await startTestServer(kind, {
    env: { OTPGET_TRUST_PROXY: trustProxy, OTPGET_RATE_LIMIT_PER_IP: String(PER_IP) },
  });
  await server.ctx.rateLimiter.close();
  server.ctx.rateLimiter = createMemoryRateLimiter(() => 0);
  return server;
}

/** getBalance as a GET (answered by the fast lane) or a POST (answered by Fastify). */
async function balance(
  server: TestServer,
  apiKey: string,
  via: 'GET' | 'POST',
  headers: Record<string, string>,
) {
  const query = `api_key=${apiKey}&action=getBalance`;
  const response =
    via === 'GET'
      ? await fetch(`${server.url}/stubs/handler_api.php?${query}`, { headers })
      : await fetch(`${server.url}/stubs/handler_api.php`, {
          method: 'POST',
          headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
          body: query,
        });
  return response.text();
}

async function adminLogin(
  server: TestServer,
  email: string,
  password: string,
  headers: Record<string, string>,
) {
  return fetch(`${server.url}/admin/api/login`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
}

/** Posts a portal form as a browser behind the proxy would: fetch the page for its CSRF cookie and token first. */
async function portalPost(
  server: TestServer,
  path: string,
  fields: Record<string, string>,
  headers: Record<string, string>,
) {
  const page = await fetch(`${server.url}${path}`, { headers });
  const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1] ?? '';
  const response = await fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { ...headers, cookie, 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ ...fields, _csrf: csrf }),
    redirect: 'manual',
  });
  return response.status;
}

describeEachDatabase('client addresses behind a trusted reverse proxy', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await proxiedServer(kind, 'loopback');
  });
  after(() => server.close());

  for (const via of ['GET', 'POST'] as const) {
    it(`gives two clients behind one proxy their own API limit (${via === 'GET' ? 'fast lane' : 'Fastify'})`, async () => {
      const { apiKey } = await server.newAccount(100);
      const alice = { 'x-forwarded-for': `203.0.113.${via === 'GET' ? 1 : 2}` };
      const bob = { 'x-forwarded-for': `198.51.100.${via === 'GET' ? 1 : 2}` };
      for (let i = 0; i < PER_IP; i += 1)
        assert.equal(await balance(server, apiKey, via, alice), 'ACCESS_BALANCE:1.00');
      assert.equal(await balance(server, apiKey, via, alice), 'TOO_MANY_REQUESTS');
      assert.equal(await balance(server, apiKey, via, bob), 'ACCESS_BALANCE:1.00');
      // The proxy appends the address it saw; what the client wrote to the left is not believed.
      const spoofed = { 'x-forwarded-for': `10.0.0.1, ${alice['x-forwarded-for']}` };
      assert.equal(await balance(server, apiKey, via, spoofed), 'TOO_MANY_REQUESTS');
    });
  }

  it('limits console logins per client, not per proxy', async () => {
    const { email } = await signedInOperator(server, 'proxy-boss@example.com');
    // A second operator signs in from Bob's address: the first one's name is in login backoff
    // after these failures, which is per name and not what this test is about.
    const other = await signedInOperator(server, 'proxy-deputy@example.com');
    for (let i = 0; i < 10; i += 1) {
      assert.equal((await adminLogin(server, email, 'wrong password', ALICE)).status, 401);
    }
    assert.equal((await adminLogin(server, email, 'wrong password', ALICE)).status, 429);
    const bob = await adminLogin(server, other.email, OPERATOR_PASSWORD, BOB);
    assert.equal(bob.status, 200, 'another client behind the same proxy still signs in');
  });

  it('limits portal log-in and forgot-password per client, not per proxy', async () => {
    const alice = { 'x-forwarded-for': '203.0.113.50' };
    const bob = { 'x-forwarded-for': '198.51.100.50' };
    // Another address each attempt: only the per-client limit is under test here.
    const login = (headers: Record<string, string>, i: number) =>
      portalPost(server, '/login', { email: `nobody${i}@example.com`, password: 'wrong password!' }, headers);
    for (let i = 0; i < 5; i += 1) assert.equal(await login(alice, i), 400);
    assert.equal(await login(alice, 5), 429);
    assert.equal(await login(bob, 6), 400, 'another client behind the proxy may still try');
    const forgot = (headers: Record<string, string>) =>
      portalPost(server, '/forgot-password', { email: 'nobody@example.com' }, headers);
    for (let i = 0; i < 3; i += 1) assert.equal(await forgot(alice), 200);
    assert.equal(await forgot(alice), 429);
    assert.equal(await forgot(bob), 200);
  });

  it('marks portal and console cookies Secure when the proxy says the client used https', async () => {
    const https = { ...ALICE, 'x-forwarded-proto': 'https' };
    const page = await fetch(`${server.url}/login`, { headers: https });
    assert.match(page.headers.get('set-cookie') ?? '', /^og_csrf=.*; Secure/);
    const plain = await fetch(`${server.url}/login`, { headers: ALICE });
    assert.doesNotMatch(plain.headers.get('set-cookie') ?? '', /Secure/i);
    const { email } = await signedInOperator(server, 'tls-boss@example.com');
    const login = await adminLogin(server, email, OPERATOR_PASSWORD, {
      ...BOB,
      'x-forwarded-proto': 'https',
    });
    assert.equal(login.status, 200);
    assert.match(login.headers.get('set-cookie') ?? '', /^otpget_admin=ogop_.*; Secure/);
  });
});

describeEachDatabase('access logs and audit rows behind a trusted reverse proxy', (kind) => {
  let server: TestServer;
  const lines: { msg: string; req?: { url?: string; remoteAddress?: string } }[] = [];
  before(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        for (const line of String(chunk).split('\n')) if (line) lines.push(JSON.parse(line));
        done();
      },
    });
    // The production logger options at debug level: the one level that writes access lines.
    server = await startTestServer(kind, {
      env: { OTPGET_TRUST_PROXY: 'loopback' },
      log: pino(loggerOptions('debug'), sink),
    });
  });
  after(() => server.close());

  /** The address the access log gave the request whose URL contains `marker`. */
  function loggedAddress(marker: string): string | undefined {
    return lines.find((line) => line.req?.url?.includes(marker))?.req?.remoteAddress;
  }

  it('logs the client address, not the proxy, for fast-lane and Fastify requests', async () => {
    const { apiKey } = await server.newAccount(100);
    assert.equal(await balance(server, apiKey, 'GET', ALICE), 'ACCESS_BALANCE:1.00');
    await fetch(`${server.url}/healthz?from=bob`, { headers: BOB });
    assert.equal(loggedAddress('action=getBalance'), ALICE['x-forwarded-for']);
    assert.equal(loggedAddress('from=bob'), BOB['x-forwarded-for']);
    assert.ok(
      lines.filter((line) => JSON.stringify(line).includes(apiKey)).length === 0,
      'the key is redacted',
    );
  });

  it('records the client address in the audit rows of console logins and changes', async () => {
    const { email } = await signedInOperator(server, 'audit-boss@example.com');
    const login = await adminLogin(server, email, OPERATOR_PASSWORD, ALICE);
    const { token } = (await login.json()) as { token: string };
    assert.equal((await lastAudit(server)).client_address, ALICE['x-forwarded-for']);
    const { id } = await server.newAccount(0);
    const credit = await fetch(`${server.url}/admin/api/accounts/${id}/credit`, {
      method: 'POST',
      headers: { ...BOB, authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ amount: '10' }),
    });
    assert.equal(credit.status, 200);
    const row = await lastAudit(server);
    assert.equal(row.action, 'account.credit');
    assert.equal(row.client_address, BOB['x-forwarded-for']);
  });
});

describeEachDatabase('forwarded headers from a sender that is not a trusted proxy', (kind) => {
  let server: TestServer;
  before(async () => {
    // A proxy is configured, but it is not this machine: 127.0.0.1 is an ordinary client.
    server = await proxiedServer(kind, '192.0.2.10');
  });
  after(() => server.close());

  for (const via of ['GET', 'POST'] as const) {
    it(`ignores X-Forwarded-For for the API limit (${via === 'GET' ? 'fast lane' : 'Fastify'})`, async () => {
      const { apiKey } = await server.newAccount(100);
      const replies = [];
      for (let i = 0; i <= PER_IP; i += 1) {
        replies.push(await balance(server, apiKey, via, { 'x-forwarded-for': `203.0.113.${100 + i}` }));
      }
      assert.deepEqual(replies, [...Array(PER_IP).fill('ACCESS_BALANCE:1.00'), 'TOO_MANY_REQUESTS']);
      // The window is frozen: the next test's fresh bucket must not inherit this one.
      server.ctx.rateLimiter = createMemoryRateLimiter(() => 0);
    });
  }

  it('ignores X-Forwarded-Proto: no Secure cookie over plain http', async () => {
    const page = await fetch(`${server.url}/login`, { headers: { 'x-forwarded-proto': 'https' } });
    assert.match(page.headers.get('set-cookie') ?? '', /^og_csrf=/);
    assert.doesNotMatch(page.headers.get('set-cookie') ?? '', /Secure/i);
    const { email } = await signedInOperator(server, 'plain-boss@example.com');
    const login = await adminLogin(server, email, OPERATOR_PASSWORD, { 'x-forwarded-proto': 'https' });
    assert.equal(login.status, 200);
    assert.doesNotMatch(login.headers.get('set-cookie') ?? '', /Secure/i);
  });
});

describeEachDatabase('cookies of a server published at an https address', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind, { env: { OTPGET_PUBLIC_URL: 'https://otp.example.com' } });
  });
  after(() => server.close());

  it('are Secure even when the proxy in front sends no X-Forwarded-Proto', async () => {
    const page = await fetch(`${server.url}/login`);
    assert.match(page.headers.get('set-cookie') ?? '', /^og_csrf=.*; Secure/);
    const { email } = await signedInOperator(server, 'public-boss@example.com');
    const login = await adminLogin(server, email, OPERATOR_PASSWORD, {});
    assert.match(login.headers.get('set-cookie') ?? '', /; Secure/);
  });
});

describe('the client address computation', () => {
  const CASES: {
    trust: string;
    peer: string;
    headers: Record<string, string>;
    ip: string;
    protocol: string;
  }[] = [
    {
      trust: '',
      peer: '127.0.0.1',
      headers: { 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'https' },
      ip: '127.0.0.1',
      protocol: 'http',
    },
    {
      trust: 'loopback',
      peer: '127.0.0.1',
      headers: { 'x-forwarded-for': '1.2.3.4' },
      ip: '1.2.3.4',
      protocol: 'http',
    },
    {
      trust: 'loopback',
      peer: '127.0.0.1',
      headers: { 'x-forwarded-for': '9.9.9.9, 1.2.3.4', 'x-forwarded-proto': 'http, https' },
      ip: '1.2.3.4',
      protocol: 'https',
    },
    {
      trust: 'loopback, 10.0.0.0/8',
      peer: '127.0.0.1',
      headers: { 'x-forwarded-for': '9.9.9.9, 1.2.3.4, 10.1.2.3' },
      ip: '1.2.3.4',
      protocol: 'http',
    },
    {
      trust: '10.0.0.0/8',
      peer: '127.0.0.1',
      headers: { 'x-forwarded-for': '1.2.3.4', 'x-forwarded-proto': 'https' },
      ip: '127.0.0.1',
      protocol: 'http',
    },
    {
      trust: '::1, 127.0.0.1',
      peer: '::ffff:127.0.0.1',
      headers: { 'x-forwarded-for': '2001:db8::5' },
      ip: '2001:db8::5',
      protocol: 'http',
    },
    { trust: 'loopback', peer: '127.0.0.1', headers: {}, ip: '127.0.0.1', protocol: 'http' },
  ];

  it('walks X-Forwarded-For from the right past trusted hops, and Fastify agrees with the fast lane', async () => {
    for (const c of CASES) {
      const trust = compileProxyTrust(parseTrustedProxies(c.trust));
      const app = Fastify({ trustProxy: trust });
      let seen: { ip: string; protocol: string; lane: ReturnType<typeof clientOf> } | null = null;
      app.get('/', async (request) => {
        seen = {
          ip: request.ip,
          protocol: request.protocol,
          lane: clientOf(trust, request.raw as IncomingMessage),
        };
        return 'ok';
      });
      await app.inject({ url: '/', headers: c.headers, remoteAddress: c.peer });
      await app.close();
      const label = `${c.trust || '(off)'} from ${c.peer} ${JSON.stringify(c.headers)}`;
      assert.ok(seen, label);
      const { ip, protocol, lane } = seen as {
        ip: string;
        protocol: string;
        lane: ReturnType<typeof clientOf>;
      };
      assert.deepEqual(lane, { ip: c.ip, protocol: c.protocol }, label);
      assert.equal(ip, lane.ip, `Fastify's request.ip: ${label}`);
      assert.equal(protocol, lane.protocol, `Fastify's request.protocol: ${label}`);
    }
  });

  it('refuses a setting that is not an address list', () => {
    assert.deepEqual(parseTrustedProxies(' loopback , 10.0.0.0/8 ,'), ['loopback', '10.0.0.0/8']);
    assert.deepEqual(parseTrustedProxies(undefined), []);
    for (const bad of ['nginx', '10.0.0.0/99', '300.1.1.1', 'true']) {
      assert.throws(() => parseTrustedProxies(bad), new RegExp(`"${bad.replace(/[./]/g, '\\$&')}"`));
    }
  });
});
