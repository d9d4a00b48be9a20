import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const SMS = '/stubs/handler_api.php';
const CHEAP = '/stubs/cheap_handler.php';
const RENTAL = '/stubs/rental-handler.php';
const EMAIL = '/stubs/email_handler.php';

describeEachDatabase('idempotent purchases over HTTP', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind);
  });
  after(() => server.close());

  const get = async (path: string, params: Record<string, string>, headers: Record<string, string> = {}) => {
    const response = await fetch(`${server.url}${path}?${new URLSearchParams(params)}`, { headers });
    return response.text();
  };
  const debits = async (accountId: number) =>
    (
      await server.ctx.db
        .selectFrom('ledger_entries')
        .select(['reference', 'amount'])
        .where('account_id', '=', accountId)
        .where('kind', '=', 'order_debit')
        .execute()
    ).length;
  const balance = async (accountId: number) =>
    (
      await server.ctx.db
        .selectFrom('accounts')
        .select('balance')
        .where('id', '=', accountId)
        .executeTakeFirstOrThrow()
    ).balance;

  /**
   * The same purchase sent twice with one key answers the same body and charges once; the key
   * with other parameters is refused with `conflict`; without a key, it buys again.
   */
  async function checkAction(input: {
    path: string;
    purchase: (apiKey: string) => Record<string, string>;
    different: (apiKey: string) => Record<string, string>;
    ok: RegExp;
    conflict: string;
  }) {
    const { id, apiKey } = await server.newAccount(5_000_000);
    const params = { ...input.purchase(apiKey), idempotency_key: `k-${input.path}-1` };
    const first = await get(input.path, params);
    assert.match(first, input.ok);
    const afterFirst = await balance(id);
    assert.equal(await debits(id), 1);
    // Retried with the parameter and with the header (same key): the stored reply, nothing charged.
    assert.equal(await get(input.path, params), first);
    const { idempotency_key: key, ...withoutKey } = params;
    assert.equal(await get(input.path, withoutKey, { 'Idempotency-Key': key }), first);
    assert.equal(await balance(id), afterFirst);
    assert.equal(await debits(id), 1);
    // The same key with other parameters is refused, and charges nothing.
    assert.equal(await get(input.path, { ...input.different(apiKey), idempotency_key: key }), input.conflict);
    assert.equal(await debits(id), 1);
    // A new key is a new purchase.
    assert.match(await get(input.path, { ...params, idempotency_key: `k-${input.path}-2` }), input.ok);
    assert.equal(await debits(id), 2);
    return { id, apiKey, first };
  }

  const jsonConflict = JSON.stringify({
    status: '409',
    message: 'This idempotency key was already used with different parameters.',
  });

  it('getNumber (SMS OTP): a retry returns ACCESS_NUMBER again and charges once', async () => {
    await checkAction({
      path: SMS,
      purchase: (api_key) => ({ api_key, action: 'getNumber', service: '101', country: '61', type: '1' }),
      different: (api_key) => ({ api_key, action: 'getNumber', service: '102', country: '12', type: '1' }),
      ok: /^ACCESS_NUMBER:[1-9]\d{12}:\d+$/,
      conflict: 'IDEMPOTENCY_CONFLICT',
    });
  });

  it('getNumberV2 (SMS-Activate-compatible): a retry returns the same JSON and charges once', async () => {
    await checkAction({
      path: SMS,
      purchase: (api_key) => ({ api_key, action: 'getNumberV2', service: '101', country: '61', type: '1' }),
      different: (api_key) => ({ api_key, action: 'getNumber', service: '101', country: '61', type: '1' }),
      ok: /^\{"activationId":"[1-9]\d{12}"/,
      conflict: 'IDEMPOTENCY_CONFLICT',
    });
  });

  it('buyNumber (cheap): a retry returns the same order line and charges once', async () => {
    await checkAction({
      path: CHEAP,
      purchase: (api_key) => ({ api_key, action: 'buyNumber', server: '2', type: '1' }),
      different: (api_key) => ({ api_key, action: 'buyNumber', server: '1', type: '1' }),
      ok: /^ORD_[0-9a-f]{10}_[1-9]\d{2},\d+,900$/,
      conflict: 'IDEMPOTENCY_CONFLICT',
    });
  });

  it('rentNumber and renewRental: retries return the first JSON and charge once', async () => {
    const rented = await checkAction({
      path: RENTAL,
      purchase: (api_key) => ({
        api_key,
        action: 'rentNumber',
        country_code: 'ca',
        provider: '2',
        duration_hours: '720',
      }),
      different: (api_key) => ({
        api_key,
        action: 'rentNumber',
        country_code: 'ca',
        provider: '2',
        duration_hours: '4320',
      }),
      ok: /"status":"200","message":"Number rented successfully"/,
      conflict: jsonConflict,
    });
    const orderId = (JSON.parse(rented.first) as { order_id: string }).order_id;
    const row = await server.ctx.db
      .selectFrom('rentals')
      .select('id')
      .where('order_id', '=', orderId)
      .executeTakeFirstOrThrow();
    const renew = {
      api_key: rented.apiKey,
      action: 'renewRental',
      rental_id: String(row.id),
      duration_hours: '720',
    };
    const before = await debits(rented.id);
    const first = await get(RENTAL, { ...renew, idempotency_key: 'renew-1' });
    assert.match(first, /"message":"Renewed successfully"/);
    assert.equal(await get(RENTAL, { ...renew, idempotency_key: 'renew-1' }), first);
    assert.equal(await debits(rented.id), before + 1);
    assert.equal(
      await get(RENTAL, { ...renew, duration_hours: '4320', idempotency_key: 'renew-1' }),
      jsonConflict,
    );
    assert.equal(await debits(rented.id), before + 1);
  });

  it('buyEmail: a retry returns the same mailbox and charges once', async () => {
    await checkAction({
      path: EMAIL,
      purchase: (api_key) => ({ api_key, action: 'buyEmail', service_id: 'ig' }),
      different: (api_key) => ({ api_key, action: 'buyEmail', service_id: 'fb' }),
      ok: /"status":"200"/,
      conflict: jsonConflict,
    });
  });

  it('keys belong to one account: another customer may use the same key for its own purchase', async () => {
    const a = await server.newAccount(100_000);
    const b = await server.newAccount(100_000);
    const params = {
      action: 'getNumber',
      service: '101',
      country: '61',
      type: '1',
      idempotency_key: 'shared',
    };
    const first = await get(SMS, { ...params, api_key: a.apiKey });
    const second = await get(SMS, { ...params, api_key: b.apiKey });
    assert.match(second, /^ACCESS_NUMBER:/);
    assert.notEqual(first, second);
    assert.equal(await debits(a.id), 1);
    assert.equal(await debits(b.id), 1);
  });

  it('refuses a malformed key before buying; other actions ignore keys', async () => {
    const { id, apiKey } = await server.newAccount(100_000);
    const buy = { api_key: apiKey, action: 'getNumber', service: '101', country: '61', type: '1' };
    assert.equal(await get(SMS, { ...buy, idempotency_key: 'x'.repeat(129) }), 'BAD_IDEMPOTENCY_KEY');
    assert.equal(await get(SMS, buy, { 'Idempotency-Key': 'has space' }), 'BAD_IDEMPOTENCY_KEY');
    assert.equal(await debits(id), 0);
    assert.match(await get(SMS, { ...buy, idempotency_key: 'x'.repeat(128) }), /^ACCESS_NUMBER:/);
    const emailBad = await get(EMAIL, {
      api_key: apiKey,
      action: 'buyEmail',
      service_id: 'ig',
      idempotency_key: 'é',
    });
    assert.equal(JSON.parse(emailBad).status, '400');
    // getBalance is not a purchase: a key changes nothing, twice the same key twice answers fresh.
    assert.match(
      await get(SMS, { api_key: apiKey, action: 'getBalance', idempotency_key: 'k' }),
      /^ACCESS_BALANCE:/,
    );
    assert.match(
      await get(SMS, { api_key: apiKey, action: 'getBalance', idempotency_key: 'k' }),
      /^ACCESS_BALANCE:/,
    );
  });

  it('a refusal is stored too: the retry of a NO_BALANCE purchase answers NO_BALANCE again', async () => {
    const { id, apiKey } = await server.newAccount(100);
    const buy = {
      api_key: apiKey,
      action: 'getNumber',
      service: '101',
      country: '61',
      type: '1',
      idempotency_key: 'nb',
    };
    assert.equal(await get(SMS, buy), 'NO_BALANCE');
    await server.ctx.db.updateTable('accounts').set({ balance: 100_000 }).where('id', '=', id).execute();
    assert.equal(await get(SMS, buy), 'NO_BALANCE');
    assert.equal(await debits(id), 0);
  });

  it('a race of identical purchases with one key: one order, one charge, every caller gets its reply', async () => {
    for (const [path, params, ok] of [
      [SMS, { action: 'getNumber', service: '101', country: '61', type: '1' }, /^ACCESS_NUMBER:/],
      [CHEAP, { action: 'buyNumber', server: '2', type: '1' }, /^ORD_/],
      [EMAIL, { action: 'buyEmail', service_id: 'ig' }, /"status":"200"/],
      [
        RENTAL,
        { action: 'rentNumber', country_code: 'ca', provider: '2', duration_hours: '720' },
        /"status":"200"/,
      ],
    ] as const) {
      const { id, apiKey } = await server.newAccount(5_000_000);
      const replies = await Promise.all(
        Array.from({ length: 8 }, () =>
          get(path, { ...params, api_key: apiKey }, { 'Idempotency-Key': 'race' }),
        ),
      );
      assert.match(replies[0] as string, ok);
      for (const reply of replies)
        assert.equal(reply, replies[0], `${path}: every caller gets the first reply`);
      assert.equal(await debits(id), 1, `${path}: charged once`);
    }
  });
});
