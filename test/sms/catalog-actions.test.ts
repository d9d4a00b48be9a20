import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { blockAccount } from '../../src/accounts/accounts.service.js';
import { recomputeSmsPrices } from '../../src/catalog/sms-prices.js';
import { setExchangeRateMicros, setMarkupBasisPoints } from '../../src/pricing/pricing.repository.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { balanceOf, SMS, smsClient } from './sms-helpers.js';

describeEachDatabase('SMS OTP API: getCountries and getServices', (kind) => {
  let server: TestServer;
  let sms: ReturnType<typeof smsClient>;

  before(async () => {
    server = await startTestServer(kind);
    sms = smsClient(server, (await server.newAccount(100_000)).apiKey);
  });
  after(() => server.close());

  it('lists type 1 countries as the reference shows them: string ids, by name, as JSON', async () => {
    const response = await fetch(
      `${server.url}${SMS}?${new URLSearchParams({ api_key: 'x', action: 'getBalance' })}`,
    );
    assert.equal(response.status, 200);
    const body = JSON.parse(await sms.call('getCountries', { type: '1' }));
    assert.deepEqual(Object.keys(body), ['1']);
    const type1 = body['1'] as Array<{ id: string; name: string }>;
    const reference = type1.filter((c) => ['33', '15', '61', '12'].includes(c.id));
    assert.deepEqual(reference, [
      { id: '33', name: 'Canada' },
      { id: '15', name: 'England' },
      { id: '61', name: 'Pakistan' },
      { id: '12', name: 'USA' },
    ]);
    assert.deepEqual(
      type1.map((c) => c.name),
      [...type1.map((c) => c.name)].sort(),
    );
    for (const country of type1) {
      assert.equal(typeof country.id, 'string');
      assert.deepEqual(Object.keys(country), ['id', 'name']);
    }
  });

  it('lists every type 1-6 without a filter, and answers BAD_TYPE for anything else', async () => {
    const all = JSON.parse(await sms.call('getCountries'));
    assert.deepEqual(Object.keys(all), ['1', '2', '3', '4', '5', '6']);
    for (const type of Object.keys(all)) assert.ok(all[type].length > 0, `type ${type} has countries`);
    assert.ok(all['2'].some((c: { id: string }) => c.id === '61'));
    for (const bad of ['0', '7', 'abc', '1.5', '-1', '1e0']) {
      assert.equal(await sms.call('getCountries', { type: bad }), 'BAD_TYPE', bad);
    }
  });

  it('lists Pakistan type 1 services exactly as the reference: {"101": "Telegram - 45 PKR", …}', async () => {
    const raw = await sms.call('getServices', { country: '61', type: '1' });
    assert.equal(raw, '{"101":"Telegram - 45 PKR","102":"WhatsApp - 60 PKR","103":"Instagram - 55 PKR"}');
    const response = await fetch(
      `${server.url}${SMS}?${new URLSearchParams({ api_key: 'x', action: 'getServices', country: '61', type: '1' })}`,
    );
    assert.equal(await response.text(), 'BAD_KEY');
    const typed = await fetch(
      `${server.url}${SMS}?${new URLSearchParams({ api_key: (await server.newAccount()).apiKey, action: 'getServices', country: '61', type: '1' })}`,
    );
    assert.match(typed.headers.get('content-type') ?? '', /^application\/json/);
    // Without a type, type 1 is meant (generic SMS-Activate clients send none).
    assert.equal(await sms.call('getServices', { country: '61' }), raw);
    assert.equal(await sms.post('getServices', { country: '61', type: '1' }), raw);
  });

  it('answers BAD_COUNTRY, BAD_TYPE, and {} for a known country the type does not carry', async () => {
    assert.equal(await sms.call('getServices', { type: '1' }), 'BAD_COUNTRY');
    assert.equal(await sms.call('getServices', { country: '', type: '1' }), 'BAD_COUNTRY');
    assert.equal(await sms.call('getServices', { country: '9999', type: '1' }), 'BAD_COUNTRY');
    assert.equal(await sms.call('getServices', { country: 'pk', type: '1' }), 'BAD_COUNTRY');
    assert.equal(await sms.call('getServices', { country: '61', type: '9' }), 'BAD_TYPE');
    assert.equal(await sms.call('getServices', { country: '6', type: '2' }), '{}');
  });

  it('answers BAD_KEY and ACCOUNT_BLOCKED before any action, on GET and POST', async () => {
    const { id, apiKey } = await server.newAccount(10_000);
    const owner = smsClient(server, apiKey);
    const { id: orderId } = await owner.buy();
    const calls: Array<[string, Record<string, string>]> = [
      ['getCountries', { type: '1' }],
      ['getServices', { country: '61', type: '1' }],
      ['getNumber', { service: '101', country: '61', type: '1' }],
      ['getStatus', { id: orderId }],
      ['setStatus', { id: orderId, status: '8' }],
    ];
    const stranger = smsClient(server, 'not-a-key');
    for (const [action, params] of calls) {
      assert.equal(await stranger.call(action, params), 'BAD_KEY', action);
      assert.equal(await stranger.post(action, params), 'BAD_KEY', action);
    }
    await blockAccount(server.ctx.db, server.clock, id);
    server.ctx.auth.forget();
    for (const [action, params] of calls) {
      assert.equal(await owner.call(action, params), 'ACCOUNT_BLOCKED', action);
      assert.equal(await owner.post(action, params), 'ACCOUNT_BLOCKED', action);
    }
    assert.equal(await balanceOf(server, id), 10_000 - 4_500);
  });

  it('hides a disabled type everywhere (BAD_TYPE) and shows it again when enabled', async () => {
    const { apiKey } = await server.newAccount(10_000);
    const client = smsClient(server, apiKey);
    await server.ctx.db.updateTable('sms_provider_types').set({ enabled: 0 }).where('id', '=', 5).execute();
    try {
      assert.ok(!Object.keys(JSON.parse(await client.call('getCountries'))).includes('5'));
      assert.equal(await client.call('getCountries', { type: '5' }), 'BAD_TYPE');
      assert.equal(await client.call('getServices', { country: '61', type: '5' }), 'BAD_TYPE');
      assert.equal(await client.call('getNumber', { service: '101', country: '61', type: '5' }), 'BAD_TYPE');
    } finally {
      await server.ctx.db.updateTable('sms_provider_types').set({ enabled: 1 }).where('id', '=', 5).execute();
    }
    assert.match(await client.call('getServices', { country: '61', type: '5' }), /"101":"Telegram - 68 PKR"/);
  });

  it('prices from cost × exchange rate × markup, and getNumber charges what getServices shows', async () => {
    const now = server.clock.now();
    await setMarkupBasisPoints(server.ctx.db, 'sms:type:4', 1_250, now);
    await setMarkupBasisPoints(server.ctx.db, 'sms:type:4:service:102', -1_000, now);
    await recomputeSmsPrices(server.ctx.db, now);
    // Type 4 Pakistan: Telegram 32 PKR × 1.125 = 36.00; WhatsApp 42 PKR × 0.9 = 37.80.
    const services = JSON.parse(await sms.call('getServices', { country: '61', type: '4' }));
    assert.equal(services['101'], 'Telegram - 36 PKR');
    assert.equal(services['102'], 'WhatsApp - 37.80 PKR');
    const { id, apiKey } = await server.newAccount(5_000);
    await smsClient(server, apiKey).buy({ service: '102', country: '61', type: '4' });
    assert.equal(await balanceOf(server, id), 5_000 - 3_780);

    // A foreign-currency upstream is unpriced (hidden) until its rate is set.
    await server.ctx.db
      .updateTable('upstreams')
      .set({ currency: 'USD' })
      .where('name', '=', 'sandbox-sms')
      .execute();
    try {
      await recomputeSmsPrices(server.ctx.db, now);
      assert.equal(await sms.call('getServices', { country: '61', type: '1' }), '{}');
      await setExchangeRateMicros(server.ctx.db, 'USD', 280_000_000, now);
      await recomputeSmsPrices(server.ctx.db, now);
      // 45 (cost units) × 280 PKR = 12600 PKR.
      assert.match(
        await sms.call('getServices', { country: '61', type: '1' }),
        /"101":"Telegram - 12600 PKR"/,
      );
    } finally {
      await server.ctx.db
        .updateTable('upstreams')
        .set({ currency: 'PKR' })
        .where('name', '=', 'sandbox-sms')
        .execute();
      await recomputeSmsPrices(server.ctx.db, now);
    }
    assert.match(await sms.call('getServices', { country: '61', type: '1' }), /"101":"Telegram - 45 PKR"/);
  });
});
