import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { productLines } from '../../src/app.js';
import { ledgerInvariants } from '../../src/wallet/invariants.js';
import { runInvariantChecks } from '../../src/wallet/ledger-check.js';
import type { FakeSmsActivate } from '../fakes/sms-activate-fake.js';
import { runOtpget } from '../helpers/cli.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { balanceOf, deliverToSandbox, fakeUpstreamForType2, smsClient } from '../sms/sms-helpers.js';

/**
 * Many customers at once: purchases beyond their balance, cancels racing each other and the
 * worker, codes racing cancels, completions, expiries, and an upstream that fails, loses replies
 * and refuses. At the end every order is settled, each refunded order was refunded exactly once,
 * every balance is what the delivered codes cost, and `otpget ledger check` is clean.
 */
describeEachDatabase('activation money under concurrency', (kind) => {
  let server: TestServer;
  let fake: FakeSmsActivate;
  const SANDBOX_ACCOUNTS = 10;
  const FAKE_ACCOUNTS = 4;
  const PRICE = 4_500; // type 1, Pakistan, Telegram (sandbox)
  const FAKE_PRICE = 14_000; // type 2 on the fake upstream: 0.5 USD × 280
  const sandboxBuy = { service: '101', country: '61', type: '1' };
  const fakeBuy = { service: '101', country: '61', type: '2' };

  before(async () => {
    server = await startTestServer(kind);
    fake = await fakeUpstreamForType2(server, { timeoutMs: 3_000, stocked: true });
  });
  after(async () => {
    await server.close();
    await fake.close();
  });

  it('settles every order exactly once and keeps the ledger clean', async () => {
    const sandboxCustomers = await Promise.all(
      Array.from({ length: SANDBOX_ACCOUNTS }, async () => {
        const account = await server.newAccount(10 * PRICE);
        return { ...account, sms: smsClient(server, account.apiKey) };
      }),
    );
    const fakeCustomers = await Promise.all(
      Array.from({ length: FAKE_ACCOUNTS }, async () => {
        const account = await server.newAccount(6 * FAKE_PRICE);
        return { ...account, sms: smsClient(server, account.apiKey) };
      }),
    );

    // Phase 1: every customer asks for more numbers than they can pay for, all at once; the
    // upstream of type 2 fails some purchases outright and loses the reply of others.
    fake.failNext('getNumber', 'http500', 3);
    fake.failNext('getNumber', 'NO_NUMBERS', 2);
    for (let i = 0; i < 3; i++) fake.loseNextReply('getNumber', i % 2 === 0 ? 'timeout' : 'reset');
    const replies = await Promise.all([
      ...sandboxCustomers.map((c) =>
        Promise.all(Array.from({ length: 14 }, () => c.sms.call('getNumber', sandboxBuy))),
      ),
      ...fakeCustomers.map((c) =>
        Promise.all(Array.from({ length: 9 }, () => c.sms.call('getNumber', fakeBuy))),
      ),
    ]);
    const idsOf = (answers: string[]) =>
      answers.flatMap((a) => /^ACCESS_NUMBER:([1-9]\d{12}):\d+$/.exec(a)?.slice(1, 2) ?? []);
    sandboxCustomers.forEach((_, i) => {
      const answers = replies[i] as string[];
      assert.equal(idsOf(answers).length, 10, answers.join());
      assert.equal(answers.filter((a) => a === 'NO_BALANCE').length, 4);
    });
    const fakeAnswers = replies.slice(SANDBOX_ACCOUNTS).flat();
    for (const answer of fakeAnswers) {
      assert.match(answer, /^(ACCESS_NUMBER:|NO_BALANCE$|NO_NUMBERS$|ERROR_PROVIDER_2:)/, answer);
    }
    // The three lost replies at least; on a loaded machine a slow reply may time out too.
    assert.ok(fakeAnswers.filter((a) => a === 'ERROR_PROVIDER_2:NO_REPLY').length >= 3, fakeAnswers.join());

    // Phase 2: after the cancel lock, codes, cancels (doubled), codes racing cancels, and the
    // worker, all at once.
    server.clock.advance(121_000);
    const work: Array<Promise<unknown>> = [server.runJobs()];
    for (const c of sandboxCustomers) {
      const ids = idsOf(replies[sandboxCustomers.indexOf(c)] as string[]);
      for (const [n, id] of ids.slice(0, 3).entries()) {
        work.push(deliverToSandbox(server, id, `Telegram code ${40_000 + n}`));
      }
      for (const id of ids.slice(3, 6)) work.push(c.sms.setStatus(id, '8'), c.sms.setStatus(id, '8'));
      for (const id of ids.slice(8, 10)) {
        work.push(deliverToSandbox(server, id, 'Telegram code 77777'), c.sms.setStatus(id, '8'));
      }
    }
    for (const c of fakeCustomers) {
      const ids = idsOf(replies[SANDBOX_ACCOUNTS + fakeCustomers.indexOf(c)] as string[]);
      for (const [n, id] of ids.entries()) {
        if (n % 3 === 0) work.push(c.sms.setStatus(id, '8'));
        if (n % 3 === 1) {
          work.push(
            c.sms.call('getStatus', { id }).then(async () => {
              const upstreamId = await upstreamOrderId(id);
              fake.deliverSms(upstreamId, 'Telegram code 31337');
            }),
          );
        }
      }
    }
    work.push(server.runJobs(), server.runJobs());
    await Promise.all(work);
    server.clock.advance(1_000);
    await server.runJobs();

    // Phase 3: completions (doubled) of everything that shows a code.
    const completions: Array<Promise<unknown>> = [server.runJobs()];
    for (const c of [...sandboxCustomers, ...fakeCustomers]) {
      const orders = await server.ctx.db
        .selectFrom('activations')
        .select(['public_id', 'state'])
        .where('account_id', '=', c.id)
        .execute();
      for (const o of orders.filter((x) => x.state === 'code_received').slice(0, 2)) {
        completions.push(c.sms.setStatus(o.public_id, '6'), c.sms.setStatus(o.public_id, '3'));
      }
    }
    await Promise.all(completions);

    // Phase 4: the lifetime ends for everything left.
    server.clock.advance(1_200_000);
    await Promise.all([server.runJobs(), server.runJobs()]);
    server.clock.advance(1_000);
    await server.runJobs();

    // Every order settled; refunds exactly where the customer got no code; balances exact.
    const rows = await server.ctx.db
      .selectFrom('activations')
      .select(['id', 'state', 'account_id', 'price_paisa'])
      .execute();
    const states = new Map<string, number>();
    for (const row of rows) states.set(row.state, (states.get(row.state) ?? 0) + 1);
    assert.deepEqual(
      [...states.keys()].filter((s) => !['finished', 'cancelled', 'expired', 'failed'].includes(s)),
      [],
      JSON.stringify(Object.fromEntries(states)),
    );
    const refunds = await server.ctx.db
      .selectFrom('ledger_entries')
      .select(['reference'])
      .where('kind', '=', 'order_refund')
      .where('reference', 'like', 'activation:%')
      .execute();
    const refundCount = new Map<string, number>();
    for (const r of refunds) refundCount.set(r.reference, (refundCount.get(r.reference) ?? 0) + 1);
    for (const row of rows) {
      const expected = ['cancelled', 'expired', 'failed'].includes(row.state) ? 1 : 0;
      assert.equal(
        refundCount.get(`activation:${row.id}`) ?? 0,
        expected,
        `activation ${row.id} (${row.state})`,
      );
    }
    for (const c of [...sandboxCustomers, ...fakeCustomers]) {
      const finished = rows.filter((r) => r.account_id === c.id && r.state === 'finished');
      const start = sandboxCustomers.includes(c) ? 10 * PRICE : 6 * FAKE_PRICE;
      const spent = finished.reduce((sum, r) => sum + r.price_paisa, 0);
      assert.equal(await balanceOf(server, c.id), start - spent, `account ${c.id}`);
    }
    assert.ok(
      (states.get('finished') ?? 0) >= SANDBOX_ACCOUNTS * 3,
      JSON.stringify(Object.fromEntries(states)),
    );
    assert.ok((states.get('cancelled') ?? 0) >= SANDBOX_ACCOUNTS * 3);
    assert.ok((states.get('expired') ?? 0) >= SANDBOX_ACCOUNTS * 2);
    assert.ok((states.get('failed') ?? 0) >= 3 + 2 + 3);

    assert.deepEqual(await runInvariantChecks(server.ctx.db, ledgerInvariants(productLines())), []);
    const check = await runOtpget(['ledger', 'check'], { DATABASE_URL: server.ctx.config.databaseUrl });
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /ledger check: clean/);
  });

  async function upstreamOrderId(publicId: string): Promise<string> {
    const row = await server.ctx.db
      .selectFrom('activations')
      .select('upstream_order_id')
      .where('public_id', '=', publicId)
      .executeTakeFirstOrThrow();
    return row.upstream_order_id as string;
  }
});
