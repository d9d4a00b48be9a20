import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, it } from 'node:test';
import { createAccount } from '../../src/accounts/accounts.service.js';
import { productLines } from '../../src/app.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { deliverSandboxMessage } from '../../src/providers/sandbox/deliver.js';
import { upstreamOrderResolvers } from '../../src/sandbox-order-resolvers.js';
import { systemClock } from '../../src/shared/clock.js';
import { ledgerInvariants } from '../../src/wallet/invariants.js';
import { runInvariantChecks } from '../../src/wallet/ledger-check.js';
import { describeEachDatabase } from '../helpers/databases.js';
import {
  hasCurl,
  hasPhp,
  hasPythonRequests,
  runSnippet,
  type SnippetLanguage,
  startServeProcess,
} from '../helpers/snippets.js';
import { smsExamples, substituteSms } from './reference-examples.js';

type Lang = SnippetLanguage;
const run = runSnippet;
const startServe = startServeProcess;

describeEachDatabase('SMS OTP API: the reference examples, verbatim', (kind) => {
  let server: { child: ChildProcess; url: string };
  let database: Database;
  let drop: () => Promise<void>;
  let apiKey: string;
  let accountId: number;

  before(async () => {
    const created = await kind.create();
    drop = created.drop;
    server = await startServe({
      DATABASE_URL: created.url,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      OTPGET_SANDBOX_DELAY_MS: 'off',
      OTPGET_WORKER_INTERVAL_MS: '100',
      OTPGET_CANCEL_LOCK_SECONDS: '0',
    });
    // The test reaches the same database as the server, as `otpget account create` and
    // `otpget sandbox deliver` would from another process.
    database = openDatabase(created.url, { poolSize: 2 });
    const account = await createAccount(database.db, systemClock, {
      name: 'examples',
      openingBalance: 50_000,
    });
    apiKey = account.apiKey;
    accountId = account.account.id;
  });
  after(async () => {
    if (server?.child.exitCode === null) {
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await exited;
    }
    await database?.close();
    await drop?.();
  });

  const call = async (params: Record<string, string>) =>
    (
      await fetch(
        `${server.url}/stubs/handler_api.php?${new URLSearchParams({ api_key: apiKey, ...params })}`,
      )
    ).text();
  const example = (lang: Lang, code: string, orderId?: string) =>
    run(lang, substituteSms(code, { baseUrl: server.url, apiKey, ...(orderId ? { orderId } : {}) }));

  async function walkThrough(lang: Lang) {
    const e = smsExamples;
    // print() adds a newline in Python; echo and curl print the body as it is.
    const line = (text: string) => (lang === 'python' ? `${text}\n` : text);
    const balance = await call({ action: 'getBalance' });
    assert.equal(await example(lang, e.getBalance[lang]), line(balance));
    assert.match(balance, /^ACCESS_BALANCE:\d+\.\d\d$/);

    const countries = JSON.parse(await example(lang, e.getCountries[lang]));
    assert.deepEqual(Object.keys(countries), ['1']);
    for (const country of [
      { id: '33', name: 'Canada' },
      { id: '15', name: 'England' },
      { id: '61', name: 'Pakistan' },
      { id: '12', name: 'USA' },
    ]) {
      assert.ok(
        countries['1'].some((c: unknown) => JSON.stringify(c) === JSON.stringify(country)),
        country.name,
      );
    }
    assert.equal(
      await example(lang, e.getServices[lang]),
      line('{"101":"Telegram - 45 PKR","102":"WhatsApp - 60 PKR","103":"Instagram - 55 PKR"}'),
    );

    const bought = (await example(lang, e.getNumber[lang])).trim();
    const match = /^ACCESS_NUMBER:([1-9]\d{12}):(92555\d{7})$/.exec(bought);
    assert.ok(match, bought);
    const orderId = match[1] as string;
    assert.equal(await example(lang, e.getStatus[lang], orderId), line('STATUS_WAIT_CODE'));
    await deliverSandboxMessage(database.db, upstreamOrderResolvers, {
      orderId,
      text: 'Your Telegram code is 847293',
      now: Date.now(),
    });
    for (
      let i = 0;
      i < 50 && (await call({ action: 'getStatus', id: orderId })) === 'STATUS_WAIT_CODE';
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(await example(lang, e.getStatus[lang], orderId), line('STATUS_OK:847293'));
    assert.equal(await example(lang, e.setStatus[lang], orderId), line('STATUS_ALREADY_CHANGED'));

    const other = /^ACCESS_NUMBER:([1-9]\d{12}):/.exec(
      await call({ action: 'getNumber', service: '101', country: '61', type: '1' }),
    )?.[1] as string;
    assert.equal(await example(lang, e.setStatus[lang], other), line('ACCESS_READY'));
    assert.equal(await example(lang, e.getStatus[lang], other), line('STATUS_CANCEL'));
  }

  it('cURL: every example answers as documented', { skip: hasCurl ? false : 'curl is not installed' }, () =>
    walkThrough('curl'),
  );
  it(
    'PHP: every example runs unchanged',
    { skip: hasPhp ? false : 'php is not installed (apt-get install -y php-cli)' },
    () => walkThrough('php'),
  );
  it(
    'Python: every example runs unchanged',
    { skip: hasPythonRequests ? false : 'python3 with requests is not installed' },
    () => walkThrough('python'),
  );

  it('charged one number per language and kept the ledger clean', async () => {
    const ran = [hasCurl, hasPhp, hasPythonRequests].filter(Boolean).length;
    assert.equal(await call({ action: 'getBalance' }), `ACCESS_BALANCE:${500 - 45 * ran}.00`);
    assert.deepEqual(await runInvariantChecks(database.db, ledgerInvariants(productLines())), []);
    assert.ok(accountId > 0);
  });
});
