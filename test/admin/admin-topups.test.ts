import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import { TOPUP_REPLIES } from '../../src/admin/customer-topups.contract.js';
import { describeEachDatabase, sqliteKind } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { adminCall, lastAudit, signedInOperator } from './admin-client.js';

/** Asserts a reply of /api/topups has its documented shape (customer-topups.contract.ts). */
function shaped(kind: keyof typeof TOPUP_REPLIES, body: unknown): void {
  const wrong = Value.Errors(TOPUP_REPLIES[kind], body).First();
  assert.equal(wrong, undefined, `${kind}: ${wrong?.path} ${wrong?.message} in ${JSON.stringify(body)}`);
}

type Topup = { id: number; accountId: number; amount: number; state: string; paymentReference: string };

describeEachDatabase('top-up requests', (kind) => {
  let server: TestServer;
  let token: string;

  async function submit(params: Record<string, string>) {
    const response = await fetch(`${server.url}/api/topups`, {
      method: 'POST',
      body: new URLSearchParams(params),
    });
    const body = (await response.json()) as Record<string, unknown>;
    shaped(response.status === 201 ? 'submitted' : 'refused', body);
    return { status: response.status, body };
  }
  const balance = async (id: number) =>
    (
      await server.ctx.db
        .selectFrom('accounts')
        .select('balance')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).balance;

  before(async () => {
    server = await startTestServer(kind);
    ({ token } = await signedInOperator(server));
  });
  after(() => server.close());

  it('takes a customer submission over the customer API and lists it back', async () => {
    const customer = await server.newAccount(0);
    const created = await submit({
      api_key: customer.apiKey,
      amount: '1500',
      method: 'JazzCash',
      payment_reference: 'JC-10001',
      note: 'sent from 0300',
    });
    assert.equal(created.status, 201);
    assert.deepEqual(created.body, {
      status: 'ok',
      topup: {
        id: (created.body.topup as { id: number }).id,
        amount: '1500.00',
        method: 'jazzcash',
        payment_reference: 'JC-10001',
        state: 'pending',
        created_at: '2026-01-01T00:00:00.000Z',
      },
    });
    const listed = await server.getJson<{ topups: unknown[] }>('/api/topups', { api_key: customer.apiKey });
    shaped('listed', listed);
    assert.equal(listed.topups.length, 1);
    const dup = await submit({
      api_key: customer.apiKey,
      amount: '10',
      method: 'jazzcash',
      payment_reference: 'JC-10001',
    });
    assert.equal(dup.status, 409);
    assert.equal(
      (await submit({ api_key: 'og_wrong', amount: '10', method: 'bank', payment_reference: 'B-1' })).status,
      401,
    );
    for (const bad of [
      { amount: '0', method: 'bank', payment_reference: 'B-2' },
      { amount: '10', method: 'paypal', payment_reference: 'B-3' },
      { amount: '10', method: 'bank', payment_reference: 'x' },
    ]) {
      assert.equal((await submit({ api_key: customer.apiKey, ...bad })).status, 400, JSON.stringify(bad));
    }
    assert.equal(await balance(customer.id), 0, 'a submission alone moves no money');
  });

  it('approves once: credits through the ledger as topup-request:<id>, a second approval is refused', async () => {
    const customer = await server.newAccount(100);
    const created = await submit({
      api_key: customer.apiKey,
      amount: '500',
      method: 'easypaisa',
      payment_reference: 'EP-1',
    });
    const id = (created.body.topup as { id: number }).id;
    const queue = await adminCall<{ topups: Topup[] }>(server, token, 'GET', '/topups?state=pending');
    assert.ok(queue.body.topups.some((t) => t.id === id && t.amount === 50_000));

    const approved = await adminCall<{ request: Topup; balance: number }>(
      server,
      token,
      'POST',
      `/topups/${id}/approve`,
      {
        note: 'seen on statement',
      },
    );
    assert.equal(approved.status, 200);
    assert.equal(approved.body.balance, 50_100);
    assert.equal(approved.body.request.state, 'approved');
    const again = await adminCall(server, token, 'POST', `/topups/${id}/approve`, {});
    assert.equal(again.status, 409);
    const reject = await adminCall(server, token, 'POST', `/topups/${id}/reject`, {});
    assert.equal(reject.status, 409);
    assert.equal(await balance(customer.id), 50_100);
    const entries = await server.ctx.db
      .selectFrom('ledger_entries')
      .select(['kind', 'reference', 'amount'])
      .where('reference', '=', `topup-request:${id}`)
      .execute();
    assert.deepEqual(entries, [{ kind: 'topup', reference: `topup-request:${id}`, amount: 50_000 }]);
    const audit = await lastAudit(server);
    assert.equal(audit.action, 'topup.approve');
    assert.equal(audit.target, `topup-request:${id}`);
  });

  it('lets exactly one of many concurrent approvals credit the account', async () => {
    const customer = await server.newAccount(0);
    const created = await submit({
      api_key: customer.apiKey,
      amount: '42',
      method: 'bank',
      payment_reference: 'HBL-42',
    });
    const id = (created.body.topup as { id: number }).id;
    const replies = await Promise.all(
      Array.from({ length: 8 }, () => adminCall(server, token, 'POST', `/topups/${id}/approve`, {})),
    );
    assert.deepEqual(replies.map((r) => r.status).sort(), [200, 409, 409, 409, 409, 409, 409, 409]);
    assert.equal(await balance(customer.id), 4_200);
  });

  it('rejects without moving money, and 404s an unknown request', async () => {
    const customer = await server.newAccount(0);
    const created = await submit({
      api_key: customer.apiKey,
      amount: '9',
      method: 'bank',
      payment_reference: 'FAKE-9',
    });
    const id = (created.body.topup as { id: number }).id;
    const rejected = await adminCall<{ request: Topup }>(server, token, 'POST', `/topups/${id}/reject`, {
      note: 'no such payment',
    });
    assert.equal(rejected.body.request.state, 'rejected');
    assert.equal((await adminCall(server, token, 'POST', `/topups/${id}/approve`, {})).status, 409);
    assert.equal(await balance(customer.id), 0);
    assert.equal((await adminCall(server, token, 'POST', '/topups/987654/approve', {})).status, 404);
  });
});

it('limits top-up submissions per client address like the customer APIs', async () => {
  const limited = await startTestServer(sqliteKind, { env: { OTPGET_RATE_LIMIT_PER_IP: '2' } });
  try {
    const { apiKey } = await limited.newAccount(0);
    // Sent together, so they fall in one second whatever the machine's load.
    const statuses = await Promise.all(
      Array.from(
        { length: 8 },
        async () => (await fetch(`${limited.url}/api/topups?api_key=${apiKey}`)).status,
      ),
    );
    assert.ok(statuses.includes(429), String(statuses));
    assert.ok(statuses.includes(200), String(statuses));
  } finally {
    await limited.close();
  }
});
