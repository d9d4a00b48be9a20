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
import { hasPhp, hasPythonRequests, runSnippet, startServeProcess } from '../helpers/snippets.js';
import { cheapExamples, substitute } from './reference-examples.js';

// Long enough that spawning curl, php or python on a busy machine cannot outlast it before the first cancel.
const CANCEL_LOCK_SECONDS = 3;
const run = runSnippet;
const startServe = startServeProcess;

describeEachDatabase('cheap numbers API: the reference examples, verbatim', (kind) => {
  let server: { child: ChildProcess; url: string };
  let db: Database;
  let drop: () => Promise<void>;
  let apiKey: string;
  before(async () => {
    const database = await kind.create();
    drop = database.drop;
    server = await startServe({
      DATABASE_URL: database.url,
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'warn',
      OTPGET_SANDBOX_DELAY_MS: 'off',
      OTPGET_WORKER_INTERVAL_MS: '100',
      OTPGET_CANCEL_LOCK_SECONDS: String(CANCEL_LOCK_SECONDS),
    });
    // The operator's side (account, message delivery, ledger check) runs in this process on the
    // server's database, as the CLI would; the CLI itself is tested elsewhere.
    db = openDatabase(database.url, { poolSize: 2 });
    apiKey = (await createAccount(db.db, systemClock, { name: 'example', openingBalance: 50_000 })).apiKey;
  });
  after(async () => {
    if (server?.child.exitCode === null) {
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGTERM');
      await exited;
    }
    await db?.close();
    await drop?.();
  });

  /** `otpget sandbox deliver <id> <text>`, then wait until the running server has picked it up. */
  async function deliver(orderId: string, text: string): Promise<void> {
    await deliverSandboxMessage(db.db, upstreamOrderResolvers, { orderId, text, now: systemClock.now() });
    await until(async () => (await call({ action: 'getStatus', id: orderId })) !== 'STATUS_WAIT_CODE');
  }

  const values = (orderId?: string) => ({ baseUrl: server.url, apiKey, ...(orderId ? { orderId } : {}) });
  const example = (lang: 'php' | 'python' | 'curl', code: string, orderId?: string) =>
    run(lang, substitute(code, values(orderId)));
  const call = async (params: Record<string, string>) =>
    (
      await fetch(
        `${server.url}/stubs/cheap_handler.php?${new URLSearchParams({ api_key: apiKey, ...params })}`,
      )
    ).text();
  async function until(check: () => Promise<boolean>): Promise<void> {
    for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 100));
  }
  const skipPhp = hasPhp ? false : 'php is not installed (apt-get install -y php-cli)';
  const skipPython = hasPythonRequests ? false : 'python3 with requests is not installed';

  it('cURL: every example answers as documented', async () => {
    const c = cheapExamples;
    assert.equal(await example('curl', c.getBalance.curl), 'ACCESS_BALANCE:500.00');
    assert.deepEqual(JSON.parse(await example('curl', c.getServers.curl)), {
      '1': [
        { id: '1', name: 'Random Facebook - Free' },
        { id: '2', name: 'Pakistan - Server 2' },
      ],
    });
    assert.deepEqual(JSON.parse(await example('curl', c.getServices.curl)), {
      '1': 'Random Facebook - Free — ₨0.00',
      '2': 'Pakistan Server 2 — ₨50.00',
    });
    const bought = await example('curl', c.buyNumber.curl);
    assert.match(bought, /^ORD_[0-9a-f]{10}_[1-9]\d{2},92555\d{7},900$/);
    const orderId = bought.split(',')[0] ?? '';
    assert.equal(await example('curl', c.getStatus.curl, orderId), 'STATUS_WAIT_CODE');
    assert.equal(await example('curl', c.setStatus.curlCancel, orderId), 'EARLY_CANCEL_DENIED');
    await new Promise((r) => setTimeout(r, CANCEL_LOCK_SECONDS * 1000));
    assert.equal(await example('curl', c.setStatus.curlCancel, orderId), 'ACCESS_READY');
    assert.equal(await example('curl', c.getStatus.curl, orderId), 'STATUS_CANCEL');
    const second = (await example('curl', c.buyNumber.curl)).split(',')[0] ?? '';
    await deliver(second, 'Your Facebook code is 847293');
    assert.equal(await example('curl', c.getStatus.curl, second), 'STATUS_OK:847293');
    assert.equal(await example('curl', c.setStatus.curlComplete, second), 'ACCESS_FINISH');
  });

  it('PHP: every example runs unchanged and prints what the reference promises', {
    skip: skipPhp,
  }, async () => {
    const c = cheapExamples;
    assert.equal(await example('php', c.getBalance.php), 'ACCESS_BALANCE:500.00');
    assert.equal(
      await example('php', c.getServers.php),
      '1 — Random Facebook - Free\n2 — Pakistan - Server 2\n',
    );
    assert.equal(
      await example('php', c.getServices.php),
      '1: Random Facebook - Free — ₨0.00\n2: Pakistan Server 2 — ₨50.00\n',
    );
    const bought = await example('php', c.buyNumber.php);
    const match =
      /^Number: \+(92555\d{7})\nOrder ID: (ORD_[0-9a-f]{10}_[1-9]\d{2})\nValid for: 15 minutes\n$/.exec(
        bought,
      );
    assert.ok(match, bought);
    const orderId = match[2] ?? '';
    await deliver(orderId, 'Your code is 512907');
    assert.equal(await example('php', c.getStatus.php, orderId), 'OTP: 512907');
    const other = (await call({ action: 'buyNumber', server: '1', type: '1' })).split(',')[0] ?? '';
    assert.equal(await example('php', c.setStatus.php, other), 'EARLY_CANCEL_DENIED');
    await new Promise((r) => setTimeout(r, CANCEL_LOCK_SECONDS * 1000));
    assert.equal(await example('php', c.setStatus.php, other), 'ACCESS_READY');
    assert.equal(await example('php', c.getStatus.php, other), 'Expired or cancelled');
  });

  it('Python: every example runs unchanged and prints what the reference promises', {
    skip: skipPython,
  }, async () => {
    const c = cheapExamples;
    assert.equal(await example('python', c.getBalance.python), 'ACCESS_BALANCE:500.00\n');
    assert.equal(
      await example('python', c.getServers.python),
      '1 — Random Facebook - Free\n2 — Pakistan - Server 2\n',
    );
    assert.equal(
      await example('python', c.getServices.python),
      '1 : Random Facebook - Free — ₨0.00\n2 : Pakistan Server 2 — ₨50.00\n',
    );
    const bought = await example('python', c.buyNumber.python);
    const match = /^Number: \+(92555\d{7})\nOrder ID: (ORD_[0-9a-f]{10}_[1-9]\d{2})\n$/.exec(bought);
    assert.ok(match, bought);
    const orderId = match[2] ?? '';
    await deliver(orderId, 'G-640128 is your code');
    assert.equal(await example('python', c.getStatus.python, orderId), 'OTP: 640128\n');
    const other = (await call({ action: 'buyNumber', server: '1', type: '1' })).split(',')[0] ?? '';
    await new Promise((r) => setTimeout(r, CANCEL_LOCK_SECONDS * 1000));
    assert.equal(await example('python', c.setStatus.python, other), 'ACCESS_READY\n');
    assert.equal(await example('python', c.getStatus.python, other), 'Expired\n');
  });

  it('leaves the customer balance untouched (server 1 is free) and the ledger clean', async () => {
    assert.equal(await call({ action: 'getBalance' }), 'ACCESS_BALANCE:500.00');
    assert.deepEqual(await runInvariantChecks(db.db, ledgerInvariants(productLines())), []);
  });
});
