import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createAccount } from '../../src/accounts/accounts.service.js';
import { login } from '../../src/admin/operators.service.js';
import { submitTopupRequest } from '../../src/admin/topups.service.js';
import { openDatabase } from '../../src/db/database.js';
import { ManualClock } from '../../src/shared/clock.js';
import { runOtpget, runOtpgetInProcess } from '../helpers/cli.js';
import { sqliteKind } from '../helpers/databases.js';

// SQLite only: the services the commands call are covered on both databases elsewhere. One real
// child process proves the command is wired; the other cases run the same CLI code in-process.
let env: Record<string, string>;
let drop: () => Promise<void>;
before(async () => {
  const database = await sqliteKind.create();
  env = { DATABASE_URL: database.url };
  drop = database.drop;
});
after(() => drop());

it('creates an operator with a generated password that signs in, audited as the CLI', async () => {
  const created = await runOtpget(['operator', 'create', 'Owner@Example.com'], env);
  assert.equal(created.code, 0, created.stderr);
  assert.match(created.stdout, /operator owner@example\.com created \(id \d+\)/);
  const password = /password \(shown once, store it now\): (\S+)/.exec(created.stdout)?.[1];
  assert.ok(password && password.length >= 20, created.stdout);

  const database = openDatabase(env.DATABASE_URL ?? '');
  try {
    const clock = new ManualClock();
    assert.ok(await login(database.db, clock, { email: 'owner@example.com', password }));
    assert.equal(
      await login(database.db, clock, { email: 'owner@example.com', password: `${password}x` }),
      null,
    );
    const audit = await database.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
    assert.deepEqual(
      audit.map((a) => [a.actor.replace(/^cli:.+$/, 'cli:<os user>'), a.action]),
      [
        ['cli:<os user>', 'operator.create'],
        ['owner@example.com', 'operator.login'],
      ],
    );
  } finally {
    await database.close();
  }

  const duplicate = await runOtpgetInProcess(['operator', 'create', 'owner@example.com'], env);
  assert.equal(duplicate.code, 1);
  assert.match(duplicate.stderr, /already exists/);
  const usage = await runOtpgetInProcess(['operator', 'create'], env);
  assert.equal(usage.code, 2);
});

it('lists and approves a top-up request from the CLI, once', async () => {
  const database = openDatabase(env.DATABASE_URL ?? '');
  let requestId: number;
  let accountId: number;
  try {
    const clock = new ManualClock();
    const { account } = await createAccount(database.db, clock, { name: 'cli top-up' });
    accountId = account.id;
    requestId = (
      await submitTopupRequest(database.db, clock, {
        accountId,
        amount: 25_000,
        method: 'bank',
        paymentReference: 'MEEZAN-77',
        note: null,
      })
    ).id;
  } finally {
    await database.close();
  }
  const listed = await runOtpgetInProcess(['topup', 'list'], env);
  assert.equal(listed.code, 0, listed.stderr);
  assert.match(
    listed.stdout,
    new RegExp(`^${requestId}\\taccount ${accountId}\\t250\\.00 PKR\\tbank\\tMEEZAN-77\\tpending`, 'm'),
  );
  const approved = await runOtpgetInProcess(['topup', 'approve', String(requestId), '--note', 'seen'], env);
  assert.equal(approved.code, 0, approved.stderr);
  assert.match(approved.stdout, /250\.00 PKR credited to account \d+, balance 250\.00 PKR/);
  const again = await runOtpgetInProcess(['topup', 'approve', String(requestId)], env);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already approved/);
});
