import assert from 'node:assert/strict';
import { after, before, beforeEach, it } from 'node:test';
import { newActivationId } from '../../src/activations/public-id.js';
import { findOrder, orderTimeline } from '../../src/admin/orders.repository.js';
import { upsertPriceRow } from '../../src/catalog/catalog-admin.js';
import { routeProviderTypeAsOperator } from '../../src/catalog/catalog-admin.service.js';
import type { RoutePolicy } from '../../src/catalog/sms-routes.js';
import { setExchangeRateMicros } from '../../src/pricing/pricing.repository.js';
import { UpstreamError } from '../../src/providers/types.js';
import { insertUpstream } from '../../src/providers/upstreams.repository.js';
import { adminCall, signedInOperator } from '../admin/admin-client.js';
import { type FakeSmsActivate, startFakeSmsActivate } from '../fakes/sms-activate-fake.js';
import { runOtpgetInProcess } from '../helpers/cli.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { ledgerOf } from '../helpers/ledger.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { balanceOf, smsClient, tick } from './sms-helpers.js';

const TYPE = 3;
const BUY = { type: String(TYPE), country: '61', service: '101' };
/** 0.50 USD at 280 PKR/USD with no markup: the price set by the route head's offer. */
const PRICE = 14_000;

/**
 * Routing: provider type 3 buys Pakistan/Telegram from three scripted SMS-Activate upstreams
 * (a, b, c), each its own offer of the same key. One reservation, one debit, at most one refund,
 * whichever upstream sells; an unknown outcome stops the route.
 */
describeEachDatabase('SMS OTP routing across several upstreams', (kind) => {
  let server: TestServer;
  type Name = 'a' | 'b' | 'c' | 'd';
  const fakes: Record<Name, FakeSmsActivate> = {} as never;
  const ids: Record<Name, number> = { a: 0, b: 0, c: 0, d: 0 };
  const stamp = () => ({ actor: { operatorId: null, name: 'cli:test' }, now: server.clock.now() });
  const route = (names: string, policy: RoutePolicy = 'priority') =>
    routeProviderTypeAsOperator(server.ctx.db, stamp(), TYPE, names.split(','), policy);
  /** Our service 101 is the upstreams' "tg", 102 their "wa". */
  const codeOf = (service: number) => (service === 101 ? 'tg' : 'wa');
  const offer = (name: Name, cost: number, service = 101) =>
    upsertPriceRow(
      server.ctx.db,
      {
        type: TYPE,
        countryId: 61,
        serviceId: service,
        upstream: `route-${name}`,
        upstreamCountry: '0',
        upstreamService: codeOf(service),
        costMicros: cost,
      },
      server.clock.now(),
    );
  const stock = (name: Name, n: number, service = 101) => {
    fakes[name].setPrice('0', codeOf(service), '0.5');
    fakes[name].setStock('0', codeOf(service), n);
  };
  const bought = (name: Name) => fakes[name].count('getNumber');
  const NAMES = ['a', 'b', 'c', 'd'] as const;

  before(async () => {
    server = await startTestServer(kind);
    await setExchangeRateMicros(server.ctx.db, 'USD', 280_000_000, server.clock.now());
    for (const name of NAMES) {
      const fake = await startFakeSmsActivate({ now: () => server.clock.now() });
      fake.setBalance('1000');
      fakes[name] = fake;
      ids[name] = await insertUpstream(
        server.ctx.db,
        {
          name: `route-${name}`,
          kind: 'sms',
          protocol: 'sms-activate',
          baseUrl: fake.url,
          apiKey: fake.apiKey,
          currency: 'USD',
          timeoutMs: 500,
          enabled: name !== 'd', // d is switched off
        },
        server.clock.now(),
      );
    }
    await route('route-a,route-b,route-c');
    for (const name of NAMES) await offer(name, 500_000);
  });
  after(async () => {
    await server.close();
    for (const fake of Object.values(fakes)) await fake.close();
  });
  beforeEach(async () => {
    for (const name of NAMES) {
      fakes[name].clearFaults();
      stock(name, 100);
      await offer(name, 500_000);
    }
    await route('route-a,route-b,route-c');
  });

  async function customer() {
    const account = await server.newAccount(100_000);
    return { ...account, sms: smsClient(server, account.apiKey) };
  }
  const orderOf = (publicId: string) =>
    server.ctx.db
      .selectFrom('activations')
      .select(['id', 'upstream_id', 'state', 'upstream_order_id'])
      .where('public_id', '=', publicId)
      .executeTakeFirstOrThrow();

  it('shows one price per key, set by the route head, however many upstreams offer it', async () => {
    const { sms } = await customer();
    const services = await sms.call('getServices', { country: '61', type: String(TYPE) });
    assert.equal(services.match(/"101":/g)?.length, 1, services);
    assert.match(services, /"101":"Telegram - 140 PKR"/);
    const rows = await server.ctx.db
      .selectFrom('sms_prices')
      .select(['upstream_id', 'price_paisa', 'max_cost_micros'])
      .where('provider_type', '=', TYPE)
      .where('country_id', '=', 61)
      .where('service_id', '=', 101)
      .orderBy('upstream_id')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.upstream_id, r.price_paisa, r.max_cost_micros]),
      [
        [ids.a, PRICE, 500_000],
        [ids.b, null, 500_000],
        [ids.c, null, 500_000],
        [ids.d, null, null], // off the route: neither priced nor bought
      ],
    );
  });

  it('out of stock, then breaker open, then sold: one order charged once with the third upstream’s number', async () => {
    stock('a', 0);
    // Ten failed calls open b's breaker: from then on it refuses without a request.
    fakes.b.failNext('getNumber', 'http500', 10);
    const b = await server.ctx.providers.sms(ids.b);
    for (let i = 0; i < 10; i++)
      await assert.rejects(b.buyNumber({ country: '0', service: 'tg' }), UpstreamError);
    const before = { a: bought('a'), b: bought('b'), c: bought('c') };

    const { id, sms } = await customer();
    const order = await sms.buy(BUY);
    const row = await orderOf(order.id);
    assert.equal(row.upstream_id, ids.c);
    assert.equal(row.state, 'active');
    assert.ok(fakes.c.activations.has(row.upstream_order_id as string), 'c sold the number');
    assert.equal(fakes.c.activations.get(row.upstream_order_id as string)?.phone, order.phone);
    assert.deepEqual(
      { a: bought('a') - before.a, b: bought('b') - before.b, c: bought('c') - before.c },
      { a: 1, b: 0, c: 1 },
    );
    assert.equal(await balanceOf(server, id), 100_000 - PRICE);
    assert.deepEqual(
      (await ledgerOf(server.ctx, id)).slice(1).map((l) => [l.kind, l.amount]),
      [['order_debit', -PRICE]],
    );
    // Every hop the upstream saw shows on the order's timeline (b's breaker kept it from the wire).
    await server.ctx.upstreamCalls.flush();
    const calls = await server.ctx.db
      .selectFrom('upstream_calls')
      .select(['upstream_id', 'operation', 'outcome'])
      .where('order_ref', '=', `activation:${row.id}`)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      calls.map((c) => [c.upstream_id, c.operation, c.outcome]),
      [
        [ids.a, 'buyNumber', 'error'],
        [ids.c, 'buyNumber', 'ok'],
      ],
    );
    // The operator's timeline of the order names the upstream of each call.
    const summary = await findOrder(server.ctx.lines, server.ctx.db, 'sms', row.id);
    assert.ok(summary);
    assert.equal(summary.upstreamId, ids.c, 'the order shows the upstream that sold');
    const timeline = (await orderTimeline(server.ctx.lines, server.ctx.db, summary)).filter((e) =>
      e.what.startsWith('upstream '),
    );
    assert.match(timeline[0]?.detail ?? '', /^error in \d+ ms at route-a: .*NO_NUMBERS/);
    assert.match(timeline[1]?.detail ?? '', /^ok in \d+ ms at route-c$/);
    // The upstream that sold is the one polled: a code on c reaches the customer.
    fakes.c.deliverSms(row.upstream_order_id as string, 'Telegram code 51733');
    await tick(server);
    assert.equal(await sms.status(order.id), 'STATUS_OK:51733');
  });

  it('skips a switched-off upstream without calling it', async () => {
    stock('a', 0);
    await route('route-a,route-d,route-c');
    const before = bought('d');
    const { sms } = await customer();
    const order = await sms.buy(BUY);
    assert.equal((await orderOf(order.id)).upstream_id, ids.c);
    assert.equal(bought('d'), before);
  });

  it('answers NO_NUMBERS when every upstream is out of stock, and refunds the one debit', async () => {
    for (const name of NAMES) stock(name, 0);
    const { id, sms } = await customer();
    assert.equal(await sms.call('getNumber', BUY), 'NO_NUMBERS');
    assert.equal(await balanceOf(server, id), 100_000);
    assert.deepEqual(
      (await ledgerOf(server.ctx, id)).slice(1).map((l) => [l.kind, l.amount]),
      [
        ['order_debit', -PRICE],
        ['order_refund', PRICE],
      ],
    );
  });

  it('stops at a lost reply: no second purchase, and the order is reconciled against the upstream asked', async () => {
    const before = { a: bought('a'), b: bought('b'), c: bought('c') };
    fakes.a.loseNextReply('getNumber', 'timeout');
    const { id, sms } = await customer();
    assert.equal(await sms.call('getNumber', BUY), `ERROR_PROVIDER_${TYPE}:NO_REPLY`);
    assert.deepEqual(
      { a: bought('a') - before.a, b: bought('b') - before.b, c: bought('c') - before.c },
      { a: 1, b: 0, c: 0 },
    );
    assert.equal(await balanceOf(server, id), 100_000 - PRICE, 'held until reconciled');
    await tick(server, 125_000);
    assert.equal(await balanceOf(server, id), 100_000);
    await tick(server, 600_000);
    const ledger = await ledgerOf(server.ctx, id);
    assert.deepEqual(
      ledger.slice(1).map((l) => l.kind),
      ['order_debit', 'order_refund'],
    );
    const orders = await server.ctx.db
      .selectFrom('activations')
      .select(['state', 'upstream_id'])
      .where('account_id', '=', id)
      .execute();
    assert.deepEqual(orders, [{ state: 'failed', upstream_id: ids.a }]);
  });

  it("names the upstream asked on the order when a later hop's reply is lost", async () => {
    stock('a', 0);
    fakes.b.loseNextReply('getNumber', 'reset');
    const { id, sms } = await customer();
    assert.equal(await sms.call('getNumber', BUY), `ERROR_PROVIDER_${TYPE}:NO_REPLY`);
    const [order] = await server.ctx.db
      .selectFrom('activations')
      .select(['state', 'upstream_id'])
      .where('account_id', '=', id)
      .execute();
    assert.deepEqual(order, { state: 'pending', upstream_id: ids.b });
  });

  it('skips an upstream whose cost is above what the price covers', async () => {
    stock('a', 0);
    await offer('b', 900_000);
    await offer('c', 900_000);
    const before = { b: bought('b'), c: bought('c') };
    const { sms } = await customer();
    assert.equal(await sms.call('getNumber', BUY), 'NO_NUMBERS');
    assert.deepEqual({ b: bought('b') - before.b, c: bought('c') - before.c }, { b: 0, c: 0 });

    await offer('c', 450_000);
    const order = await sms.buy(BUY);
    assert.equal((await orderOf(order.id)).upstream_id, ids.c);
    const sent = fakes.c.requests.filter((r) => r.action === 'getNumber').at(-1);
    assert.equal(sent?.params.maxPrice, '0.5', 'c may charge up to what the price covers');
  });

  it('cheapest: asks the upstream with the lowest cost first', async () => {
    await offer('b', 400_000);
    await offer('c', 300_000);
    await route('route-a,route-b,route-c', 'cheapest');
    const before = { a: bought('a'), b: bought('b') };
    const { sms } = await customer();
    const order = await sms.buy(BUY);
    assert.equal((await orderOf(order.id)).upstream_id, ids.c);
    assert.deepEqual({ a: bought('a') - before.a, b: bought('b') - before.b }, { a: 0, b: 0 });
  });

  it('best: ranks by measured success rate, then median time to code', async () => {
    // WhatsApp (102), which no other test buys: a got a code on 1 of 4 orders; b and c on 4 of
    // 4, b in a minute, c in ten seconds.
    const now = server.clock.now();
    const account = await server.newAccount(0);
    const history = [
      ...Array.from({ length: 4 }, (_, i) => ({ upstream: ids.a, coded: i === 0, ms: 30_000 })),
      ...Array.from({ length: 4 }, () => ({ upstream: ids.b, coded: true, ms: 60_000 })),
      ...Array.from({ length: 4 }, () => ({ upstream: ids.c, coded: true, ms: 10_000 })),
    ];
    await server.ctx.db
      .insertInto('activations')
      .values(
        history.map((h, i) => ({
          public_id: newActivationId('sms'),
          line: 'sms' as const,
          account_id: account.id,
          upstream_id: h.upstream,
          upstream_order_id: `history-${i}`,
          upstream_country: '0',
          upstream_service: 'wa',
          upstream_cost_micros: 500_000,
          catalog_ref: 'type:3/country:61/service:102',
          phone: '790000000',
          state: h.coded ? ('finished' as const) : ('expired' as const),
          price_paisa: 0,
          code: h.coded ? '1234' : null,
          sms_text: null,
          code_received_at: h.coded ? now - 3_600_000 + h.ms : null,
          created_at: now - 3_600_000,
          expires_at: now - 2_400_000,
          cancel_allowed_at: now - 3_480_000,
          next_check_at: null,
          lease_until: null,
          updated_at: now,
        })),
      )
      .execute();
    for (const name of NAMES) {
      await offer(name, 500_000, 102);
      stock(name, 100, 102);
    }
    await route('route-a,route-b,route-c', 'best');
    const { sms } = await customer();
    const WHATSAPP = { ...BUY, service: '102' };
    const first = await sms.buy(WHATSAPP);
    assert.equal((await orderOf(first.id)).upstream_id, ids.c);
    stock('c', 0, 102);
    const before = bought('a');
    const second = await sms.buy(WHATSAPP);
    assert.equal((await orderOf(second.id)).upstream_id, ids.b, 'b next: as reliable as c, slower');
    assert.equal(bought('a'), before, 'a, the least reliable, was not needed');

    // The console shows the entry's figures, upstreams in the order they put them.
    const { token } = await signedInOperator(server);
    const view = await adminCall<{
      policy: string;
      entries: Array<{
        countryId: number;
        serviceId: number;
        service: string;
        upstreams: Array<{
          name: string;
          settled: number;
          successPercent: number;
          medianSecondsToCode: number;
        }>;
      }>;
    }>(server, token, 'GET', '/catalog/sms/routes/3/entries');
    assert.equal(view.status, 200);
    assert.equal(view.body.policy, 'best');
    const whatsapp = view.body.entries.find((e) => e.countryId === 61 && e.serviceId === 102);
    assert.equal(whatsapp?.service, 'WhatsApp');
    assert.deepEqual(
      whatsapp?.upstreams.map((u) => [u.name, u.settled, u.successPercent, u.medianSecondsToCode]),
      [
        ['route-c', 4, 83, 10],
        ['route-b', 4, 83, 60],
        ['route-a', 4, 33, 30],
      ],
    );
    const unknown = await adminCall(server, token, 'GET', '/catalog/sms/routes/9/entries');
    assert.equal(unknown.status, 404);
  });

  it('otpget provider route sets the route and policy; provider list shows them', async () => {
    const env = { DATABASE_URL: server.ctx.config.databaseUrl };
    const set = await runOtpgetInProcess(
      ['provider', 'route', String(TYPE), 'route-c,route-a', '--policy', 'cheapest'],
      env,
    );
    assert.equal(set.code, 0, set.stderr);
    assert.match(set.stdout, /type 3 buys from "route-c", then "route-a" \(cheapest\)/);
    const listed = await runOtpgetInProcess(['provider', 'list', '--json'], env);
    const three = listed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .find((t) => t.type === TYPE);
    assert.deepEqual(
      [three.upstream, three.route, three.policy],
      ['route-c', ['route-c', 'route-a'], 'cheapest'],
    );
    const refused = await runOtpgetInProcess(['provider', 'route', String(TYPE), 'route-a,nowhere'], env);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /no SMS upstream "nowhere"/);
    const badPolicy = await runOtpgetInProcess(
      ['provider', 'route', String(TYPE), 'route-a', '--policy', 'fastest'],
      env,
    );
    assert.equal(badPolicy.code, 2);
  });
});
