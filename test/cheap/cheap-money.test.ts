import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { balanceOf, cheap, deliver, ledgerProblems, parseBought } from './cheap-helpers.js';

const BUY = { action: 'buyNumber', server: '2', type: '1' };

describeEachDatabase('cheap numbers API: money under concurrency', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind);
  });
  after(() => server.close());

  it('never overspends, and refunds every cancelled or expired order exactly once, whatever races', async () => {
    // Each account can pay for two 50.00 numbers and tries five at once.
    const accounts = await Promise.all(Array.from({ length: 8 }, () => server.newAccount(12_000)));
    const replies = await Promise.all(
      accounts.flatMap((a) =>
        Array.from({ length: 5 }, async () => ({ a, reply: await cheap(server, a.apiKey, BUY) })),
      ),
    );
    const orders = replies
      .filter((r) => r.reply.startsWith('ORD_'))
      .map((r) => ({ ...r, ...parseBought(r.reply) }));
    assert.equal(orders.length, 16);
    assert.equal(replies.filter((r) => r.reply === 'LOW_BALANCE').length, 24);
    for (const a of accounts) assert.equal(await balanceOf(server, a.id), 2_000);

    // A quarter get a code; then, past the lock, everything races at once: double cancels,
    // completes, a poll and the expiry job (the clock is past the 900 s as well).
    const coded = orders.filter((_, i) => i % 4 === 0);
    for (const o of coded)
      await deliver(server, o.orderId, `Your code is ${o.orderId.slice(-6).replace(/\D/g, '7')}`);
    server.clock.advance(900_000);
    const call = (o: (typeof orders)[number], status: string) =>
      cheap(server, o.a.apiKey, { action: 'setStatus', id: o.orderId, status });
    await Promise.all([
      server.runJobs(),
      server.runJobs(),
      ...orders.flatMap((o, i) =>
        i % 2 === 0 ? [call(o, '8'), call(o, '8')] : [call(o, '6'), call(o, '8')],
      ),
    ]);
    await server.runJobs();

    const states = await Promise.all(
      orders.map((o) => cheap(server, o.a.apiKey, { action: 'getStatus', id: o.orderId })),
    );
    for (const [i, state] of states.entries()) {
      const o = orders[i];
      assert.ok(o);
      const got = coded.includes(o);
      assert.ok(got ? state.startsWith('STATUS_OK:') : state === 'STATUS_CANCEL', `${o.orderId}: ${state}`);
    }
    // Every account paid exactly for the numbers that delivered a code.
    for (const a of accounts) {
      const paid = coded.filter((o) => o.a.id === a.id).length * 5_000;
      assert.equal(await balanceOf(server, a.id), 12_000 - paid);
    }
    assert.deepEqual(await ledgerProblems(server), []);
  });
});
