import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { balanceOf, deliverToSandbox, smsClient, tick } from '../sms/sms-helpers.js';

describeEachDatabase('SMS-Activate-compatible actions on /stubs/handler_api.php', (kind) => {
  let server: TestServer;
  let sms: ReturnType<typeof smsClient>;
  let accountId: number;
  before(async () => {
    server = await startTestServer(kind);
    const account = await server.newAccount(100_000);
    accountId = account.id;
    sms = smsClient(server, account.apiKey);
  });
  after(() => server.close());

  it('accepts service codes where numeric ids are expected, and honours maxPrice', async () => {
    const before = (await balanceOf(server, accountId)) ?? 0;
    assert.match(await sms.call('getNumber', { service: 'tg', country: '61', type: '1' }), /^ACCESS_NUMBER:/);
    const spent = before - ((await balanceOf(server, accountId)) ?? 0);
    assert.equal(spent, 4_500, 'tg is Telegram (101), 45 PKR');
    assert.equal(await sms.call('getNumber', { service: 'zz', country: '61' }), 'BAD_SERVICE');
    assert.equal(
      await sms.call('getNumber', { service: 'wa', country: '61', maxPrice: '59.99' }),
      'WRONG_MAX_PRICE:60.00',
    );
    assert.equal(
      await sms.call('getNumber', { service: '102', country: '61', maxPrice: 'lots' }),
      'BAD_DATA',
    );
    assert.match(
      await sms.call('getNumber', { service: '102', country: '61', maxPrice: '60' }),
      /^ACCESS_NUMBER:/,
    );
    // The reference's own getNumber is unchanged for numeric ids.
    assert.equal(await sms.call('getNumber', { service: '999', country: '61', type: '1' }), 'BAD_SERVICE');
  });

  it('getNumberV2, getStatusV2, getFullSms and getActiveActivations follow SMS-Activate shapes', async () => {
    const v2 = JSON.parse(await sms.call('getNumberV2', { service: 'tg', country: '61' })) as Record<
      string,
      unknown
    >;
    assert.equal(typeof v2.activationId, 'string');
    assert.match(v2.phoneNumber as string, /^\d{6,15}$/);
    assert.equal(v2.activationCost, '45.00');
    assert.equal(v2.countryCode, '61');
    assert.equal(v2.canGetAnotherSms, false);
    assert.match(v2.activationTime as string, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const id = v2.activationId as string;

    assert.deepEqual(JSON.parse(await sms.call('getStatusV2', { id })), {
      verificationType: 0,
      sms: null,
      call: null,
    });
    assert.equal(await sms.call('getFullSms', { id }), 'STATUS_WAIT_CODE');
    const active = JSON.parse(await sms.call('getActiveActivations')) as {
      status: string;
      activeActivations: Array<Record<string, unknown>>;
    };
    assert.equal(active.status, 'success');
    const mine = active.activeActivations.find((a) => a.activationId === id);
    assert.equal(mine?.activationStatus, '4');
    assert.equal(mine?.serviceCode, '101');
    assert.equal(mine?.smsCode, null);

    server.clock.advance(20_000);
    await deliverToSandbox(server, id, 'Your Telegram code is 52917');
    await tick(server, 5_000);
    assert.equal(await sms.status(id), 'STATUS_OK:52917', 'the reference action still answers as documented');
    const status = JSON.parse(await sms.call('getStatusV2', { id })) as { sms: Record<string, unknown> };
    assert.equal(status.sms.code, '52917');
    assert.equal(status.sms.text, 'Your Telegram code is 52917');
    assert.equal(await sms.call('getFullSms', { id }), 'FULL_SMS:Your Telegram code is 52917');
    const after = JSON.parse(await sms.call('getActiveActivations')) as typeof active;
    assert.deepEqual(after.activeActivations.find((a) => a.activationId === id)?.smsCode, ['52917']);

    assert.equal(await sms.call('getStatusV2', { id: 'nosuchorder1' }), 'NO_ACTIVATION');
    assert.equal(await sms.call('getFullSms', {}), 'BAD_ID');
    const other = await server.newAccount(0);
    assert.deepEqual(
      JSON.parse(
        await server.get('/stubs/handler_api.php', { api_key: other.apiKey, action: 'getActiveActivations' }),
      ),
      {
        status: 'error',
        error: 'NO_ACTIVATIONS',
      },
    );
  });

  it('getPrices and getNumbersStatus list the catalogue with numeric costs', async () => {
    const prices = JSON.parse(await sms.call('getPrices', { country: '61', service: 'tg' }));
    assert.deepEqual(prices, { '61': { '101': { cost: 45, count: 0 } } });
    const all = JSON.parse(await sms.call('getPrices', {})) as Record<
      string,
      Record<string, { cost: number }>
    >;
    assert.equal(all['12']?.['104']?.cost, 95);
    assert.equal(await sms.call('getPrices', { type: '9' }), 'BAD_TYPE');
    const stock = JSON.parse(await sms.call('getNumbersStatus', { country: '61' })) as Record<string, number>;
    assert.deepEqual(Object.keys(stock).sort(), ['101_0', '102_0', '103_0']);
    assert.equal(await sms.call('getNumbersStatus', {}), 'BAD_COUNTRY');
  });
});
