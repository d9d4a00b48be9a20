/**
 * The reservation contract every product line's purchases (and rental renewals) must keep, written
 * once and run against each line by a small driver (`<line>-contract.test.ts`), on SQLite and on
 * PostgreSQL:
 * - a purchase debits its price exactly once, under the order's ledger reference;
 * - cancel, expiry, the reconciler and an operator refund, racing, refund it exactly once;
 * - a blocked account is refused on every purchase path (API, portal, SDK) and charged nothing;
 * - a purchase whose upstream reply was lost is refunded by the reconciler, once;
 * - our write failing after the upstream sold gives the item back upstream and refunds it.
 * The ledger invariants of `otpget ledger check` hold after every case.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { blockAccount } from '../../src/accounts/accounts.service.js';
import { describeEachDatabase, type TestDatabaseKind } from '../helpers/databases.js';
import { assertLedgerClean, balanceOf, type LedgerLine, ledgerOf } from '../helpers/ledger.js';
import type { TestServer } from '../helpers/test-server.js';

export interface ContractCustomer {
  id: number;
  apiKey: string;
}

/** How a line's test drives its own server for the contract. */
export interface LineDriver {
  server: TestServer;
  /** What one purchase (or renewal) costs, in paisa. */
  pricePaisa: number;
  /**
   * A customer ready to buy once on this line, with `pricePaisa` to spare (for renewals: one that
   * already holds a live rental). Its ledger may already hold entries (a rental's own debit).
   */
  customer(): Promise<ContractCustomer>;
  /** Buys (or renews) through the line's API; resolves once the item is the customer's. */
  buy(customer: ContractCustomer): Promise<void>;
  /**
   * Every way a customer can buy (or renew) on this line — `api`, `portal`, `sdk`, … Each tries
   * once and resolves whatever the answer; the contract checks nothing was charged.
   */
  purchasePaths: Record<string, (customer: ContractCustomer) => Promise<unknown>>;
  /**
   * Optional: how the race starts, for a line whose refunders can only refund an order still in
   * flight (a renewal: once extended, nothing refunds it). Resolves once the purchase is reserved
   * (debited) while its upstream call is held; the refunders then race that call's answer.
   * Absent: the race starts from a finished `buy`.
   */
  buyInFlight?(customer: ContractCustomer): Promise<void>;
  /**
   * The ways an order just bought by `customer` can end refunded — customer cancel, expiry, the
   * reconciler, an operator refund — each run once; they are raced against each other. Each may
   * lose or be refused; none may refund twice. (Prepare timing — clocks, cancel locks — in buy.)
   */
  refunders: Record<string, (customer: ContractCustomer) => Promise<unknown>>;
  /** The next purchase's upstream reply is lost (the upstream may have sold). */
  loseNextReply(): void;
  /** Lets the reconciler run once the lost purchase is due (advance the clock, run the jobs). */
  reconcile(): Promise<void>;
  /** Our own write after the next sale fails (the upstream sold, we could not record it). */
  failNextWrite(): void;
  /**
   * How many items the upstream has been given back so far (cancelled by us after a sale). Absent
   * for a line whose upstream cannot take a sale back (a renewal's extension): its unrecorded sale
   * is refunded only.
   */
  givenBack?(): number;
  close(): Promise<void>;
}

/** The entries the customer's ledger gained since `before`. */
async function newEntries(
  server: TestServer,
  accountId: number,
  before: LedgerLine[],
): Promise<LedgerLine[]> {
  return (await ledgerOf(server.ctx, accountId)).slice(before.length);
}

/** The one debit a purchase made, and the refunds of that same order. */
function moneyOfOnePurchase(entries: LedgerLine[]): { debit: LedgerLine; refunds: LedgerLine[] } {
  const debits = entries.filter((e) => e.kind === 'order_debit');
  assert.equal(debits.length, 1, `exactly one debit, got ${JSON.stringify(entries)}`);
  const debit = debits[0] as LedgerLine;
  return {
    debit,
    refunds: entries.filter((e) => e.kind === 'order_refund' && e.reference === debit.reference),
  };
}

export function describeReservationContract(
  line: string,
  startDriver: (kind: TestDatabaseKind) => Promise<LineDriver>,
): void {
  describeEachDatabase(`reservation contract: ${line}`, (kind) => {
    let driver: LineDriver;
    before(async () => {
      driver = await startDriver(kind);
    });
    after(async () => {
      await driver.close();
    });

    it('debits a purchase exactly once, under the order reference', async () => {
      const customer = await driver.customer();
      const before = await ledgerOf(driver.server.ctx, customer.id);
      const balance = await balanceOf(driver.server.ctx, customer.id);
      await driver.buy(customer);
      const { debit, refunds } = moneyOfOnePurchase(await newEntries(driver.server, customer.id, before));
      assert.equal(debit.amount, -driver.pricePaisa);
      assert.deepEqual(refunds, []);
      assert.equal(await balanceOf(driver.server.ctx, customer.id), balance - driver.pricePaisa);
      await assertLedgerClean(driver.server.ctx);
    });

    it('refunds exactly once when cancel, expiry, the reconciler and an operator refund race', async () => {
      for (let round = 0; round < 3; round++) {
        const customer = await driver.customer();
        const before = await ledgerOf(driver.server.ctx, customer.id);
        const balance = await balanceOf(driver.server.ctx, customer.id);
        await (driver.buyInFlight ?? driver.buy)(customer);
        const racers = Object.values(driver.refunders);
        // Every racer twice, so identical requests race too.
        await Promise.allSettled([...racers, ...racers].map((run) => run(customer)));
        const { refunds } = moneyOfOnePurchase(await newEntries(driver.server, customer.id, before));
        assert.equal(refunds.length, 1, `one refund in round ${round}, got ${refunds.length}`);
        assert.equal(refunds[0]?.amount, driver.pricePaisa);
        assert.equal(await balanceOf(driver.server.ctx, customer.id), balance);
      }
      await assertLedgerClean(driver.server.ctx);
    });

    it('refuses a blocked account on every purchase path and charges nothing', async () => {
      const customer = await driver.customer();
      await blockAccount(driver.server.ctx.db, driver.server.clock, customer.id);
      driver.server.ctx.auth.forget();
      const before = await ledgerOf(driver.server.ctx, customer.id);
      const balance = await balanceOf(driver.server.ctx, customer.id);
      assert.ok(Object.keys(driver.purchasePaths).length > 0);
      for (const [name, attempt] of Object.entries(driver.purchasePaths)) {
        await attempt(customer);
        assert.deepEqual(await newEntries(driver.server, customer.id, before), [], `charged through ${name}`);
      }
      assert.equal(await balanceOf(driver.server.ctx, customer.id), balance);
      await assertLedgerClean(driver.server.ctx);
    });

    it('refunds a purchase whose upstream reply was lost, once, through the reconciler', async () => {
      const customer = await driver.customer();
      const before = await ledgerOf(driver.server.ctx, customer.id);
      const balance = await balanceOf(driver.server.ctx, customer.id);
      driver.loseNextReply();
      await driver.buy(customer).then(
        () => assert.fail('a lost reply must not be reported as a sale'),
        () => undefined,
      );
      await driver.reconcile();
      await driver.reconcile();
      const { debit, refunds } = moneyOfOnePurchase(await newEntries(driver.server, customer.id, before));
      assert.equal(debit.amount, -driver.pricePaisa);
      assert.equal(refunds.length, 1);
      assert.equal(await balanceOf(driver.server.ctx, customer.id), balance);
      await assertLedgerClean(driver.server.ctx);
    });

    it('gives the item back and refunds when our write fails after the upstream sold', async () => {
      const customer = await driver.customer();
      const before = await ledgerOf(driver.server.ctx, customer.id);
      const balance = await balanceOf(driver.server.ctx, customer.id);
      const givenBack = driver.givenBack?.();
      driver.failNextWrite();
      await driver.buy(customer).then(
        () => assert.fail('an unrecorded sale must not be reported as a sale'),
        () => undefined,
      );
      await driver.reconcile();
      const { refunds } = moneyOfOnePurchase(await newEntries(driver.server, customer.id, before));
      assert.equal(refunds.length, 1);
      assert.equal(await balanceOf(driver.server.ctx, customer.id), balance);
      if (driver.givenBack)
        assert.equal(driver.givenBack(), (givenBack ?? 0) + 1, 'the item went back upstream');
      await assertLedgerClean(driver.server.ctx);
    });
  });
}
