import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { adminCall, lastAudit, signedInOperator } from './admin-client.js';

type Account = { id: number; name: string | null; email: string | null; status: string; balance: number };

describeEachDatabase('admin API: accounts', (kind) => {
  let server: TestServer;
  let token: string;
  const balanceOf = (apiKey: string) =>
    server.get('/stubs/handler_api.php', { api_key: apiKey, action: 'getBalance' });

  before(async () => {
    server = await startTestServer(kind);
    ({ token } = await signedInOperator(server));
  });
  after(() => server.close());

  it('creates an account with an opening balance and shows its key once', async () => {
    const created = await adminCall<{ account: Account; apiKey: string }>(
      server,
      token,
      'POST',
      '/accounts',
      {
        name: 'Ali Traders',
        email: 'ali@example.com',
        balance: '250.50',
      },
    );
    assert.equal(created.status, 201);
    assert.equal(created.body.account.balance, 25_050);
    assert.equal(await balanceOf(created.body.apiKey), 'ACCESS_BALANCE:250.50');
    const shown = await adminCall<{ account: Account }>(
      server,
      token,
      'GET',
      `/accounts/${created.body.account.id}`,
    );
    assert.equal(
      JSON.stringify(shown.body).includes(created.body.apiKey),
      false,
      'the key is never shown again',
    );
    const found = await adminCall<{ accounts: Account[] }>(
      server,
      token,
      'GET',
      '/accounts?search=ALI%20trad',
    );
    assert.deepEqual(
      found.body.accounts.map((a) => a.id),
      [created.body.account.id],
    );
    const byId = await adminCall<{ accounts: Account[] }>(
      server,
      token,
      'GET',
      `/accounts?search=${created.body.account.id}`,
    );
    assert.equal(byId.body.accounts[0]?.id, created.body.account.id);
  });

  it('credits and debits through the ledger with reference and note, once per reference', async () => {
    const customer = await server.newAccount(1_000);
    const credit = await adminCall<{ balance: number; reference: string }>(
      server,
      token,
      'POST',
      `/accounts/${customer.id}/credit`,
      { amount: '500', reference: 'JC-778899', note: 'JazzCash transfer' },
    );
    assert.equal(credit.status, 200);
    assert.deepEqual(credit.body, { balance: 51_000, reference: 'JC-778899' });
    const repeat = await adminCall(server, token, 'POST', `/accounts/${customer.id}/credit`, {
      amount: '500',
      reference: 'JC-778899',
    });
    assert.equal(repeat.status, 409);
    const tooMuch = await adminCall(server, token, 'POST', `/accounts/${customer.id}/debit`, {
      amount: '510.01',
    });
    assert.equal(tooMuch.status, 409);
    const debit = await adminCall<{ balance: number }>(
      server,
      token,
      'POST',
      `/accounts/${customer.id}/debit`,
      {
        amount: '10.25',
        note: 'correction',
      },
    );
    assert.equal(debit.body.balance, 49_975);
    assert.equal(await balanceOf(customer.apiKey), 'ACCESS_BALANCE:499.75');
    for (const amount of ['0', '-5', '1.234', 'abc', 1.5]) {
      const bad = await adminCall(server, token, 'POST', `/accounts/${customer.id}/credit`, { amount });
      assert.equal(bad.status, 400, String(amount));
    }
    const entries = await server.ctx.db
      .selectFrom('ledger_entries')
      .select(['kind', 'reference', 'amount', 'note'])
      .where('account_id', '=', customer.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      entries.slice(1).map((e) => [e.kind, e.amount, e.note]),
      [
        ['topup', 50_000, 'JazzCash transfer'],
        ['manual_debit', -1_025, 'correction'],
      ],
    );
    const missing = await adminCall(server, token, 'POST', '/accounts/999999/credit', { amount: '1' });
    assert.equal(missing.status, 404);
  });

  it('blocks and unblocks with immediate effect on the customer API', async () => {
    const customer = await server.newAccount(100);
    assert.equal(await balanceOf(customer.apiKey), 'ACCESS_BALANCE:1.00');
    const blocked = await adminCall<{ changed: boolean }>(
      server,
      token,
      'POST',
      `/accounts/${customer.id}/block`,
    );
    assert.equal(blocked.body.changed, true);
    assert.equal(await balanceOf(customer.apiKey), 'ACCOUNT_BLOCKED');
    const audit = await lastAudit(server);
    assert.equal(audit.action, 'account.block');
    assert.deepEqual(JSON.parse(audit.before_json ?? ''), { status: 'active' });
    assert.deepEqual(JSON.parse(audit.after_json ?? ''), { status: 'blocked' });
    await adminCall(server, token, 'POST', `/accounts/${customer.id}/unblock`);
    assert.equal(await balanceOf(customer.apiKey), 'ACCESS_BALANCE:1.00');
  });

  it('rotates the key: the old one stops at once, the new one works', async () => {
    const customer = await server.newAccount(700);
    const rotated = await adminCall<{ apiKey: string }>(
      server,
      token,
      'POST',
      `/accounts/${customer.id}/rotate-key`,
    );
    assert.match(rotated.body.apiKey, /^og_/);
    assert.equal(await balanceOf(customer.apiKey), 'BAD_KEY');
    assert.equal(await balanceOf(rotated.body.apiKey), 'ACCESS_BALANCE:7.00');
    const audit = await lastAudit(server);
    assert.equal(audit.action, 'account.rotate_key');
    assert.equal(audit.after_json?.includes(rotated.body.apiKey), false, 'the audit log never holds a key');
  });

  it('exports the ledger statement as CSV, oldest first, with formula-safe notes', async () => {
    const customer = await server.newAccount(2_000);
    await adminCall(server, token, 'POST', `/accounts/${customer.id}/credit`, {
      amount: '5',
      reference: 'bank-1',
      note: '=HYPERLINK("x"), "quoted"',
    });
    const reply = await fetch(`${server.url}/admin/api/accounts/${customer.id}/ledger?format=csv`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(reply.status, 200);
    assert.match(reply.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(
      reply.headers.get('content-disposition') ?? '',
      /attachment; filename="account-\d+-statement.csv"/,
    );
    const lines = (await reply.text()).trimEnd().split('\r\n');
    assert.equal(lines[0], 'id,time_utc,kind,reference,amount_pkr,balance_after_pkr,note');
    assert.match(
      lines[1] ?? '',
      /^\d+,2026-01-01T00:00:00.000Z,topup,opening:\d+,20.00,20.00,opening balance$/,
    );
    assert.match(lines[2] ?? '', /^\d+,[^,]+,topup,bank-1,5.00,25.00,"'=HYPERLINK\(""x""\), ""quoted"""$/);
    const json = await adminCall<{ entries: unknown[] }>(
      server,
      token,
      'GET',
      `/accounts/${customer.id}/ledger`,
    );
    assert.equal(json.body.entries.length, 2);
  });
});
