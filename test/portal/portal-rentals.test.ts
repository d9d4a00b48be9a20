import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { deliverSandboxMessage } from '../../src/providers/sandbox/deliver.js';
import { upstreamOrderResolvers } from '../../src/sandbox-order-resolvers.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { PortalClient, signedUpCustomer } from './portal-client.js';

describeEachDatabase('customer portal: rentals in the browser', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind);
  });
  after(() => server.close());

  const customer = (email: string, balancePaisa: number) => signedUpCustomer(server, email, balancePaisa);

  /** The first rent-form choice, e.g. `2:ca:720`, with its label. */
  function firstOffer(page: string): { value: string; label: string } {
    const match = /<select id="rental-offer" name="offer"><option value="([^"]+)">([^<]+)<\/option>/.exec(
      page,
    );
    assert.ok(match?.[1] && match[2], 'the dashboard offers rentals');
    return { value: match[1], label: match[2] };
  }

  it('rents a number, shows its inbox with a delivered code, and renews it', async () => {
    const client = await customer('rent-a@example.com', 10_000_00);
    const offer = firstOffer(client.lastPage);
    assert.match(offer.label, /^.+ — .+ — .+ — \d+\.\d\d PKR$/);
    const rented = await client.post('/dashboard/rentals', { offer: offer.value });
    assert.equal(rented.status, 303, rented.body.slice(0, 500));
    const inboxPath = (rented.location ?? '').replace('?rented=1', '');
    assert.match(inboxPath, /^\/dashboard\/rentals\/\d+$/);
    const orderId = inboxPath.split('/').pop() ?? '';
    const empty = await client.get(`${inboxPath}?rented=1`);
    assert.match(empty.body, /Rented for \d+\.\d\d PKR/);
    assert.match(empty.body, /No messages yet/);

    await deliverSandboxMessage(server.ctx.db, upstreamOrderResolvers, {
      orderId,
      text: 'Your WhatsApp code 740-279',
      now: server.clock.now(),
    });
    server.clock.advance(60_000);
    await server.runJobs();
    const inbox = await client.get(inboxPath);
    assert.match(inbox.body, /<tr data-message>.*Your WhatsApp code 740-279.*<strong>740279<\/strong>/s);

    const dashboard = await client.get('/dashboard');
    const row = new RegExp(
      `<tr data-rental="${orderId}" data-status="active">[\\s\\S]*?/dashboard/rentals/(\\d+)/renew`,
    ).exec(dashboard.body);
    assert.ok(row?.[1], 'an active rental has a renew form');
    // The renew form names each term's price, for the confirm step before it is sent.
    const hours = offer.value.split(':')[2] ?? '720';
    const price = /— (\d+\.\d\d) PKR$/.exec(offer.label)?.[1] ?? 'none';
    assert.match(
      dashboard.body,
      new RegExp(`<option value="${hours}" selected>[^<]+ — ${price} PKR</option>`),
    );
    assert.match(
      dashboard.body,
      /<form method="post" action="\/dashboard\/rentals" novalidate data-purchase="Rent"/,
    );
    const expiryBefore = await expiryOf(orderId);
    const renewed = await client.post(`/dashboard/rentals/${row[1]}/renew`, {
      duration_hours: offer.value.split(':')[2] ?? '720',
    });
    assert.equal(renewed.status, 303, renewed.body.slice(0, 500));
    assert.equal(renewed.location, '/dashboard?notice=renewed#rentals');
    assert.ok((await expiryOf(orderId)) > expiryBefore, 'the expiry moved on');
    assert.match((await client.get('/dashboard?notice=renewed')).body, /Rental renewed\./);
  });

  it('explains refusals without charging: no balance, a bad choice, a bad duration', async () => {
    const client = await customer('rent-b@example.com', 100);
    const offer = firstOffer(client.lastPage);
    const poor = await client.post('/dashboard/rentals', { offer: offer.value });
    assert.equal(poor.status, 400);
    assert.match(poor.body, /Insufficient balance\./);
    for (const bad of ['', 'nonsense', '99:zz:720']) {
      const result = await client.post('/dashboard/rentals', { offer: bad });
      assert.equal(result.status, 400, bad);
      assert.match(result.body, /Choose a country, server and duration\.|Invalid provider|No pricing found/);
    }
    assert.match((await client.get('/dashboard')).body, /<span id="balance">1\.00<\/span>/);
  });

  it('keeps rentals private and forms same-site', async () => {
    const owner = await customer('rent-owner@example.com', 10_000_00);
    const rented = await owner.post('/dashboard/rentals', { offer: firstOffer(owner.lastPage).value });
    const orderId = (rented.location ?? '').split('/').pop()?.replace('?rented=1', '') ?? '';
    const rentalId =
      /\/dashboard\/rentals\/(\d+)\/renew/.exec((await owner.get('/dashboard')).body)?.[1] ?? '';
    const other = await customer('rent-other@example.com', 10_000_00);
    assert.equal((await other.get(`/dashboard/rentals/${orderId}`)).status, 404);
    const renew = await other.post(`/dashboard/rentals/${rentalId}/renew`, { duration_hours: '720' });
    assert.equal(renew.status, 400);
    assert.match(renew.body, /Rental not found or does not belong to you\./);
    const anonymous = new PortalClient(server.url);
    assert.equal((await anonymous.get(`/dashboard/rentals/${orderId}`)).location, '/login');
    const forged = await owner.post(
      `/dashboard/rentals/${rentalId}/renew`,
      { duration_hours: '720' },
      { csrf: null },
    );
    assert.equal(forged.status, 403);
  });

  it('renews from the order history and comes back to it; another customer sees no renew form', async () => {
    const client = await customer('rent-history@example.com', 10_000_00);
    const offer = firstOffer(client.lastPage);
    const rented = await client.post('/dashboard/rentals', { offer: offer.value });
    const orderId = (rented.location ?? '').split('/').pop()?.replace('?rented=1', '') ?? '';
    const history = await client.get('/dashboard/orders/rental');
    const form = new RegExp(
      `<code>${orderId}</code>[\\s\\S]*?<form method="post" action="/dashboard/rentals/(\\d+)/renew"[^>]*>[\\s\\S]*?name="back" value="history"`,
    ).exec(history.body);
    assert.ok(form?.[1], 'the active rental row has a renew form that returns to the history');
    const hours = offer.value.split(':')[2] ?? '720';
    const expiryBefore = await expiryOf(orderId);
    const renewed = await client.post(`/dashboard/rentals/${form[1]}/renew`, {
      duration_hours: hours,
      back: 'history',
    });
    assert.equal(renewed.status, 303, renewed.body.slice(0, 500));
    assert.equal(renewed.location, '/dashboard/orders/rental?notice=renewed');
    assert.ok((await expiryOf(orderId)) > expiryBefore, 'the expiry moved on');
    assert.match((await client.get('/dashboard/orders/rental?notice=renewed')).body, /Rental renewed\./);

    const other = await customer('rent-history-other@example.com', 10_000_00);
    assert.doesNotMatch((await other.get('/dashboard/orders/rental')).body, new RegExp(orderId));
  });

  async function expiryOf(orderId: string): Promise<number> {
    const row = await server.ctx.db
      .selectFrom('rentals')
      .select('expiry_time')
      .where('order_id', '=', orderId)
      .executeTakeFirstOrThrow();
    return Number(row.expiry_time);
  }
});
