import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createAccount } from '../../src/accounts/accounts.service.js';
import { activationLedgerEntriesHaveOrders } from '../../src/activations/activation-invariants.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { ManualClock } from '../../src/shared/clock.js';
import { postLedgerEntry } from '../../src/wallet/wallet.repository.js';
import { describeEachDatabase } from '../helpers/databases.js';

describeEachDatabase('activation ledger invariants', (kind) => {
  let database: Database;
  let drop: () => Promise<void>;
  before(async () => {
    const created = await kind.create();
    drop = created.drop;
    database = openDatabase(created.url);
    await migrateToLatest(database);
  });
  after(async () => {
    await database.close();
    await drop();
  });

  it('reports an order entry whose activation does not exist, and ignores other lines', async () => {
    const { account } = await createAccount(database.db, new ManualClock(), { openingBalance: 1_000 });
    assert.deepEqual(await activationLedgerEntriesHaveOrders(database.db), []);
    await database.db.transaction().execute(async (trx) => {
      await postLedgerEntry(trx, {
        accountId: account.id,
        amount: -100,
        kind: 'order_debit',
        reference: 'rental:424242',
        now: 1,
      });
      await postLedgerEntry(trx, {
        accountId: account.id,
        amount: 100,
        kind: 'order_refund',
        reference: 'activation:999999',
        now: 1,
      });
    });
    const problems = await activationLedgerEntriesHaveOrders(database.db);
    assert.equal(problems.length, 1);
    assert.match(problems[0]?.message ?? '', /activation:999999/);
  });
});
