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
    assert.match(v2.activationId as string, /^[1-9]\d{12}$/);
    assert.equal(v2.currency, 586, 'ISO 4217 numeric for PKR');
    assert.equal(v2.countryPhoneCode, 92);
    assert.match(v2.phoneNumber as string, /^\d{6,15}$/);
    assert.equal(v2.activationCost, '45.00');
    assert.equal(v2.countryCode, '61');
    assert.equal(v2.canGetAnotherSms, false);
    assert.match(v2.activationTime as string, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    const lifetimeMs = Date.parse(`${v2.activationEndTime}Z`) - Date.parse(`${v2.activationTime}Z`);
    assert.equal(lifetimeMs, server.ctx.config.activationTtlSeconds * 1000);
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
      data: Array<Record<string, unknown>>;
    };
    assert.equal(active.status, 'success');
    assert.deepEqual(active.data, active.activeActivations, 'newer forks read data');
    const mine = active.activeActivations.find((a) => a.activationId === id);
    assert.equal(mine?.activationStatus, '4');
    assert.equal(mine?.serviceCode, 'tg');
    assert.equal(mine?.smsCode, null);
    assert.equal(mine?.countryName, 'Pakistan');
    assert.equal(mine?.canGetAnotherSms, false);

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

  it('getPrices and getNumbersStatus list the catalogue by service code with numeric costs', async () => {
    const prices = JSON.parse(await sms.call('getPrices', { country: '61', service: 'tg' }));
    assert.deepEqual(prices, { '61': { tg: { cost: 45, count: 0 } } });
    assert.deepEqual(JSON.parse(await sms.call('getPrices', { country: '61', service: '101' })), prices);
    const all = JSON.parse(await sms.call('getPrices', {})) as Record<
      string,
      Record<string, { cost: number }>
    >;
    assert.equal(all['12']?.fb?.cost, 95);
    assert.equal(await sms.call('getPrices', { type: '9' }), 'BAD_TYPE');
    const stock = JSON.parse(await sms.call('getNumbersStatus', { country: '61' })) as Record<string, number>;
    assert.deepEqual(Object.keys(stock).sort(), ['ig_0', 'tg_0', 'wa_0']);
    assert.equal(await sms.call('getNumbersStatus', {}), 'BAD_COUNTRY');
  });

  it('getTopCountriesByService, getOperators and getBalanceAndCashBack answer what clients read', async () => {
    const top = JSON.parse(await sms.call('getTopCountriesByService', { service: 'tg' })) as Record<
      string,
      { country: number; count: number; price: number; retail_price: number }
    >;
    const countries = Object.values(top).map((row) => row.country);
    // Every country sells at the same (unknown, 0) stock here, so the tie-break orders them by id.
    assert.deepEqual(
      countries,
      [...countries].sort((a, b) => a - b),
    );
    assert.ok(countries.includes(61) && countries.includes(12));
    assert.deepEqual(top[String(countries.indexOf(61))], {
      country: 61,
      count: 0,
      price: 45,
      retail_price: 45,
    });
    assert.deepEqual(
      Object.keys(top),
      countries.map((_, i) => String(i)),
    );
    assert.equal(await sms.call('getTopCountriesByService', { service: 'zz' }), 'BAD_SERVICE');

    assert.deepEqual(JSON.parse(await sms.call('getOperators', { country: '61' })), {
      status: 'success',
      countryOperators: { '61': ['any'] },
    });
    assert.deepEqual(JSON.parse(await sms.call('getOperators', { country: '999' })), {
      status: 'error',
      error: 'OPERATORS_NOT_FOUND',
    });
    const all = JSON.parse(await sms.call('getOperators')) as { countryOperators: Record<string, string[]> };
    assert.ok(Object.keys(all.countryOperators).length >= 4);

    assert.equal(await sms.call('getBalanceAndCashBack'), await sms.call('getBalance'));
    assert.match(await sms.call('getBalanceAndCashBack'), /^ACCESS_BALANCE:\d+\.\d\d$/);
  });
});
