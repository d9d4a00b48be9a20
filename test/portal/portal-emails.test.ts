import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { blockAccount } from '../../src/accounts/accounts.service.js';
import { deliverSandboxMessage } from '../../src/providers/sandbox/deliver.js';
import { upstreamOrderResolvers } from '../../src/sandbox-order-resolvers.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { PortalClient, signedUpCustomer } from './portal-client.js';

describeEachDatabase('customer portal: temporary email in the browser', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind);
  });
  after(() => server.close());

  const customer = (email: string, balancePaisa: number) => signedUpCustomer(server, email, balancePaisa);

  const offerFor = (page: string, service: string) => {
    const match = new RegExp(`<option value="(1:${service}:gmail\\.com)">`).exec(page);
    assert.ok(match?.[1], `the dashboard offers ${service}`);
    return match[1];
  };

  it('buys a mailbox, shows the code when the letter comes, and keeps it on completion', async () => {
    const client = await customer('mail-a@example.com', 100_000);
    const bought = await client.post('/dashboard/emails', { offer: offerFor(client.lastPage, 'ig') });
    assert.equal(bought.status, 303, bought.body.slice(0, 400));
    const path = bought.location ?? '';
    const emailId = path.split('/').pop() ?? '';
    const waiting = await client.get(path);
    assert.match(waiting.body, /<span data-email-state>waiting<\/span>/);
    assert.match(waiting.body, /http-equiv="refresh"/);
    await deliverSandboxMessage(server.ctx.db, upstreamOrderResolvers, {
      orderId: emailId,
      text: 'Your Instagram code is 482913',
      sender: 'security@mail.instagram.com',
      now: server.clock.now(),
    });
    server.clock.advance(5_000);
    await server.runJobs();
    const received = await client.get(path);
    assert.match(received.body, /data-code="482913"/);
    assert.doesNotMatch(received.body, /http-equiv="refresh"/);
    const done = await client.post(`${path}/cancel`, {});
    assert.equal(done.status, 200);
    assert.match(done.body, /Done: the code is kept below\./);
  });

  it('cancels a waiting mailbox with a refund, and refuses what it cannot sell', async () => {
    const client = await customer('mail-b@example.com', 100_000);
    const bought = await client.post('/dashboard/emails', { offer: offerFor(client.lastPage, 'tg') });
    const path = bought.location ?? '';
    const before = /<span id="balance">([\d.]+)<\/span>/.exec((await client.get('/dashboard')).body)?.[1];
    assert.notEqual(before, '1000.00', 'the purchase was charged');
    await client.get(path);
    const cancelled = await client.post(`${path}/cancel`, {});
    assert.match(cancelled.body, /Cancelled\. The price is back in your balance\./);
    assert.match((await client.get('/dashboard')).body, /<span id="balance">1000\.00<\/span>/);
    for (const offer of ['', '1:zz:gmail.com', '3:x']) {
      const refused = await client.post('/dashboard/emails', { offer });
      assert.equal(refused.status, 400, offer);
      assert.match(refused.body, /Choose a service or a domain\.|Service not available|No stock available/);
    }
    const poor = await customer('mail-poor@example.com', 0);
    const noMoney = await poor.post('/dashboard/emails', { offer: offerFor(poor.lastPage, 'ig') });
    assert.equal(noMoney.status, 400);
    assert.match(noMoney.body, /Insufficient balance\. Need: \d+\.\d\d — Have: 0\.00/);
  });

  it('refuses a blocked account and charges nothing', async () => {
    const client = await customer('mail-blocked@example.com', 100_000);
    const offer = offerFor(client.lastPage, 'ig');
    const login = await server.ctx.db
      .selectFrom('customer_logins')
      .select('account_id')
      .where('email', '=', 'mail-blocked@example.com')
      .executeTakeFirstOrThrow();
    await blockAccount(server.ctx.db, server.clock, Number(login.account_id));
    await client.get('/dashboard');
    const refused = await client.post('/dashboard/emails', { offer });
    assert.equal(refused.status, 403);
    assert.match(refused.body, /Your account is blocked\./);
    assert.match((await client.get('/dashboard')).body, /<span id="balance">1000\.00<\/span>/);
  });

  it('keeps mailboxes private', async () => {
    const owner = await customer('mail-owner@example.com', 100_000);
    const path =
      (await owner.post('/dashboard/emails', { offer: offerFor(owner.lastPage, 'ig') })).location ?? '';
    const other = await customer('mail-other@example.com', 0);
    assert.equal((await other.get(path)).status, 404);
    assert.equal((await other.post(`${path}/cancel`, {})).status, 404);
    assert.equal((await new PortalClient(server.url).get(path)).location, '/login');
    assert.equal((await owner.post(`${path}/cancel`, {}, { csrf: null })).status, 403);
    assert.match((await owner.get(path)).body, /<span data-email-state>waiting<\/span>/);
  });
});
