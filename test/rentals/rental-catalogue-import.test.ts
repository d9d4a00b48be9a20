/**
 * `otpget rental import`: a rental server's countries and price tiers from its upstream's own rent
 * catalogue (getRentServicesAndCountries), against the scripted SMS-Activate-protocol upstream,
 * read back through the customer API the way the reference's examples read it.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { reimportDue } from '../../src/catalog/catalogue-imports.js';
import { setExchangeRateMicros, setMarkupBasisPoints } from '../../src/pricing/pricing.repository.js';
import { findUpstreamByName } from '../../src/providers/upstreams.repository.js';
import { updateRentalServer } from '../../src/rentals/catalog.repository.js';
import { reimportRentalCatalogue } from '../../src/rentals/rental-catalogue-import.js';
import { type FakeSmsActivate, startFakeSmsActivate } from '../fakes/sms-activate-fake.js';
import { runOtpgetInProcess } from '../helpers/cli.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { assertFields, call, rentFromFake, SHAPES } from './rental-helpers.js';

describeEachDatabase('otpget rental import', (kind) => {
  let server: TestServer;
  let fake: FakeSmsActivate;
  let env: Record<string, string>;
  let apiKey: string;
  const otpget = (...args: string[]) => runOtpgetInProcess(args, env);

  /** Server 1 as a customer sees it: country code → name, and each duration's price. */
  const onSale = async () => {
    const listed = await call(server, { api_key: apiKey, action: 'getRentalCountries', provider: '1' });
    const countries = listed.countries as Array<Record<string, unknown>>;
    const sale: Record<string, { name: unknown; prices: Record<string, unknown> }> = {};
    for (const c of countries) {
      assertFields(c, SHAPES.country, 'country');
      const pricing = await call(server, {
        api_key: apiKey,
        action: 'getRentalPricing',
        country_code: c.country_code as string,
        provider: '1',
      });
      const tiers = (pricing.pricing ?? []) as Array<Record<string, unknown>>;
      for (const t of tiers) assertFields(t, SHAPES.tier, 'tier');
      sale[c.country_code as string] = {
        name: c.name,
        prices: Object.fromEntries(tiers.map((t) => [t.duration_hours, t.price])),
      };
    }
    return sale;
  };
  const upstreamOf = async (code: string) =>
    (
      await server.ctx.db
        .selectFrom('rental_countries')
        .select('upstream_country')
        .where('server_id', '=', 1)
        .where('country_code', '=', code)
        .executeTakeFirstOrThrow()
    ).upstream_country;

  before(async () => {
    fake = await startFakeSmsActivate();
    // SMS-Activate ids: 16 United Kingdom, 36 Canada, 187 USA, 12 "USA (virtual)", 999 unknown.
    fake.setRentOffer('16', 'full', { costPerHour: '0.01', stock: 10 });
    fake.setRentOffer('36', 'full', { costPerHour: '0.005', stock: 4 });
    fake.setRentOffer('187', 'full', { costPerHour: '0.02', stock: 0 });
    fake.setRentOffer('12', 'full', { costPerHour: '0.001', stock: 9 });
    fake.setRentOffer('999', 'full', { costPerHour: '0.001', stock: 9 });
    server = await startTestServer(kind);
    env = { DATABASE_URL: server.ctx.config.databaseUrl };
    ({ apiKey } = await server.newAccount(100_000));
  });
  after(async () => {
    await server.close();
    await fake.close();
  });

  it('refuses while the server is on the sandbox, which publishes no rent catalogue', async () => {
    const before = await onSale();
    const result = await otpget('rental', 'import', '1');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /publishes no rental catalogue to import/);
    assert.deepEqual(await onSale(), before);
  });

  it('joins countries by ISO code, keeps fixed prices, prices the rest from cost, and stops selling what the upstream does not rent', async () => {
    await rentFromFake(server, 1, fake, { name: 'fake-rent-import', timeoutMs: 2_000 });
    const before = await onSale();
    assert.deepEqual(Object.keys(before).sort(), ['de', 'gb', 'nl', 'us']);

    const noRate = await otpget('rental', 'import', '1');
    assert.equal(noRate.code, 1);
    assert.match(noRate.stderr, /USD/);
    assert.deepEqual(await onSale(), before, 'a refused import writes nothing');

    await setExchangeRateMicros(server.ctx.db, 'USD', 280_000_000, server.clock.now());
    await setMarkupBasisPoints(server.ctx.db, 'rental', 2_500, server.clock.now());
    const first = await otpget('rental', 'import', '1');
    assert.equal(first.code, 0, first.stderr);
    assert.match(
      first.stdout,
      /18 quote\(s\); countries 1 added, 2 updated, 0 unchanged, 2 disabled; tiers 10 added, 0 updated, 8 unchanged, 0 disabled, 0 skipped/,
    );
    assert.match(first.stdout, /upstream country 12 skipped: "USA \(virtual\)" is no single country/);
    assert.match(first.stdout, /upstream country 999 skipped: unknown id/);
    // cost × hours × 280 PKR/USD × 1.25; the four seeded tiers of gb and us were fixed prices and stay so.
    assert.deepEqual(await onSale(), {
      ca: {
        name: 'Canada',
        prices: {
          12: '21.00',
          24: '42.00',
          168: '294.00',
          720: '1260.00',
          4320: '7560.00',
          8640: '15120.00',
        },
      },
      gb: {
        name: 'United Kingdom',
        prices: {
          12: '80.00',
          24: '140.00',
          168: '600.00',
          720: '1500.00',
          4320: '15120.00',
          8640: '30240.00',
        },
      },
      us: {
        name: 'United States of America',
        prices: {
          12: '60.00',
          24: '100.00',
          168: '450.00',
          720: '1200.00',
          4320: '30240.00',
          8640: '60480.00',
        },
      },
    });
    // The seeded rows used dialling codes; they now name the upstream's own countries.
    assert.deepEqual(
      [await upstreamOf('gb'), await upstreamOf('us'), await upstreamOf('ca')],
      ['16', '187', '36'],
    );

    const again = await otpget('rental', 'import', '1');
    assert.equal(again.code, 0, again.stderr);
    assert.match(
      again.stdout,
      /countries 0 added, 0 updated, 3 unchanged, 0 disabled; tiers 0 added, 0 updated, 18 unchanged/,
    );

    const repriced = await otpget('rental', 'import', '1', '--countries', '16', '--reprice');
    assert.equal(repriced.code, 0, repriced.stderr);
    assert.match(
      repriced.stdout,
      /6 quote\(s\); countries 0 added, 0 updated, 1 unchanged, 0 disabled; tiers 0 added, 4 updated/,
    );
    assert.deepEqual((await onSale()).gb?.prices, {
      12: '42.00',
      24: '84.00',
      168: '588.00',
      720: '2520.00',
      4320: '15120.00',
      8640: '30240.00',
    });
  });

  it('follows the upstream on a re-import: new costs, a new country, dropped durations and countries', async () => {
    fake.setRentOffer('36', 'full', { costPerHour: '0.01', stock: 4 });
    fake.removeRentOffer('16', 'full');
    fake.setRentOffer('16', 'wa', { costPerHour: '0.01', stock: 4 }); // not the service we rent
    fake.setRentOffer('43', 'full', { costPerHour: '0.004', stock: 2 }); // Germany
    const result = await otpget('rental', 'import', '1');
    assert.equal(result.code, 0, result.stderr);
    assert.match(
      result.stdout,
      /countries 0 added, 1 updated, 2 unchanged, 1 disabled; tiers 2 added, 6 updated, 10 unchanged, 6 disabled/,
    );
    const sale = await onSale();
    assert.deepEqual(Object.keys(sale).sort(), ['ca', 'de', 'us']);
    assert.equal(sale.ca?.prices[720], '2520.00');
    assert.deepEqual(sale.de?.prices, {
      12: '75.00',
      24: '130.00',
      168: '560.00',
      720: '1400.00',
      4320: '6048.00',
      8640: '12096.00',
    });
    assert.equal(await upstreamOf('de'), '43');
  });

  it('narrows to the asked countries and durations, and writes nothing when an upstream call fails', async () => {
    fake.setRentOffer('36', 'full', { costPerHour: '0.02', stock: 4 });
    fake.failNext('getRentServicesAndCountries', 'http500', 3);
    const before = await onSale();
    const failed = await otpget('rental', 'import', '1', '--countries', '36', '--durations', '720');
    assert.equal(failed.code, 1);
    assert.match(
      failed.stderr,
      /did not (list its countries|quote Canada for 720 h) \(\w+\); nothing imported/,
    );
    assert.deepEqual(await onSale(), before);

    fake.clearFaults();
    const narrowed = await otpget('rental', 'import', '1', '--countries', '36', '--durations', '720');
    assert.equal(narrowed.code, 0, narrowed.stderr);
    assert.match(
      narrowed.stdout,
      /1 quote\(s\); countries 0 added, 0 updated, 1 unchanged, 0 disabled; tiers 0 added, 1 updated, 0 unchanged/,
    );
    const sale = await onSale();
    assert.equal(sale.ca?.prices[720], '5040.00');
    assert.equal(sale.ca?.prices[12], '42.00', 'durations not asked keep their cost');
    assert.deepEqual(Object.keys(sale).sort(), ['ca', 'de', 'us'], 'countries not asked are left alone');

    const unsold = await otpget('rental', 'import', '1', '--durations', '720,13');
    assert.equal(unsold.code, 1);
    assert.match(unsold.stderr, /sells 12, 24, 168, 720, 4320, 8640 hours, not 13/);
    const bad = await otpget('rental', 'import', '1', '--countries', 'ca');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--countries takes whole numbers/);
  });

  it('runs the last import again on schedule, with its narrowing, as the system, while the server buys from that upstream', async () => {
    const recorded = await server.ctx.db
      .selectFrom('catalogue_imports')
      .select(['target', 'options'])
      .where('line', '=', 'rental')
      .execute();
    assert.deepEqual(recorded, [{ target: 1, options: '{"countries":["36"],"durations":[720]}' }]);
    assert.ok(
      server.ctx.lines.jobs(server.ctx).some((job) => job.name === 'catalog.rental-reimport'),
      'the worker runs it',
    );
    fake.setRentOffer('36', 'full', { costPerHour: '0.03', stock: 4 });
    const EVERY = server.ctx.config.catalogReimportMinutes;
    const due = () => reimportDue(server.ctx, 'rental', reimportRentalCatalogue, EVERY);
    assert.equal(await due(), 0, 'not due yet');
    // The CLI process recorded the imports on the wall clock; the server's clock is its own.
    const next = await server.ctx.db
      .selectFrom('catalogue_imports')
      .select((eb) => eb.fn.max('next_import_at').as('at'))
      .where('line', '=', 'rental')
      .executeTakeFirstOrThrow();
    server.clock.advance(Math.max(EVERY * 60_000, Number(next.at) - server.clock.now()));
    const audits = (await server.ctx.db.selectFrom('audit_log').select('id').execute()).map((a) => a.id);
    assert.equal(await due(), 1);
    assert.equal(await due(), 0, 'claimed until the next time');
    const sale = await onSale();
    assert.equal(sale.ca?.prices[720], '7560.00', 'the new cost');
    assert.equal(sale.ca?.prices[12], '42.00', 'outside the narrowing: not asked');
    const written = await server.ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where('id', 'not in', audits)
      .execute();
    assert.deepEqual(written, [{ actor: 'system:catalog-reimport', action: 'rental.import' }]);

    // Repointed to the sandbox, the server no longer buys from that upstream: the import waits.
    const sandbox = await findUpstreamByName(server.ctx.db, 'sandbox-rental');
    assert.ok(sandbox);
    await updateRentalServer(server.ctx.db, 1, { upstreamId: sandbox.id }, server.clock.now());
    fake.setRentOffer('36', 'full', { costPerHour: '0.04', stock: 4 });
    server.clock.advance(EVERY * 60_000);
    const calls = fake.count('getRentServicesAndCountries');
    assert.equal(await due(), 0);
    assert.equal(fake.count('getRentServicesAndCountries'), calls, 'no upstream call');
  });
});
