import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { sql } from 'kysely';
import { blockAccount } from '../../src/accounts/accounts.service.js';
import { UpstreamError } from '../../src/providers/types.js';
import { updateUpstream } from '../../src/providers/upstreams.repository.js';
import { updateRentalServer } from '../../src/rentals/catalog.repository.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  assertError,
  assertFields,
  call,
  RENTAL,
  SHAPES,
  scriptedSandboxFactories,
} from './rental-helpers.js';

describeEachDatabase('Rental API: catalog actions and shared errors', (kind) => {
  let server: TestServer;
  let apiKey: string;
  const scripted = scriptedSandboxFactories();
  before(async () => {
    server = await startTestServer(kind, { factories: scripted.factories });
    ({ apiKey } = await server.newAccount(0));
  });
  after(() => server.close());

  it('getRentalCountries provider=2 answers the reference example exactly', async () => {
    const reply = await call(server, { api_key: apiKey, action: 'getRentalCountries', provider: '2' });
    assertFields(reply, { status: 'string', countries: 'array' });
    assert.equal(reply.status, '200');
    const countries = reply.countries as unknown[];
    for (const c of countries) assertFields(c, SHAPES.country, 'country');
    assert.deepEqual(countries, [
      { id: '1', provider: '2', name: 'Canada', country_code: 'ca' },
      { id: '6', provider: '2', name: 'United States of America', country_code: 'us' },
    ]);
  });

  it('getRentalCountries without provider lists every server, and provider=1 only Server 1', async () => {
    const all = await call(server, { api_key: apiKey, action: 'getRentalCountries' });
    const ids = (all.countries as Array<{ id: string; provider: string }>).map(
      (c) => `${c.provider}/${c.id}`,
    );
    assert.deepEqual(ids, ['1/2', '1/3', '1/4', '1/5', '2/1', '2/6']);
    const one = await call(server, { api_key: apiKey, action: 'getRentalCountries', provider: '1' });
    assert.ok((one.countries as Array<{ provider: string }>).every((c) => c.provider === '1'));
    assert.equal((one.countries as unknown[]).length, 4);
  });

  it('getRentalPricing answers the reference tiers with string durations and prices', async () => {
    const reply = await call(server, {
      api_key: apiKey,
      action: 'getRentalPricing',
      country_code: 'ca',
      provider: '2',
    });
    assertFields(reply, { status: 'string', pricing: 'array' });
    const pricing = reply.pricing as unknown[];
    for (const p of pricing) assertFields(p, SHAPES.tier, 'tier');
    assert.deepEqual(pricing.slice(0, 2), [
      { id: '1', duration_hours: '720', price: '840.00', country_name: 'Canada' },
      { id: '2', duration_hours: '4320', price: '5040.00', country_name: 'Canada' },
    ]);
    assert.deepEqual(pricing[2], {
      id: '3',
      duration_hours: '8640',
      price: '10080.00',
      country_name: 'Canada',
    });
    const upper = await call(server, {
      api_key: apiKey,
      action: 'getRentalPricing',
      country_code: 'CA',
      provider: '2',
    });
    assert.deepEqual(upper, reply, 'the country code is case-insensitive');
    const short = await call(server, {
      api_key: apiKey,
      action: 'getRentalPricing',
      country_code: 'gb',
      provider: '1',
    });
    assert.deepEqual(
      (short.pricing as Array<{ duration_hours: string }>).map((p) => p.duration_hours),
      ['12', '24', '168', '720'],
    );
  });

  it('getAvailableRentals answers area fields with numeric stock and min_month', async () => {
    const reply = await call(server, {
      api_key: apiKey,
      action: 'getAvailableRentals',
      country_code: 'ca',
      provider: '2',
    });
    assertFields(reply, { status: 'string', available: 'array' });
    const [area] = reply.available as unknown[];
    assertFields(area, SHAPES.availability, 'availability');
    assert.deepEqual(area, { area_code: 'ca', area_title: 'Canada', available: 3338, min_month: 1 });
    const shortTerm = await call(server, {
      api_key: apiKey,
      action: 'getAvailableRentals',
      country_code: 'de',
      provider: '1',
    });
    assert.equal(
      (shortTerm.available as Array<{ min_month: number }>)[0]?.min_month,
      0,
      'less than a month is allowed',
    );
  });

  it('getAvailableRentals maps an upstream failure to 502 and caches a good answer briefly', async () => {
    server.clock.advance(60_000);
    scripted.failNext('getAvailability', new UpstreamError('unavailable', 'HTTP 500'));
    const failed = await call(server, {
      api_key: apiKey,
      action: 'getAvailableRentals',
      country_code: 'nl',
      provider: '1',
    });
    assertError(failed, '502', 'Server 1 error: the provider is not responding, please try again later.');
    const before = scripted.calls.getAvailability ?? 0;
    for (let i = 0; i < 3; i++) {
      const ok = await call(server, {
        api_key: apiKey,
        action: 'getAvailableRentals',
        country_code: 'nl',
        provider: '1',
      });
      assert.equal(ok.status, '200');
    }
    assert.equal(scripted.calls.getAvailability, before + 1, 'one upstream call for three customer calls');
  });

  it('names the missing parameter, in the documented order', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ action: 'getRentalPricing', provider: '2' }, 'country_code is required.'],
      [{ action: 'getRentalPricing', country_code: 'ca' }, 'provider is required.'],
      [{ action: 'getRentalPricing', country_code: ' ', provider: '2' }, 'country_code is required.'],
      [{ action: 'getAvailableRentals', provider: '2' }, 'country_code is required.'],
      [{ action: 'getAvailableRentals', country_code: 'ca' }, 'provider is required.'],
      [{ action: 'rentNumber' }, 'country_code is required.'],
      [{ action: 'rentNumber', country_code: 'ca' }, 'provider is required.'],
      [{ action: 'rentNumber', country_code: 'ca', provider: '2' }, 'duration_hours is required.'],
      [{ action: 'getRentalSMS' }, 'order_id is required.'],
      [{ action: 'renewRental', duration_hours: '720' }, 'rental_id is required.'],
      [{ action: 'renewRental', rental_id: '5' }, 'duration_hours is required.'],
    ];
    for (const [params, message] of cases) {
      assertError(await call(server, { api_key: apiKey, ...params }), '400', message);
    }
  });

  it('refuses an unknown provider and unknown countries', async () => {
    for (const provider of ['3', 'abc', '0', '-1']) {
      assertError(
        await call(server, { api_key: apiKey, action: 'getRentalPricing', country_code: 'ca', provider }),
        '400',
        'Invalid provider. Use provider=1 or provider=2.',
      );
    }
    assertError(
      await call(server, { api_key: apiKey, action: 'getRentalCountries', provider: '9' }),
      '400',
      'Invalid provider. Use provider=1 or provider=2.',
    );
    for (const [country, provider] of [
      ['zz', '2'],
      ['gb', '2'],
      ['ca', '1'],
    ]) {
      assertError(
        await call(server, {
          api_key: apiKey,
          action: 'getRentalPricing',
          country_code: country as string,
          provider: provider as string,
        }),
        '404',
        'No pricing found for this country and provider.',
      );
      assertError(
        await call(server, {
          api_key: apiKey,
          action: 'getAvailableRentals',
          country_code: country as string,
          provider: provider as string,
        }),
        '404',
        'No pricing found for this country and provider.',
      );
    }
  });

  it('answers 401 for a bad key, 403 for a blocked account and 400 for an unknown action', async () => {
    const keyless: Array<Record<string, string>> = [
      { action: 'getRentalCountries' },
      { api_key: 'nope', action: 'getRentalCountries' },
    ];
    for (const params of keyless) {
      const response = await fetch(`${server.url}${RENTAL}?${new URLSearchParams(params)}`);
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
      assertError(await response.json(), '401', 'Invalid API key.');
    }
    assertError(
      await call(server, { api_key: apiKey, action: 'getRentals' }),
      '400',
      'Unknown action: getRentals',
    );
    assertError(await call(server, { api_key: apiKey }), '400', 'Unknown action: (none)');
    assertError(
      await call(server, { api_key: apiKey, action: 'constructor' }),
      '400',
      'Unknown action: constructor',
    );
    const blocked = await server.newAccount(100_000);
    await blockAccount(server.ctx.db, server.clock, blocked.id);
    server.ctx.auth.forget();
    for (const action of ['getRentalCountries', 'rentNumber', 'nothing']) {
      assertError(
        await call(server, { api_key: blocked.apiKey, action }),
        '403',
        'Account is blocked or inactive.',
      );
    }
  });

  it('answers 500 with generic words when something unexpected fails, and 429 over the rate limit', async () => {
    const db = server.ctx.db;
    await sql`ALTER TABLE rental_countries RENAME TO rental_countries_away`.execute(db);
    try {
      const reply = await call(server, { api_key: apiKey, action: 'getRentalCountries' });
      assertError(reply, '500', 'Internal error: the request could not be completed. Please try again.');
      assert.doesNotMatch(JSON.stringify(reply), /rental_countries|SQL|relation|table/i);
    } finally {
      await sql`ALTER TABLE rental_countries_away RENAME TO rental_countries`.execute(db);
    }
    const limited = await startTestServer(kind, { env: { OTPGET_RATE_LIMIT_PER_KEY: '2' } });
    try {
      const { apiKey: key } = await limited.newAccount(0);
      // One-second windows: six calls at once, at most two per window can pass.
      const replies = await Promise.all(
        Array.from({ length: 6 }, () => call(limited, { api_key: key, action: 'getMyRentals' })),
      );
      const refused = replies.filter((r) => r.status === '429');
      assert.ok(refused.length >= 2, `${refused.length} of 6 refused`);
      for (const r of refused) assertError(r, '429', 'Too many requests. Please slow down.');
    } finally {
      await limited.close();
    }
  });

  it('accepts POST form bodies like GET', async () => {
    const body = await server.post(RENTAL, { api_key: apiKey, action: 'getRentalCountries', provider: '2' });
    assert.equal((JSON.parse(body) as { countries: unknown[] }).countries.length, 2);
  });

  it('answers 503 on every action of a server the operator disabled, or whose upstream is disabled', async () => {
    const { apiKey: rich } = await server.newAccount(1_000_000);
    await updateRentalServer(server.ctx.db, 1, { enabled: false }, server.clock.now());
    const calls: Array<Record<string, string>> = [
      { action: 'getRentalCountries', provider: '1' },
      { action: 'getRentalPricing', country_code: 'gb', provider: '1' },
      { action: 'getAvailableRentals', country_code: 'gb', provider: '1' },
      { action: 'rentNumber', country_code: 'gb', provider: '1', duration_hours: '24' },
    ];
    for (const params of calls) {
      assertError(
        await call(server, { api_key: rich, ...params }),
        '503',
        'Server 1 is currently unavailable.',
      );
    }
    const all = await call(server, { api_key: rich, action: 'getRentalCountries' });
    assert.ok(
      (all.countries as Array<{ provider: string }>).every((c) => c.provider === '2'),
      'hidden from the full list',
    );
    await updateRentalServer(server.ctx.db, 1, { enabled: true }, server.clock.now());

    const upstream = await server.ctx.db
      .selectFrom('rental_servers')
      .select('upstream_id')
      .where('id', '=', 2)
      .executeTakeFirstOrThrow();
    await updateUpstream(server.ctx.db, upstream.upstream_id, { enabled: false }, server.clock.now());
    await new Promise((resolve) => setTimeout(resolve, 2_100)); // the registry re-reads upstream rows every 2 s
    assertError(
      await call(server, {
        api_key: rich,
        action: 'rentNumber',
        country_code: 'ca',
        provider: '2',
        duration_hours: '720',
      }),
      '503',
      'Server 2 is currently unavailable.',
    );
    await updateUpstream(server.ctx.db, upstream.upstream_id, { enabled: true }, server.clock.now());
  });
});
