import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { buyActivation, cancelActivation } from '../../src/activations/activations.service.js';
import { deliverSandboxMessage } from '../../src/providers/sandbox/deliver.js';
import { findUpstreamByName } from '../../src/providers/upstreams.repository.js';
import { upstreamOrderResolvers } from '../../src/sandbox-order-resolvers.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { type PortalClient, portalLoginFor } from './portal-client.js';

/** The public ids in a history page's table, in order. */
const idsOn = (body: string) =>
  [...body.matchAll(/<tr data-state="[a-z_]+"><td[^>]*>[^<]*<\/td><td[^>]*><code>(\d+)</g)].map((m) => m[1]);
const olderLink = (body: string) =>
  /href="(\/dashboard\/orders\/sms\?[^"]*before=\d+)" rel="next"/.exec(body)?.[1];

describeEachDatabase('customer portal: order history per line', (kind) => {
  /** The account's balance in paisa, read from the database (the page is only the trigger). */
  const balance = async () => {
    const row = await server.ctx.db
      .selectFrom('accounts')
      .select('balance')
      .where('id', '=', customerId)
      .executeTakeFirstOrThrow();
    return Number(row.balance);
  };
  let customerId = 0;
  let server: TestServer;
  let client: PortalClient;
  const bought: string[] = [];
  const cancelled: string[] = [];
  let othersOrder = '';

  before(async () => {
    server = await startTestServer(kind);
    const sandbox = await findUpstreamByName(server.ctx.db, 'sandbox-sms');
    assert.ok(sandbox);
    const buy = async (accountId: number) => {
      const result = await buyActivation(server.ctx, accountId, {
        line: 'sms',
        routes: [
          {
            upstreamId: sandbox.id,
            upstreamCountry: '92',
            upstreamService: 'Telegram',
          },
        ],
        pricePaisa: 1_000,
        ttlSeconds: 1_200,
        catalogRef: 'type:1/country:61/service:101',
      });
      if (result.kind !== 'ok') throw new Error(result.kind);
      return result.activation.publicId;
    };
    const customer = await server.newAccount(100_000);
    customerId = customer.id;
    for (let i = 0; i < 25; i++) bought.push(await buy(customer.id));
    server.clock.advance(600_000); // past the cancel lock
    for (const id of bought.slice(3, 6)) {
      assert.equal(await cancelActivation(server.ctx, customer.id, 'sms', id), 'cancelled');
      cancelled.push(id);
    }
    othersOrder = await buy((await server.newAccount(10_000)).id);
    client = await portalLoginFor(server, customer.id);
  });
  after(() => server.close());

  it('lists the newest 20 orders, then the rest on the older page, each once, with its item in words', async () => {
    const first = await client.get('/dashboard/orders/sms');
    assert.equal(first.status, 200);
    const page1 = idsOn(first.body);
    assert.deepEqual(page1, [...bought].reverse().slice(0, 20));
    assert.match(first.body, /Telegram, Pakistan \(provider 1\)/);
    assert.match(first.body, /aria-current="page">SMS numbers</);
    const older = olderLink(first.body);
    assert.ok(older, 'a full page links to older orders');
    const second = await client.get(older.replaceAll('&amp;', '&'));
    const page2 = idsOn(second.body);
    assert.deepEqual(page2, [...bought].reverse().slice(20));
    assert.equal(olderLink(second.body), undefined, 'the last page has no older link');
    assert.ok(
      !page1.includes(othersOrder) && !page2.includes(othersOrder),
      "another customer's order is not shown",
    );
  });

  it("filters by state, in the line's own words, and ignores a state the line does not have", async () => {
    const filtered = await client.get('/dashboard/orders/sms?state=cancelled');
    assert.deepEqual(idsOn(filtered.body).sort(), [...cancelled].sort());
    assert.match(filtered.body, /<option value="cancelled" selected>Cancelled \(refunded\)<\/option>/);
    assert.equal(idsOn((await client.get('/dashboard/orders/sms?state=finished')).body).length, 0);
    assert.equal(idsOn((await client.get('/dashboard/orders/sms?state=bogus')).body).length, 20);
  });

  it('cancels a waiting number from its row, once, refunding it, and refuses without the page token', async () => {
    const waiting = bought.at(-1) ?? '';
    const page = await client.get('/dashboard/orders/sms?state=active');
    const action = `/dashboard/orders/sms/${waiting}/cancel`;
    assert.ok(page.body.includes(`action="${action}"`), 'a waiting number has a Cancel button');
    assert.ok(
      !page.body.includes(`/dashboard/orders/sms/${cancelled[0]}/cancel`),
      'a cancelled one has none',
    );
    const balanceBefore = await balance();

    const forged = await client.post(action, {}, { csrf: 'forged' });
    assert.notEqual(forged.status, 303, 'a post without the page token changes nothing');
    await client.get('/dashboard/orders/sms');
    const done = await client.post(action, {});
    assert.deepEqual([done.status, done.location], [303, '/dashboard/orders/sms?notice=cancelled']);
    const after = await client.get(done.location ?? '');
    assert.match(
      after.body,
      /class="alert success" role="status">Cancelled\. The price is back in your balance\./,
    );
    assert.equal(await balance(), balanceBefore + 1_000, 'the price came back once');
    const again = await client.post(action, {});
    assert.equal(again.location, '/dashboard/orders/sms?notice=closed');
    assert.equal(await balance(), balanceBefore + 1_000);
    const others = await client.post(`/dashboard/orders/sms/${othersOrder}/cancel`, {});
    assert.equal(
      others.location,
      '/dashboard/orders/sms?notice=not_found',
      "another customer's order is not found",
    );
  });

  it('completes a number whose code arrived from its row', async () => {
    const withCode = bought.at(-2) ?? '';
    await deliverSandboxMessage(server.ctx.db, upstreamOrderResolvers, {
      orderId: withCode,
      text: 'Your Telegram code is 55821',
      now: server.clock.now(),
    });
    server.clock.advance(5_000);
    await server.runJobs();
    const page = await client.get('/dashboard/orders/sms?state=code_received');
    const action = `/dashboard/orders/sms/${withCode}/complete`;
    assert.ok(page.body.includes(`action="${action}"`), 'a number with its code has a Done button');
    assert.ok(!page.body.includes(`/dashboard/orders/sms/${withCode}/cancel`), 'and no Cancel button');
    const done = await client.post(action, {});
    assert.equal(done.location, '/dashboard/orders/sms?notice=completed');
    assert.deepEqual(idsOn((await client.get('/dashboard/orders/sms?state=finished')).body), [withCode]);
  });

  it("shows each line's own tab, sends an unknown line to SMS and a signed-out visitor to log in", async () => {
    const email = await client.get('/dashboard/orders/email');
    assert.equal(email.status, 200);
    assert.match(email.body, /No orders yet\./);
    assert.match(email.body, /<option value="waiting">Waiting for mail<\/option>/);
    const unknown = await client.get('/dashboard/orders/nothing');
    assert.deepEqual([unknown.status, unknown.location], [303, '/dashboard/orders/sms']);
    const signedOut = await fetch(`${server.url}/dashboard/orders/sms`, { redirect: 'manual' });
    assert.deepEqual([signedOut.status, signedOut.headers.get('location')], [303, '/login']);
  });
});
