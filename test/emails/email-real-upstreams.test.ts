/**
 * The temp email line over the real upstream adapters (kopeechka and SMS-Activate email v2),
 * each against its scripted fake upstream on 127.0.0.1.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { reconcileDelayMs } from '../../src/orders/reconcile.js';
import { type EmailFake, startFakeKopeechka, startFakeSmsActivateEmail } from '../fakes/email-fakes.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  assertLedgerClean,
  balanceOf,
  EMAIL,
  type Json,
  orderLedger,
  poll,
  serveFromUpstream,
} from './email-test-support.js';

const UPSTREAMS = [
  { protocol: 'kopeechka', start: () => startFakeKopeechka() },
  { protocol: 'sms-activate-email', start: () => startFakeSmsActivateEmail() },
];

for (const upstream of UPSTREAMS) {
  describeEachDatabase(`temp email API over the ${upstream.protocol} adapter`, (kind) => {
    let server: TestServer;
    let fake: EmailFake;
    let apiKey: string;
    let accountId: number;
    const call = (params: Record<string, string>) =>
      server.getJson<Json>(EMAIL, { api_key: apiKey, ...params });
    const upstreamIdOf = async (emailId: string) =>
      (
        await server.ctx.db
          .selectFrom('email_orders')
          .select('upstream_order_id')
          .where('id', '=', Number(emailId))
          .executeTakeFirstOrThrow()
      ).upstream_order_id as string;

    before(async () => {
      fake = await upstream.start();
      server = await startTestServer(kind);
      for (const emailServer of [1, 2] as const) {
        await serveFromUpstream(server, emailServer, {
          name: `${upstream.protocol}-${emailServer}`,
          protocol: upstream.protocol,
          baseUrl: fake.url,
          apiKey: fake.token,
          timeoutMs: 2_000,
        });
      }
      ({ apiKey, id: accountId } = await server.newAccount(1_000_000));
    });
    after(async () => {
      await server.close();
      await fake.close();
    });

    it("shows the upstream's own stock for the site on server 2, with our prices", async () => {
      const reply = await call({ action: 'getEmailServices', server: '2', site: 'telegram.org' });
      // gmail.com 120 and outlook.com 40 in stock upstream; mail.com sold out; gmx/hotmail not offered.
      assert.deepEqual(reply, {
        status: '200',
        server: 2,
        count: 2,
        domains: [
          { domain: 'gmail.com', price: 15.6, count: 120 },
          { domain: 'outlook.com', price: 3.9, count: 40 },
        ],
      });
      assert.equal(fake.requests.at(-1)?.action, 'domains');
    });

    it('buys on server 1 with the service site and server 2 with the customer site, and delivers the code', async () => {
      const one = await call({ action: 'buyEmail', service_id: 'ig' });
      assert.equal(one.status, '200', JSON.stringify(one));
      const two = await call({
        action: 'buyEmail',
        server: '2',
        domain: 'outlook.com',
        site: 'Telegram.org',
      });
      assert.equal(two.status, '200', JSON.stringify(two));
      const boxOne = fake.mailbox(await upstreamIdOf(one.email_id as string));
      const boxTwo = fake.mailbox(await upstreamIdOf(two.email_id as string));
      assert.deepEqual(
        [boxOne?.site, boxOne?.domain, boxOne?.email],
        ['instagram.com', 'gmail.com', one.email],
      );
      assert.deepEqual(
        [boxTwo?.site, boxTwo?.domain, boxTwo?.email],
        ['telegram.org', 'outlook.com', two.email],
      );
      assert.equal(fake.count('buy'), 2);

      fake.deliverEmail(boxOne?.id ?? '', {
        from: 'security@mail.instagram.com',
        subject: 'Confirm your account',
        html: '<table><tr><td style="font-size:32px;color:#262626">550 912</td></tr></table><p>is your Instagram code.</p>',
      });
      assert.equal((await call({ action: 'getEmailCode', email_id: one.email_id as string })).status, '202');
      await poll(server);
      const code = await call({ action: 'getEmailCode', email_id: one.email_id as string });
      assert.deepEqual([code.status, code.code], ['200', '550912']);
      assert.equal((await call({ action: 'getEmailCode', email_id: two.email_id as string })).status, '202');
    });

    it('cancels upstream before refunding, and refunds an expired mailbox once the upstream let it go', async () => {
      const before = await balanceOf(server, accountId);
      const cancelled = (await call({ action: 'buyEmail', server: '2', domain: 'gmail.com', site: 'x.com' }))
        .email_id as string;
      const expiring = (await call({ action: 'buyEmail', service_id: 'tg' })).email_id as string;
      const reply = await call({ action: 'cancelEmail', email_id: cancelled });
      assert.deepEqual([reply.status, reply.refunded], ['200', 15.6]);
      assert.equal(fake.mailbox(await upstreamIdOf(cancelled))?.status, 'cancelled');

      // Both mailboxes due at expiry (this one and the outlook.com one bought above) fail to cancel once.
      fake.failNext('cancel', 'http500', 2);
      server.clock.advance(1_200_000);
      await server.runJobs();
      assert.equal(
        (await call({ action: 'getEmailCode', email_id: expiring })).status,
        '202',
        'kept while upstream fails',
      );
      await poll(server);
      assert.equal((await call({ action: 'getEmailCode', email_id: expiring })).status, '300');
      assert.equal(fake.mailbox(await upstreamIdOf(expiring))?.status, 'cancelled');
      // Both refunded, and the outlook.com mailbox bought above (3.90) expired and was refunded too.
      assert.equal(await balanceOf(server, accountId), before + 390);
    });

    it('hands over a letter that arrived just as the customer cancelled', async () => {
      const id = (await call({ action: 'buyEmail', service_id: 'dr' })).email_id as string;
      fake.deliverEmail(await upstreamIdOf(id), {
        from: 'noreply@tm.openai.com',
        subject: 'Your ChatGPT code',
        text: 'Your ChatGPT code is 304 118',
      });
      const reply = await call({ action: 'cancelEmail', email_id: id });
      assert.deepEqual([reply.status, reply.code], ['200', '304118']);
      assert.deepEqual(await orderLedger(server, id), [['order_debit', -8_000]]);
    });

    it('maps upstream refusals and refunds; a lost purchase reply is refunded by the worker', async () => {
      const before = await balanceOf(server, accountId);
      fake.failNext('buy', 'OUT_OF_STOCK');
      const out = await call({ action: 'buyEmail', server: '2', domain: 'gmail.com', site: 'x.com' });
      assert.deepEqual(out, { status: '404', message: 'No stock available' });
      fake.failNext('buy', 'http500');
      assert.deepEqual(await call({ action: 'buyEmail', service_id: 'ig' }), {
        status: '500',
        message: 'API connection error',
      });
      assert.equal(await balanceOf(server, accountId), before);

      fake.failNext('buy', 'lost-reply');
      const lost = await call({ action: 'buyEmail', service_id: 'ig' });
      assert.deepEqual(lost, { status: '500', message: 'API connection error' });
      assert.equal(await balanceOf(server, accountId), before - 12_000);
      server.clock.advance(reconcileDelayMs(2_000));
      await server.runJobs();
      assert.equal(await balanceOf(server, accountId), before);
      await assertLedgerClean(server);
    });
  });
}
