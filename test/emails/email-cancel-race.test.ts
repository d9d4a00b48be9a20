/**
 * Identical cancelEmail requests racing on one order: exactly one answers the success (the refund,
 * or the code with the order completed), and every other gets exactly the reply a sequential
 * repeat of the request gets — so a client counting refunds by reply counts one.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { assertLedgerClean, deliver, EMAIL, type Json, orderLedger, poll } from './email-test-support.js';

const RACERS = 3;
const ROUNDS = 4;

describeEachDatabase('temp email API: identical cancels racing on one order', (kind) => {
  let server: TestServer;
  let apiKey: string;
  before(async () => {
    server = await startTestServer(kind);
    ({ apiKey } = await server.newAccount(10_000_000));
  });
  after(() => server.close());

  const call = (params: Record<string, string>) =>
    server.getJson<Json>(EMAIL, { api_key: apiKey, ...params });
  const buy = async () => (await call({ action: 'buyEmail', service_id: 'ig' })).email_id as string;
  const cancelAtOnce = (id: string) =>
    Promise.all(Array.from({ length: RACERS }, () => call({ action: 'cancelEmail', email_id: id })));

  it('refunds a waiting mailbox once, and the losers answer as a repeat does', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const id = await buy();
      const replies = await cancelAtOnce(id);
      const refunded = replies.filter((r) => r.status === '200');
      assert.equal(refunded.length, 1, `one success in round ${round}: ${JSON.stringify(replies)}`);
      assert.equal(refunded[0]?.refunded, 120);
      const repeat = await call({ action: 'cancelEmail', email_id: id });
      assert.deepEqual([repeat.status, repeat.message], ['300', 'Email activation already cancelled']);
      for (const loser of replies.filter((r) => r !== refunded[0])) assert.deepEqual(loser, repeat);
      assert.deepEqual(await orderLedger(server, id), [
        ['order_debit', -12_000],
        ['order_refund', 12_000],
      ]);
    }
    await assertLedgerClean(server);
  });

  it('completes a mailbox with a code once, and the losers answer as a repeat does', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const id = await buy();
      await deliver(server, id, `Instagram code 4${round}1 907`);
      await poll(server);
      const replies = await cancelAtOnce(id);
      const completed = replies.filter(
        (r) => r.message === 'Code already received. Email activation completed',
      );
      assert.equal(completed.length, 1, `one success in round ${round}: ${JSON.stringify(replies)}`);
      const repeat = await call({ action: 'cancelEmail', email_id: id });
      assert.deepEqual([repeat.status, repeat.message], ['200', 'Email activation already completed']);
      for (const loser of replies.filter((r) => r !== completed[0])) assert.deepEqual(loser, repeat);
      assert.deepEqual(await orderLedger(server, id), [['order_debit', -12_000]]);
    }
    await assertLedgerClean(server);
  });
});
