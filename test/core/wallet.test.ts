import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { findAccount } from '../../src/accounts/accounts.repository.js';
import { adjustBalance, createAccount } from '../../src/accounts/accounts.service.js';
import { productLines } from '../../src/app.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { ManualClock } from '../../src/shared/clock.js';
import { ledgerInvariants } from '../../src/wallet/invariants.js';
import { runInvariantChecks } from '../../src/wallet/ledger-check.js';
import {
  DuplicateLedgerEntryError,
  InsufficientBalanceError,
  listLedgerEntries,
  postLedgerEntry,
} from '../../src/wallet/wallet.repository.js';
import { describeEachDatabase } from '../helpers/databases.js';

describeEachDatabase('wallet ledger', (kind) => {
  let database: Database;
  let drop: () => Promise<void>;
  const clock = new ManualClock();

  before(async () => {
    const created = await kind.create();
    drop = created.drop;
    database = openDatabase(created.url, { poolSize: 20 });
    await migrateToLatest(database);
  });
  after(async () => {
    await database.close();
    await drop();
  });

  it('records an opening balance as a ledger entry', async () => {
    const { account } = await createAccount(database.db, clock, { name: 'a', openingBalance: 50_000 });
    assert.equal(account.balance, 50_000);
    const lines = await listLedgerEntries(database.db, account.id, { limit: 10 });
    assert.deepEqual(
      lines.map((l) => [l.amount, l.balanceAfter, l.kind]),
      [[50_000, 50_000, 'topup']],
    );
  });

  it('credits and debits with balance_after, and refuses a debit beyond the balance', async () => {
    const { account } = await createAccount(database.db, clock, { openingBalance: 1_000 });
    assert.equal(
      await adjustBalance(database.db, clock, { accountId: account.id, amount: 250, reference: 'p1' }),
      1_250,
    );
    assert.equal(
      await adjustBalance(database.db, clock, { accountId: account.id, amount: -1_250, reference: 'd1' }),
      0,
    );
    await assert.rejects(
      adjustBalance(database.db, clock, { accountId: account.id, amount: -1, reference: 'd2' }),
      InsufficientBalanceError,
    );
    assert.equal((await findAccount(database.db, account.id))?.balance, 0);
  });

  it('moves money for a (kind, reference) at most once and rolls back the whole transaction on a repeat', async () => {
    const { account } = await createAccount(database.db, clock, { openingBalance: 1_000 });
    const refund = (trx: Parameters<typeof postLedgerEntry>[0]) =>
      postLedgerEntry(trx, {
        accountId: account.id,
        amount: 300,
        kind: 'order_refund',
        reference: 'order:42',
        now: 1,
      });
    await database.db.transaction().execute(refund);
    await assert.rejects(database.db.transaction().execute(refund), DuplicateLedgerEntryError);
    assert.equal((await findAccount(database.db, account.id))?.balance, 1_300);
  });

  it('lets exactly 57 of 200 concurrent debits through when the balance covers 57', async () => {
    const price = 4_500;
    const { account } = await createAccount(database.db, clock, { openingBalance: price * 57 + 1_234 });
    const results = await Promise.allSettled(
      Array.from({ length: 200 }, (_, i) =>
        database.db.transaction().execute((trx) =>
          postLedgerEntry(trx, {
            accountId: account.id,
            amount: -price,
            kind: 'order_debit',
            reference: `c:${account.id}:${i}`,
            now: 2,
          }),
        ),
      ),
    );
    const succeeded = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter(
      (r) => r.status === 'rejected' && r.reason instanceof InsufficientBalanceError,
    ).length;
    assert.equal(succeeded, 57);
    assert.equal(refused, 143);
    assert.equal((await findAccount(database.db, account.id))?.balance, 1_234);
    assert.deepEqual(await runInvariantChecks(database.db, ledgerInvariants(productLines())), []);
  });

  it('finds drift between a balance and its ledger', async () => {
    const { account } = await createAccount(database.db, clock, { openingBalance: 700 });
    await database.db.updateTable('accounts').set({ balance: 701 }).where('id', '=', account.id).execute();
    const problems = await runInvariantChecks(database.db, ledgerInvariants(productLines()));
    assert.equal(problems.length, 1);
    assert.equal(problems[0]?.accountId, account.id);
    await database.db.updateTable('accounts').set({ balance: 700 }).where('id', '=', account.id).execute();
    assert.deepEqual(await runInvariantChecks(database.db, ledgerInvariants(productLines())), []);
  });

  it('runs migrations again without changes', async () => {
    assert.deepEqual(await migrateToLatest(database), []);
  });
});
