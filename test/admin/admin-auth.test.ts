import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { CLI_ACTOR } from '../../src/admin/audit.repository.js';
import { setOperatorStatus } from '../../src/admin/operators.service.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { adminCall, OPERATOR_PASSWORD, signedInOperator } from './admin-client.js';

/** One protected route of each group, GET and mutation. */
const PROTECTED: [string, string][] = [
  ['GET', '/me'],
  ['GET', '/overview'],
  ['GET', '/accounts'],
  ['POST', '/accounts'],
  ['GET', '/accounts/1/ledger?format=csv'],
  ['POST', '/accounts/1/credit'],
  ['GET', '/topups'],
  ['POST', '/topups/1/approve'],
  ['GET', '/upstreams'],
  ['POST', '/upstreams/1/disable'],
  ['GET', '/prices'],
  ['PUT', '/prices/markups/sms'],
  ['GET', '/audit'],
  ['GET', '/no-such-route'],
];

describeEachDatabase('admin API authentication', (kind) => {
  let server: TestServer;
  let token: string;
  let email: string;

  before(async () => {
    server = await startTestServer(kind);
    ({ token, email } = await signedInOperator(server, 'boss@example.com'));
  });
  after(() => server.close());

  it('answers 401 on every protected route without a token', async () => {
    for (const [method, path] of PROTECTED) {
      const reply = await adminCall(server, null, method, path, method === 'GET' ? undefined : {});
      assert.equal(reply.status, 401, `${method} ${path}`);
    }
  });

  it('answers 401 to a customer API key, as bearer, query parameter or cookie', async () => {
    const customer = await server.newAccount(10_000);
    for (const [method, path] of PROTECTED) {
      const reply = await adminCall(server, customer.apiKey, method, path, method === 'GET' ? undefined : {});
      assert.equal(reply.status, 401, `${method} ${path}`);
    }
    const viaQuery = await fetch(`${server.url}/admin/api/accounts?api_key=${customer.apiKey}`);
    assert.equal(viaQuery.status, 401);
    const viaCookie = await fetch(`${server.url}/admin/api/accounts`, {
      headers: { cookie: `otpget_admin=${customer.apiKey}` },
    });
    assert.equal(viaCookie.status, 401);
  });

  it('signs in with the right password only, the same way for unknown users', async () => {
    const wrong = await adminCall(server, null, 'POST', '/login', { email, password: 'not the password' });
    assert.equal(wrong.status, 401);
    const unknown = await adminCall(server, null, 'POST', '/login', {
      email: 'nobody@example.com',
      password: OPERATOR_PASSWORD,
    });
    assert.deepEqual([unknown.status, unknown.body], [wrong.status, wrong.body]);
    const me = await adminCall<{ operator: { email: string } }>(server, token, 'GET', '/me');
    assert.equal(me.status, 200);
    assert.equal(me.body.operator.email, email);
  });

  it('sets an HttpOnly SameSite=Strict cookie that opens the API, and refuses cookie mutations that are not JSON', async () => {
    const response = await fetch(`${server.url}/admin/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'BOSS@example.com', password: OPERATOR_PASSWORD }),
    });
    assert.equal(response.status, 200);
    const cookie = response.headers.get('set-cookie') ?? '';
    // Attribute order is not part of the contract; each attribute is (and no Secure over plain http).
    const [value = '', ...attributes] = cookie.split(';').map((part) => part.trim());
    assert.match(value, /^otpget_admin=ogop_[\w-]+$/);
    assert.deepEqual(attributes.sort(), ['HttpOnly', 'Max-Age=43200', 'Path=/admin', 'SameSite=Strict']);
    const me = await fetch(`${server.url}/admin/api/me`, { headers: { cookie: value } });
    assert.equal(me.status, 200);
    const formPost = await fetch(`${server.url}/admin/api/accounts`, {
      method: 'POST',
      headers: { cookie: value, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'name=x',
    });
    assert.equal(formPost.status, 415);
  });

  it('stores only a hash of the session token', async () => {
    const rows = await server.ctx.db.selectFrom('operator_sessions').select('token_hash').execute();
    assert.ok(rows.length > 0);
    for (const row of rows) {
      assert.match(row.token_hash, /^[0-9a-f]{64}$/);
      assert.notEqual(row.token_hash, token);
    }
  });

  it('ends a session at logout, at expiry, and when the operator is disabled', async () => {
    const a = await signedInOperator(server, 'a@example.com');
    assert.equal((await adminCall(server, a.token, 'POST', '/logout', {})).status, 200);
    assert.equal((await adminCall(server, a.token, 'GET', '/me')).status, 401);

    const b = await signedInOperator(server, 'b@example.com');
    await setOperatorStatus(server.ctx.db, server.clock, {
      email: b.email,
      status: 'disabled',
      actor: CLI_ACTOR,
    });
    assert.equal((await adminCall(server, b.token, 'GET', '/me')).status, 401);
    const again = await adminCall(server, null, 'POST', '/login', {
      email: b.email,
      password: OPERATOR_PASSWORD,
    });
    assert.equal(again.status, 401);

    const c = await signedInOperator(server, 'c@example.com');
    server.clock.advance(12 * 3600 * 1000 - 1);
    assert.equal((await adminCall(server, c.token, 'GET', '/me')).status, 200);
    server.clock.advance(1);
    assert.equal((await adminCall(server, c.token, 'GET', '/me')).status, 401);
    // A week after they ended, sessions are removed at the next login.
    server.clock.advance(7 * 86_400_000 + 1);
    await signedInOperator(server, 'd@example.com');
    const left = await server.ctx.db.selectFrom('operator_sessions').select('expires_at').execute();
    assert.ok(left.length >= 1);
    assert.ok(left.every((s) => s.expires_at >= server.clock.now() - 7 * 86_400_000));
  });
});
