import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { PortalClient } from './portal-client.js';

describeEachDatabase('customer portal: top-up requests', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind);
  });
  after(() => server.close());

  const requestsOf = (email: string) =>
    server.ctx.db
      .selectFrom('topup_requests as t')
      .innerJoin('customer_logins as l', 'l.account_id', 't.account_id')
      .select(['t.amount', 't.method', 't.payment_reference', 't.state'])
      .where('l.email', '=', email)
      .execute();

  it('sends a request the operator sees as pending, and lists it on the dashboard', async () => {
    const client = new PortalClient(server.url);
    await client.signUp('topup-a@example.com');
    await client.get('/dashboard');
    const sent = await client.post('/dashboard/topup', {
      amount: '1250.50',
      method: 'easypaisa',
      payment_reference: 'EP-778812',
      note: 'from my phone',
    });
    assert.equal(sent.status, 303);
    assert.equal(sent.location, '/dashboard?topup=sent#topup');
    const rows = await requestsOf('topup-a@example.com');
    assert.deepEqual(
      rows.map((r) => [Number(r.amount), r.method, r.payment_reference, r.state]),
      [[125_050, 'easypaisa', 'EP-778812', 'pending']],
    );
    const page = await client.get('/dashboard?topup=sent');
    assert.match(page.body, /Your top-up request was sent/);
    assert.match(page.body, /<tr data-topup-state="pending">.*EP-778812.*1250\.50/s);
  });

  it('answers bad input with clear messages and no request', async () => {
    const client = new PortalClient(server.url);
    await client.signUp('topup-b@example.com');
    await client.get('/dashboard');
    const cases: [Record<string, string>, RegExp][] = [
      [{ amount: '12.345', method: 'jazzcash', payment_reference: 'JC-1' }, /Enter the amount in PKR/],
      [{ amount: '-5', method: 'jazzcash', payment_reference: 'JC-100' }, /Enter the amount in PKR/],
      [{ amount: '0', method: 'jazzcash', payment_reference: 'JC-100' }, /Enter the amount in PKR/],
      [{ amount: '100', method: 'bitcoin', payment_reference: 'JC-100' }, /Choose how you paid/],
      [{ amount: '100', method: 'bank', payment_reference: '<script>' }, /Enter the payment reference/],
      [
        { amount: '999999999999', method: 'bank', payment_reference: 'BIG-1' },
        /The request was refused: amount is out of range/,
      ],
      [{}, /Enter the amount in PKR/],
    ];
    for (const [fields, message] of cases) {
      const result = await client.post('/dashboard/topup', fields);
      assert.equal(result.status, 400, JSON.stringify(fields));
      assert.match(result.body, message);
      assert.doesNotMatch(result.body, /<script>/, 'input is escaped');
    }
    assert.deepEqual(await requestsOf('topup-b@example.com'), []);
  });

  it('refuses a payment reference claimed before, by anyone', async () => {
    const first = new PortalClient(server.url);
    await first.signUp('topup-c@example.com');
    await first.get('/dashboard');
    assert.equal(
      (await first.post('/dashboard/topup', { amount: '100', method: 'bank', payment_reference: 'BANK-42' }))
        .status,
      303,
    );
    const second = new PortalClient(server.url);
    await second.signUp('topup-d@example.com');
    await second.get('/dashboard');
    const again = await second.post('/dashboard/topup', {
      amount: '100',
      method: 'bank',
      payment_reference: 'BANK-42',
    });
    assert.equal(again.status, 400);
    assert.match(again.body, /already sent/);
    assert.deepEqual(await requestsOf('topup-d@example.com'), []);
  });

  it('refuses signed-out and cross-site requests', async () => {
    const anonymous = new PortalClient(server.url);
    await anonymous.get('/login');
    const signedOut = await anonymous.post('/dashboard/topup', {
      amount: '100',
      method: 'bank',
      payment_reference: 'ANON-1',
    });
    assert.equal(signedOut.status, 303);
    assert.equal(signedOut.location, '/login');
    const client = new PortalClient(server.url);
    await client.signUp('topup-e@example.com');
    const forged = await client.post(
      '/dashboard/topup',
      { amount: '100', method: 'bank', payment_reference: 'CSRF-1' },
      { csrf: null },
    );
    assert.equal(forged.status, 403);
    assert.deepEqual(await requestsOf('topup-e@example.com'), []);
    const count = await server.ctx.db
      .selectFrom('topup_requests')
      .select('id')
      .where('payment_reference', 'in', ['ANON-1', 'CSRF-1'])
      .execute();
    assert.equal(count.length, 0);
  });
});
