import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { productLines } from '../../src/app.js';
import { ledgerInvariants } from '../../src/wallet/invariants.js';
import { runInvariantChecks } from '../../src/wallet/ledger-check.js';
import type { FakeFault, FakeSmsActivate } from '../fakes/sms-activate-fake.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { balanceOf, fakeUpstreamForType2, smsClient } from '../sms/sms-helpers.js';

/**
 * Upstream faults on the SMS OTP API's SMS-Activate-protocol upstream (the fake): each fault gets
 * the documented customer reply and leaves the wallet where it should be (refunded at once for a
 * definite failure; held, then refunded by the reconciler, for an unknown outcome). Then the
 * circuit breaker: after repeated outages purchases fail fast without reaching the upstream and
 * without charging, polls stop reaching it, a probe after the cool-down reopens or closes it.
 * (The rental and email lines' fault cases live in their own suites: test/rentals, test/emails.)
 */
describeEachDatabase('hardening: upstream faults and the circuit breaker', (kind) => {
  let server: TestServer;
  let fake: FakeSmsActivate;
  const PRICE = 14_000; // 0.5 USD × 280
  const buy = { service: '101', country: '61', type: '2' };

  before(async () => {
    server = await startTestServer(kind);
    fake = await fakeUpstreamForType2(server, { timeoutMs: 400, stocked: true });
  });
  after(async () => {
    await server.close();
    await fake.close();
  });

  it('answers each upstream fault with the documented reply and keeps the wallet right', async () => {
    const account = await server.newAccount(20 * PRICE);
    const sms = smsClient(server, account.apiKey);
    const definite: FakeFault[] = [
      'http500',
      'garbage',
      'html',
      { status: 502, body: '<html>Bad gateway</html>' },
    ];
    const unknown: Array<'timeout' | 'reset' | { slowMs: number }> = ['timeout', 'reset', { slowMs: 1_500 }];
    const tried: string[] = [];
    for (const fault of definite) {
      fake.failNext('getNumber', fault);
      const reply = await sms.call('getNumber', buy);
      assert.match(reply, /^ERROR_PROVIDER_2:/, JSON.stringify(fault));
      // The reference appends the upstream's raw reply after the colon: one line, at most 200 characters.
      assert.doesNotMatch(reply, /[\r\n]/);
      assert.ok(reply.length <= 'ERROR_PROVIDER_2:'.length + 200, reply);
      assert.equal(
        await balanceOf(server, account.id),
        20 * PRICE,
        `refunded at once after ${JSON.stringify(fault)}`,
      );
      tried.push(`${JSON.stringify(fault)} → ${reply}`);
    }
    for (const fault of unknown) {
      if (typeof fault === 'string') fake.loseNextReply('getNumber', fault);
      else fake.failNext('getNumber', fault);
      const reply = await sms.call('getNumber', buy);
      assert.equal(reply, 'ERROR_PROVIDER_2:NO_REPLY', JSON.stringify(fault));
      tried.push(`${JSON.stringify(fault)} → ${reply}`);
    }
    // Unknown outcomes stay charged until the reconciler settles them, then are refunded once.
    assert.equal(await balanceOf(server, account.id), 20 * PRICE - unknown.length * PRICE);
    server.clock.advance(10 * 60_000);
    await server.runJobs();
    assert.equal(
      await balanceOf(server, account.id),
      20 * PRICE,
      'held purchases refunded by the reconciler',
    );
    // The price rises between listing and purchase: refused, nothing charged.
    fake.setPrice('0', 'tg', '0.9');
    const changed = await sms.call('getNumber', buy);
    fake.setPrice('0', 'tg', '0.5');
    tried.push(`price 0.5 → 0.9 → ${changed}`);
    assert.ok(changed === 'ERROR_PRICE_CHANGE' || changed === 'NO_NUMBERS', changed);
    assert.equal(await balanceOf(server, account.id), 20 * PRICE);
    assert.deepEqual(await runInvariantChecks(server.ctx.db, ledgerInvariants(productLines())), []);
    console.log(
      `[faults ${kind.name}] tried ${tried.length} fault cases: ${tried.join('; ')}; wallet exact, ledger clean`,
    );
  });

  it('opens the breaker after repeated outages, fails purchases fast and free, probes and recovers', async () => {
    const account = await server.newAccount(20 * PRICE);
    const sms = smsClient(server, account.apiKey);
    fake.clearFaults();
    const live = await sms.buy(buy);
    const start = await balanceOf(server, account.id);
    fake.failNext('getNumber', 'http500', 10);
    for (let i = 0; i < 10; i++) assert.match(await sms.call('getNumber', buy), /^ERROR_PROVIDER_2:/);
    const reached = fake.count('getNumber');
    // Open: refused without reaching the upstream, nothing charged, and polls skip it.
    const polls = fake.count('getStatus') + fake.count('getActiveActivations');
    for (let i = 0; i < 5; i++) {
      assert.equal(await sms.call('getNumber', buy), 'ERROR_PROVIDER_2:UPSTREAM_UNAVAILABLE');
    }
    server.clock.advance(5_000);
    await server.runJobs();
    assert.equal(fake.count('getNumber'), reached, 'no purchase reached the upstream while open');
    assert.equal(fake.count('getStatus') + fake.count('getActiveActivations'), polls, 'no poll reached it');
    assert.equal(await balanceOf(server, account.id), start);
    assert.equal(await sms.status(live.id), 'STATUS_WAIT_CODE');
    // Cool-down over: one probe goes through; it fails, so the breaker opens again.
    server.clock.advance(30_000);
    fake.failNext('getNumber', 'http500', 1);
    assert.match(await sms.call('getNumber', buy), /^ERROR_PROVIDER_2:/);
    assert.equal(fake.count('getNumber'), reached + 1);
    assert.equal(await sms.call('getNumber', buy), 'ERROR_PROVIDER_2:UPSTREAM_UNAVAILABLE');
    // Next cool-down: the probe succeeds and the breaker closes.
    server.clock.advance(30_000);
    await sms.buy(buy);
    await sms.buy(buy);
    assert.equal(fake.count('getNumber'), reached + 3);
    assert.equal(await balanceOf(server, account.id), (start as number) - 2 * PRICE);
    assert.deepEqual(await runInvariantChecks(server.ctx.db, ledgerInvariants(productLines())), []);
    console.log(
      `[breaker ${kind.name}] 10 outages opened it; 6 purchases refused without reaching the upstream or charging; ` +
        'polls skipped; a failed probe reopened it; a good probe closed it; ledger clean',
    );
  });
});
