import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { blockAccount, rotateApiKey, unblockAccount } from '../../src/accounts/accounts.service.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const SMS = '/stubs/handler_api.php';
const CHEAP = '/stubs/cheap_handler.php';

describeEachDatabase('API key authentication and getBalance', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind);
  });
  after(() => server.close());

  it('answers ACCESS_BALANCE with two decimals on both plain-text endpoints', async () => {
    const { apiKey } = await server.newAccount(50_000);
    for (const path of [SMS, CHEAP]) {
      assert.equal(
        await server.get(path, { api_key: apiKey, action: 'getBalance' }),
        'ACCESS_BALANCE:500.00',
      );
      assert.equal(
        await server.post(path, { api_key: apiKey, action: 'getBalance' }),
        'ACCESS_BALANCE:500.00',
      );
    }
    const { apiKey: small } = await server.newAccount(5);
    assert.equal(await server.get(SMS, { api_key: small, action: 'getBalance' }), 'ACCESS_BALANCE:0.05');
  });

  it('answers BAD_KEY for a missing, empty, unknown or oversized key with HTTP 200', async () => {
    const cases: Record<string, string>[] = [
      { action: 'getBalance' },
      { api_key: '', action: 'getBalance' },
      { api_key: 'nope', action: 'getBalance' },
      { api_key: 'k'.repeat(5000), action: 'getBalance' },
    ];
    for (const params of cases) {
      const response = await fetch(`${server.url}${SMS}?${new URLSearchParams(params)}`);
      assert.equal(response.status, 200);
      assert.equal(await response.text(), 'BAD_KEY');
    }
  });

  it('answers BAD_KEY before BAD_ACTION, and BAD_ACTION for an unknown or missing action', async () => {
    const { apiKey } = await server.newAccount();
    assert.equal(await server.get(SMS, { api_key: 'bad', action: 'nothing' }), 'BAD_KEY');
    assert.equal(await server.get(SMS, { api_key: apiKey, action: 'nothing' }), 'BAD_ACTION');
    assert.equal(await server.get(SMS, { api_key: apiKey }), 'BAD_ACTION');
    assert.equal(await server.get(CHEAP, { api_key: apiKey, action: 'constructor' }), 'BAD_ACTION');
    assert.equal(await server.get(CHEAP, { api_key: apiKey, action: '__proto__' }), 'BAD_ACTION');
  });

  it('refuses a blocked account with ACCOUNT_BLOCKED and lets it back in when unblocked', async () => {
    const { id, apiKey } = await server.newAccount(100);
    await blockAccount(server.ctx.db, server.clock, id);
    server.ctx.auth.forget();
    for (const path of [SMS, CHEAP]) {
      assert.equal(await server.get(path, { api_key: apiKey, action: 'getBalance' }), 'ACCOUNT_BLOCKED');
      assert.equal(await server.get(path, { api_key: apiKey, action: 'unknown' }), 'ACCOUNT_BLOCKED');
    }
    await unblockAccount(server.ctx.db, server.clock, id);
    server.ctx.auth.forget();
    assert.equal(await server.get(SMS, { api_key: apiKey, action: 'getBalance' }), 'ACCESS_BALANCE:1.00');
  });

  it('sees a block made by another process within a second, without being told', async () => {
    const { id, apiKey } = await server.newAccount(100);
    assert.equal(await server.get(SMS, { api_key: apiKey, action: 'getBalance' }), 'ACCESS_BALANCE:1.00');
    await blockAccount(server.ctx.db, server.clock, id);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    assert.equal(await server.get(SMS, { api_key: apiKey, action: 'getBalance' }), 'ACCOUNT_BLOCKED');
  });

  it('stops accepting a rotated key and accepts the new one', async () => {
    const { id, apiKey } = await server.newAccount(100);
    const fresh = await rotateApiKey(server.ctx.db, server.clock, id);
    server.ctx.auth.forget();
    assert.equal(await server.get(SMS, { api_key: apiKey, action: 'getBalance' }), 'BAD_KEY');
    assert.equal(await server.get(SMS, { api_key: fresh, action: 'getBalance' }), 'ACCESS_BALANCE:1.00');
  });

  it('stores keys only as hashes', async () => {
    const { apiKey } = await server.newAccount();
    const rows = await server.ctx.db.selectFrom('api_keys').selectAll().execute();
    assert.ok(rows.length > 0);
    for (const row of rows) {
      assert.match(row.key_hash, /^[0-9a-f]{64}$/);
      assert.ok(!JSON.stringify(row).includes(apiKey.slice(7)));
    }
  });

  it('takes the last of duplicated parameters, and a POST body over the query string', async () => {
    const { apiKey } = await server.newAccount(200);
    const query = `api_key=wrong&api_key=${encodeURIComponent(apiKey)}&action=getStatus&action=getBalance`;
    assert.equal(await (await fetch(`${server.url}${SMS}?${query}`)).text(), 'ACCESS_BALANCE:2.00');
    const response = await fetch(`${server.url}${SMS}?api_key=wrong&action=nothing`, {
      method: 'POST',
      body: new URLSearchParams({ api_key: apiKey, action: 'getBalance' }),
    });
    assert.equal(await response.text(), 'ACCESS_BALANCE:2.00');
  });

  it('treats garbage bodies as missing parameters, and refuses oversized bodies with a 4xx', async () => {
    const garbage = await fetch(`${server.url}${SMS}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{nope',
    });
    assert.equal(garbage.status, 200);
    assert.equal(await garbage.text(), 'BAD_KEY');
    const weird = await fetch(`${server.url}${CHEAP}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-nothing' },
      body: 'a=b',
    });
    assert.equal(await weird.text(), 'BAD_KEY');
    const huge = await fetch(`${server.url}${SMS}`, {
      method: 'POST',
      body: new URLSearchParams({ api_key: 'x'.repeat(200_000) }),
    });
    assert.equal(huge.status, 413);
  });

  it('answers /healthz', async () => {
    const response = await fetch(`${server.url}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });
});
