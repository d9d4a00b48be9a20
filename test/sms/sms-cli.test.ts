import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { runCli } from '../../src/cli/main.js';
import { ManualClock } from '../../src/shared/clock.js';
import { type FakeSmsActivate, startFakeSmsActivate } from '../fakes/sms-activate-fake.js';
import { runOtpget } from '../helpers/cli.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { smsClient } from './sms-helpers.js';

/** The wall clock, for a server whose own worker must run in real time. */
class WallClock extends ManualClock {
  override now(): number {
    return Date.now();
  }
}

describeEachDatabase('otpget provider, catalog and price commands', (kind) => {
  let server: TestServer;
  let fake: FakeSmsActivate;
  let env: Record<string, string>;

  before(async () => {
    server = await startTestServer(kind, { worker: true, clock: new WallClock() });
    fake = await startFakeSmsActivate();
    fake.setPrice('0', 'tg', '0.5');
    fake.setStock('0', 'tg', 100);
    env = { DATABASE_URL: server.ctx.config.databaseUrl };
  });
  after(async () => {
    await server.close();
    await fake.close();
  });

  /**
   * The real command, in this process (a child process per call costs seconds of start-up);
   * `sandbox deliver` below runs in a child process to show it reaches a running server.
   */
  async function inProcess(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = '';
    let stderr = '';
    const saved = process.env.DATABASE_URL;
    process.env.DATABASE_URL = env.DATABASE_URL;
    try {
      const code = await runCli(args, {
        out: (line) => {
          stdout += `${line}\n`;
        },
        err: (line) => {
          stderr += `${line}\n`;
        },
      });
      return { code, stdout, stderr };
    } finally {
      if (saved === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = saved;
    }
  }
  const otpget = async (...args: string[]) => {
    const result = await inProcess(args);
    assert.equal(result.code, 0, `otpget ${args.join(' ')}: ${result.stderr}`);
    return result.stdout;
  };

  it('lists the six provider types on the sandbox', async () => {
    const lines = (await otpget('provider', 'list', '--json'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => [l.type, l.enabled, l.upstream, l.protocol]),
      [1, 2, 3, 4, 5, 6].map((t) => [t, true, 'sandbox-sms', 'sandbox']),
    );
  });

  it('points a type at an SMS-Activate-protocol upstream, maps an offer and sells from it', async () => {
    assert.match(await otpget('price', 'rate', 'USD', '280'), /1 USD = 280 PKR/);
    assert.match(
      await otpget(
        'provider',
        'set',
        '3',
        '--protocol',
        'sms-activate',
        '--url',
        fake.url,
        '--key',
        fake.apiKey,
        '--currency',
        'usd',
      ),
      /type 3 now buys from "sms-type-3" \(sms-activate http:\/\/127\.0\.0\.1:\d+, prices in USD\)/,
    );
    assert.match(
      await otpget(
        'catalog',
        'offer',
        '3',
        '61',
        '101',
        '--upstream-country',
        '0',
        '--upstream-service',
        'tg',
        '--cost',
        '0.5',
      ),
      /: 140\.00 PKR/,
    );
    assert.match(await otpget('provider', 'check', '3'), /our balance there is 100 USD/);
    const listed = (await otpget('catalog', 'list', '--type', '3', '--country', '61', '--json'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      listed.map((r) => [r.serviceId, r.upstreamCountry, r.upstreamService, r.cost, r.price, r.stock]),
      [[101, '0', 'tg', '0.5', '140.00', 100]],
    );
    const { apiKey } = await server.newAccount(50_000);
    const sms = smsClient(server, apiKey);
    assert.match(
      await sms.call('getNumber', { service: '101', country: '61', type: '3' }),
      /^ACCESS_NUMBER:[1-9]\d{12}:79\d{9}$/,
    );

    assert.match(await otpget('price', 'markup', 'sms:type:3', '10'), /recomputed/);
    assert.match(await sms.call('getServices', { country: '61', type: '3' }), /"101":"Telegram - 154 PKR"/);
    await otpget('catalog', 'offer', '3', '61', '101', '--price', '99.50');
    assert.match(await sms.call('getServices', { country: '61', type: '3' }), /"101":"Telegram - 99.50 PKR"/);

    await otpget('provider', 'disable', '3');
    assert.equal(await sms.call('getServices', { country: '61', type: '3' }), 'BAD_TYPE');
    await otpget('provider', 'enable', '3');
    await otpget('provider', 'set', '3', '--protocol', 'sandbox');
    assert.match(
      await sms.call('getNumber', { service: '102', country: '12', type: '3' }),
      /^ACCESS_NUMBER:[1-9]\d{12}:1555\d{7}$/,
    );
  });

  it('delivers a sandbox message that the running server shows within two seconds', async () => {
    const { apiKey } = await server.newAccount(10_000);
    const sms = smsClient(server, apiKey);
    const { id } = await sms.buy();
    const delivered = await runOtpget(
      ['sandbox', 'deliver', id, 'Your', 'Telegram', 'code', 'is', '604918'],
      env,
    );
    assert.match(delivered.stdout, /delivered/, delivered.stderr);
    const deadline = Date.now() + 2_000;
    let status = await sms.status(id);
    while (status !== 'STATUS_OK:604918' && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      status = await sms.status(id);
    }
    assert.equal(status, 'STATUS_OK:604918');
  });

  it('refuses bad arguments with a usage error (exit 2) and unknown offers with exit 1', async () => {
    for (const args of [
      ['provider', 'set', '9', '--protocol', 'sandbox'],
      ['provider', 'set', '1', '--protocol', 'carrier-pigeon'],
      ['catalog', 'offer', '1', '61', '101', '--cost', 'abc'],
      ['catalog', 'offer', '1', '61'],
      ['price', 'markup', 'nonsense', '5'],
      ['price', 'rate', 'USD', '-1'],
    ]) {
      const result = await inProcess(args);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
    }
    const missing = await inProcess(['catalog', 'offer', '1', '61', '999', '--cost', '1']);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /service 999 does not exist/);
    const newUpstream = await inProcess(['provider', 'set', '4', '--protocol', 'sms-activate']);
    assert.equal(newUpstream.code, 1);
    assert.match(newUpstream.stderr, /needs --url and --key/);
  });
});
