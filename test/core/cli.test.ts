import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { runOtpget, runOtpgetInProcess } from '../helpers/cli.js';
import { describeEachDatabase } from '../helpers/databases.js';

describeEachDatabase('otpget CLI', (kind) => {
  let env: Record<string, string>;
  let drop: () => Promise<void>;
  before(async () => {
    const database = await kind.create();
    env = { DATABASE_URL: database.url };
    drop = database.drop;
  });
  after(() => drop());

  it('creates an account and prints its key once as JSON', async () => {
    const result = await runOtpget(['account', 'create', '--name', 'Ali', '--balance', '500', '--json'], env);
    assert.equal(result.code, 0, result.stderr);
    const created = JSON.parse(result.stdout) as { id: number; apiKey: string; balance: string };
    assert.equal(created.balance, '500.00');
    assert.match(created.apiKey, /^og_[\w-]{32}$/);
    assert.equal(typeof created.id, 'number');
  });

  it('credits, debits, blocks and checks the ledger', async () => {
    const created = JSON.parse((await runOtpgetInProcess(['account', 'create', '--json'], env)).stdout) as {
      id: number;
    };
    const id = String(created.id);
    const credit = await runOtpgetInProcess(
      ['account', 'credit', id, '12.50', '--reference', 'jazzcash-991'],
      env,
    );
    assert.equal(credit.code, 0, credit.stderr);
    assert.match(credit.stdout, /balance 12\.50 PKR/);
    const again = await runOtpgetInProcess(
      ['account', 'credit', id, '12.50', '--reference', 'jazzcash-991'],
      env,
    );
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already used/);
    const overdraw = await runOtpgetInProcess(['account', 'debit', id, '13'], env);
    assert.equal(overdraw.code, 1);
    assert.match(overdraw.stderr, /nothing was debited/);
    assert.equal((await runOtpgetInProcess(['account', 'debit', id, '2.5'], env)).code, 0);
    assert.match((await runOtpgetInProcess(['account', 'block', id], env)).stdout, /is now blocked/);
    const listed = await runOtpgetInProcess(['account', 'list', '--json'], env);
    const row = listed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { id: number; status: string; balance: string })
      .find((a) => a.id === created.id);
    assert.deepEqual(row && [row.status, row.balance], ['blocked', '10.00']);
    const check = await runOtpgetInProcess(['ledger', 'check'], env);
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /clean/);
    // Progress goes to stderr, the result alone to stdout: the last progress line says all ran.
    assert.match(check.stderr, /^ledger check: invariants checked: (\d+)\/\1$/m);
    assert.doesNotMatch(check.stdout, /invariants checked/);
  });

  it('refuses bad arguments with a message and exit code 2', async () => {
    for (const args of [
      ['account', 'credit', '1', 'abc'],
      ['account', 'credit', '1', '-5'],
      ['account', 'credit', '1', '1e3'],
      ['account', 'credit', '1', '1.234'],
      ['account', 'credit', 'x', '5'],
      ['account', 'create', '--balance'],
      ['account', 'create', '--nonsense'],
      ['account', 'frobnicate'],
      ['nonsense'],
    ]) {
      const result = await runOtpgetInProcess(args, env);
      assert.equal(result.code, 2, `${args.join(' ')}: ${result.stdout}${result.stderr}`);
      assert.ok(result.stderr.length > 0);
    }
  });

  it('reports an unknown account with exit code 1', async () => {
    const result = await runOtpgetInProcess(['account', 'credit', '999999', '5'], env);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /does not exist/);
  });

  it('reports a broken configuration by name', async () => {
    const result = await runOtpgetInProcess(['account', 'list'], {
      ...env,
      OTPGET_CANCEL_LOCK_SECONDS: 'soon',
    });
    assert.equal(result.code, 1);
    assert.match(result.stderr, /OTPGET_CANCEL_LOCK_SECONDS/);
  });
});
