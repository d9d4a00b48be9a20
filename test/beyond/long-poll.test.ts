import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import pino from 'pino';
import { createApp, createContext } from '../../src/app.js';
import { openDatabase } from '../../src/db/database.js';
import { deliverSandboxMessage } from '../../src/providers/sandbox/deliver.js';
import { upstreamOrderResolvers } from '../../src/sandbox-order-resolvers.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const SMS = '/stubs/handler_api.php';
const CHEAP = '/stubs/cheap_handler.php';
const EMAIL = '/stubs/email_handler.php';

describeEachDatabase('long-poll status: wait=N', (kind) => {
  let server: TestServer;
  /** A second app on the same database: another process as far as events go (its own bus and listener). */
  let other: { url: string; close(): Promise<void> };
  before(async () => {
    server = await startTestServer(kind);
    const database = openDatabase(server.ctx.config.databaseUrl, { poolSize: 5 });
    const ctx = createContext(server.ctx.config, database, {
      clock: server.clock,
      log: pino({ level: 'silent' }),
    });
    const app = await createApp(ctx);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    other = {
      url: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
      close: async () => {
        await app.close();
        await database.close();
      },
    };
  });
  after(async () => {
    await other.close();
    await server.close();
  });

  const get = async (base: string, path: string, params: Record<string, string>) => {
    const response = await fetch(`${base}${path}?${new URLSearchParams(params)}`);
    return response.text();
  };
  const deliver = (orderId: string, text: string) =>
    deliverSandboxMessage(server.ctx.db, upstreamOrderResolvers, { orderId, text, now: server.clock.now() });
  const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /**
   * Starts a long-poll, lets it wait, records a code through the worker (in the test server's
   * process), and returns the reply and how long after the code was recorded it came.
   */
  async function codeWhileWaiting(
    base: string,
    path: string,
    params: Record<string, string>,
    orderId: string,
    pollMs: number,
  ) {
    let answeredAt = 0;
    const polled = get(base, path, { ...params, wait: '10' }).then((body) => {
      answeredAt = Date.now();
      return body;
    });
    await pause(600);
    assert.equal(answeredAt, 0, 'still waiting before the code came');
    await deliver(orderId, 'Your code is 482913');
    server.clock.advance(pollMs);
    await server.runJobs();
    const recordedBy = Date.now();
    const body = await polled;
    return { body, lateMs: answeredAt - recordedBy };
  }

  it('getStatus (SMS OTP) answers STATUS_OK within 100 ms of the code arriving', async () => {
    const { apiKey } = await server.newAccount(100_000);
    const bought = await get(server.url, SMS, {
      api_key: apiKey,
      action: 'getNumber',
      service: '101',
      country: '61',
      type: '1',
    });
    const id = bought.split(':')[1] as string;
    const { body, lateMs } = await codeWhileWaiting(
      server.url,
      SMS,
      { api_key: apiKey, action: 'getStatus', id },
      id,
      1_000,
    );
    assert.equal(body, 'STATUS_OK:482913');
    assert.ok(lateMs < 100, `answered ${lateMs} ms after the code was recorded`);
  });

  it('getStatus (cheap) answers STATUS_OK within 100 ms of the code arriving', async () => {
    const { apiKey } = await server.newAccount(100_000);
    const bought = await get(server.url, CHEAP, {
      api_key: apiKey,
      action: 'buyNumber',
      server: '2',
      type: '1',
    });
    const id = bought.split(',')[0] as string;
    const { body, lateMs } = await codeWhileWaiting(
      server.url,
      CHEAP,
      { api_key: apiKey, action: 'getStatus', id },
      id,
      1_000,
    );
    assert.equal(body, 'STATUS_OK:482913');
    assert.ok(lateMs < 100, `answered ${lateMs} ms after the code was recorded`);
  });

  it('getEmailCode answers 200 with the code within 100 ms of the letter arriving', async () => {
    const { apiKey } = await server.newAccount(1_000_000);
    const bought = JSON.parse(
      await get(server.url, EMAIL, { api_key: apiKey, action: 'buyEmail', service_id: 'ig' }),
    );
    const emailId = String(bought.email_id);
    const { body, lateMs } = await codeWhileWaiting(
      server.url,
      EMAIL,
      { api_key: apiKey, action: 'getEmailCode', email_id: emailId },
      emailId,
      5_000,
    );
    const reply = JSON.parse(body) as { status: string; code: string };
    assert.equal(reply.status, '200');
    assert.equal(reply.code, '482913');
    assert.ok(lateMs < 100, `answered ${lateMs} ms after the letter was recorded`);
  });

  it(`wakes a long-poll served by another process (${kind.name === 'postgres' ? 'LISTEN/NOTIFY, within 100 ms' : 'SQLite re-check, within 400 ms'})`, async () => {
    const { apiKey } = await server.newAccount(100_000);
    const bought = await get(server.url, SMS, {
      api_key: apiKey,
      action: 'getNumber',
      service: '101',
      country: '61',
      type: '1',
    });
    const id = bought.split(':')[1] as string;
    const { body, lateMs } = await codeWhileWaiting(
      other.url,
      SMS,
      { api_key: apiKey, action: 'getStatus', id },
      id,
      1_000,
    );
    assert.equal(body, 'STATUS_OK:482913');
    const bound = kind.name === 'postgres' ? 100 : 400;
    assert.ok(lateMs < bound, `answered ${lateMs} ms after the code was recorded in the other process`);
  });

  it('without a code, answers the waiting reply at the deadline; without wait, at once', async () => {
    const { apiKey } = await server.newAccount(100_000);
    const bought = await get(server.url, SMS, {
      api_key: apiKey,
      action: 'getNumber',
      service: '101',
      country: '61',
      type: '1',
    });
    const id = bought.split(':')[1] as string;
    let started = Date.now();
    assert.equal(
      await get(server.url, SMS, { api_key: apiKey, action: 'getStatus', id, wait: '1' }),
      'STATUS_WAIT_CODE',
    );
    const waited = Date.now() - started;
    assert.ok(waited >= 950 && waited < 2_000, `waited ${waited} ms for wait=1`);
    for (const wait of ['', '0', 'abc', '2.5', '-1']) {
      started = Date.now();
      assert.equal(
        await get(server.url, SMS, { api_key: apiKey, action: 'getStatus', id, wait }),
        'STATUS_WAIT_CODE',
      );
      assert.ok(Date.now() - started < 500, `wait=${wait} answers at once`);
    }
    // A reply that is not the waiting reply comes at once, wait or not.
    started = Date.now();
    assert.equal(
      await get(server.url, SMS, { api_key: apiKey, action: 'getStatus', id: 'zzzzzzzzzzzz', wait: '5' }),
      'NO_ACTIVATION',
    );
    assert.ok(Date.now() - started < 500);
  });
});
