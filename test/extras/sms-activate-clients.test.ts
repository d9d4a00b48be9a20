import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, it } from 'node:test';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { balanceOf, deliverToSandbox, tick } from '../sms/sms-helpers.js';

/**
 * The handler API driven the way published SMS-Activate client libraries drive it, not the way
 * our own tests do: GET, or POST with every parameter in the query string and an empty body (or a
 * form body); the id taken with `/ACCESS_NUMBER:(\d+):(.+)/` or `split(':')` + `parseInt`;
 * stock looked up as `tg_0`; active orders read from `activeActivations` or `data`; errors found
 * by substring.
 */

type Transport = 'get' | 'post-query' | 'post-form';

/** One raw HTTP exchange, as a client library's HTTP layer makes it. */
function send(server: TestServer, transport: Transport, params: Record<string, string>): Promise<string> {
  const query = new URLSearchParams(params).toString();
  const target = new URL(
    `${server.url}/stubs/handler_api.php${transport === 'post-form' ? '' : `?${query}`}`,
  );
  const body = transport === 'post-form' ? query : '';
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: transport === 'get' ? 'GET' : 'POST',
        headers:
          transport === 'get'
            ? {}
            : {
                'content-type': 'application/x-www-form-urlencoded',
                'content-length': String(Buffer.byteLength(body)),
              },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => {
          text += chunk;
        });
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}: ${text}`));
          else resolve(text);
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** The error words such clients test for with `reply.includes(word)`. */
const ERROR_WORDS = [
  'BAD_KEY',
  'NO_BALANCE',
  'NO_NUMBERS',
  'BAD_SERVICE',
  'BAD_ACTION',
  'NO_ACTIVATION',
  'ERROR_SQL',
];

function errorsIn(reply: string): string[] {
  return ERROR_WORDS.filter((word) => reply.includes(word));
}

describeEachDatabase('SMS-Activate client libraries against /stubs/handler_api.php', (kind) => {
  let server: TestServer;
  let apiKey: string;
  let accountId: number;
  before(async () => {
    server = await startTestServer(kind);
    const account = await server.newAccount(100_000);
    apiKey = account.apiKey;
    accountId = account.id;
  });
  after(() => server.close());

  for (const transport of ['get', 'post-query', 'post-form'] as const) {
    it(`buys, reads the code and completes over ${transport}, parsing like the libraries`, async () => {
      const call = (action: string, params: Record<string, string> = {}) =>
        send(server, transport, { api_key: apiKey, action, ...params });

      // Balance: split(':')[1], then parseFloat (or parseInt, which only drops the decimals).
      const balanceReply = await call('getBalance');
      assert.deepEqual(errorsIn(balanceReply), []);
      const balance = Number.parseFloat(balanceReply.split(':')[1] as string);
      assert.equal(balance * 100, (await balanceOf(server, accountId)) ?? -1);

      // Stock by SMS-Activate code, as `getNumbersStatus(country)['tg_0']`.
      const stock = JSON.parse(await call('getNumbersStatus', { country: '61' })) as Record<string, unknown>;
      assert.ok('tg_0' in stock, `getNumbersStatus keys: ${Object.keys(stock).join(', ')}`);

      // The purchase, with no type (such clients never send one) and a service code.
      const bought = await call('getNumber', { service: 'tg', country: '61' });
      assert.deepEqual(errorsIn(bought), []);
      const byRegex = /ACCESS_NUMBER:(\d+):(.+)/.exec(bought);
      assert.ok(byRegex, `the \\d+ parser rejects ${bought}`);
      const [, idByRegex, phone] = byRegex;
      const parts = bought.split(':');
      const idByParseInt = Number.parseInt(parts[1] as string, 10);
      assert.equal(String(idByParseInt), idByRegex, 'parseInt keeps the whole id');
      assert.ok(Number.isSafeInteger(idByParseInt));
      assert.equal(Number.parseInt(parts[2] as string, 10), Number(phone));
      // Clients store the id as a number and send it back printed as one.
      const id = String(idByParseInt);

      const active = JSON.parse(await call('getActiveActivations')) as {
        activeActivations: Array<{ activationId: string }>;
        data: Array<{ activationId: string; serviceCode: string }>;
      };
      assert.ok(active.activeActivations.some((a) => Number(a.activationId) === idByParseInt));
      assert.equal(active.data.find((a) => Number(a.activationId) === idByParseInt)?.serviceCode, 'tg');

      assert.equal(await call('getStatus', { id }), 'STATUS_WAIT_CODE');
      // Some clients send status=1 ("SMS sent") first; it changes nothing.
      assert.equal(await call('setStatus', { id, status: '1' }), 'BAD_STATUS');

      server.clock.advance(20_000);
      await deliverToSandbox(server, id, 'Your Telegram code is 40917');
      await tick(server, 5_000);
      const status = await call('getStatus', { id });
      assert.equal(status.split(':')[0], 'STATUS_OK');
      assert.equal(status.split(':')[1], '40917');
      const v2 = JSON.parse(await call('getStatusV2', { id })) as { sms: { code: string } | null };
      assert.equal(v2.sms?.code, '40917');

      assert.equal(await call('setStatus', { id, status: '6' }), 'ACCESS_FINISH');
      assert.equal(await call('getStatus', { id }), 'STATUS_OK:40917');
    });
  }

  it('getNumberV2 ids read as numbers, and errors are found by substring without false alarms', async () => {
    const v2 = JSON.parse(
      await send(server, 'post-query', {
        api_key: apiKey,
        action: 'getNumberV2',
        service: 'wa',
        country: '61',
      }),
    ) as {
      activationId: string;
    };
    assert.ok(Number.isSafeInteger(Number(v2.activationId)), v2.activationId);
    assert.equal(String(Number.parseInt(v2.activationId, 10)), v2.activationId);

    const poor = await server.newAccount(0);
    const refused = await send(server, 'get', {
      api_key: poor.apiKey,
      action: 'getNumber',
      service: 'tg',
      country: '61',
    });
    assert.deepEqual(errorsIn(refused), ['NO_BALANCE']);
    assert.deepEqual(errorsIn(await send(server, 'get', { api_key: 'nope', action: 'getBalance' })), [
      'BAD_KEY',
    ]);
    assert.deepEqual(
      errorsIn(
        await send(server, 'post-query', { api_key: apiKey, action: 'getStatus', id: '1234567890123' }),
      ),
      ['NO_ACTIVATION'],
    );
  });
});
