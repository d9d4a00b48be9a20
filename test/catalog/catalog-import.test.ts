import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { findProviderType } from '../../src/catalog/catalog.repository.js';
import { CatalogAdminError } from '../../src/catalog/catalog-admin-error.js';
import { importSmsCatalogue } from '../../src/catalog/catalog-import.js';
import { reimportSmsCatalogue } from '../../src/catalog/catalog-reimport.js';
import { reimportDue } from '../../src/catalog/catalogue-imports.js';
import type { FakeSmsActivate } from '../fakes/sms-activate-fake.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { fakeUpstreamForType2, smsClient } from '../sms/sms-helpers.js';

const STAMP = (server: TestServer) => ({
  actor: { operatorId: null, name: 'cli:test' },
  now: server.clock.now(),
});
const COUNTRIES = 150;
const SERVICES = 40;

/**
 * `otpget catalog import`: a scripted SMS-Activate upstream publishing 150 countries × 40
 * services becomes type 2's catalogue, matched to ours by name and code, priced by the rate
 * (280 PKR/USD); a re-import after the upstream changed costs, added and dropped entries does
 * exactly that.
 */
describeEachDatabase('SMS catalogue import from an SMS-Activate upstream', (kind) => {
  let server: TestServer;
  let fake: FakeSmsActivate;
  let sms: ReturnType<typeof smsClient>;

  before(async () => {
    server = await startTestServer(kind);
    fake = await fakeUpstreamForType2(server, { timeoutMs: 5_000, stocked: true });
    // Country 0 is already our Pakistan (61) by name; 16 is "United Kingdom", our "England" (15).
    fake.setCountryName('0', 'Pakistan');
    fake.setCountryName('16', 'United Kingdom');
    for (let c = 1; c < COUNTRIES; c++) if (c !== 16) fake.setCountryName(String(c), `Upland ${c}`);
    fake.setServiceName('tg', 'Telegram');
    fake.setServiceName('wa', 'WhatsApp');
    const codes = ['tg', 'wa', ...Array.from({ length: SERVICES - 2 }, (_, i) => `s${i}`)];
    for (const code of codes.slice(2)) fake.setServiceName(code, `Service ${code}`);
    for (let c = 0; c < COUNTRIES; c++) {
      for (const [i, code] of codes.entries()) {
        fake.setPrice(String(c), code, `0.${String(10 + i).padStart(2, '0')}`);
        fake.setStock(String(c), code, 100 + i);
      }
    }
    sms = smsClient(server, (await server.newAccount(1_000_000)).apiKey);
  });
  after(async () => {
    await server.close();
    await fake.close();
  });

  it('imports 150 countries × 40 services, matched by name and code, shown by getCountries and getServices', async () => {
    // Type 2 already has offers: the default catalogue's (the sandbox's codes) and the helper's
    // Pakistan/Telegram on this upstream. Those the import names are updated, the rest disabled.
    const existing = await server.ctx.db
      .selectFrom('sms_prices')
      .select(['country_id', 'service_id'])
      .where('provider_type', '=', 2)
      .execute();
    // How long it takes is measured by `npm run bench -- --parts import` (target: under 10 s).
    const progress: Array<[number, number]> = [];
    const summary = await importSmsCatalogue(server.ctx, 2, {}, STAMP(server), (done, total) =>
      progress.push([done, total]),
    );
    // Progress climbs chunk by chunk to every row written: new countries, services, offers, updates.
    const { offers } = summary;
    const rows =
      summary.countries.added + summary.services.added + offers.added + offers.updated + offers.disabled;
    assert.ok(progress.length > 10, `${progress.length} progress reports`);
    assert.deepEqual(progress.at(-1), [rows, rows]);
    assert.ok(progress.every(([done], i) => i === 0 || done > (progress[i - 1]?.[0] ?? 0)));
    assert.deepEqual(summary.countries, { matched: 2, added: COUNTRIES - 2 });
    assert.deepEqual(summary.services, { matched: 2, added: SERVICES - 2 });
    const imported = new Set(['61/101', '61/102']); // existing offers the upstream also names
    const kept = existing.filter((r) => imported.has(`${r.country_id}/${r.service_id}`)).length;
    assert.ok(kept >= 1);
    assert.deepEqual(summary.offers, {
      added: COUNTRIES * SERVICES - kept,
      updated: kept,
      unchanged: 0,
      disabled: existing.length - kept,
    });

    const countries = JSON.parse(await sms.call('getCountries', { type: '2' })) as Record<
      string,
      Array<{ id: string; name: string }>
    >;
    assert.equal(countries['2']?.length, COUNTRIES);
    assert.ok(countries['2']?.some((c) => c.id === '61' && c.name === 'Pakistan'));
    assert.ok(countries['2']?.some((c) => c.id === '15' && c.name === 'England'));
    const upland = countries['2']?.find((c) => c.name === 'Upland 7');
    assert.ok(upland, 'a new country of ours');
    // Telegram (101) at 0.10 USD × 280 = 28 PKR; WhatsApp (102) at 0.11 USD = 30.80 PKR.
    const pakistan = JSON.parse(await sms.call('getServices', { type: '2', country: '61' })) as Record<
      string,
      string
    >;
    assert.equal(pakistan['101'], 'Telegram - 28 PKR');
    assert.equal(pakistan['102'], 'WhatsApp - 30.80 PKR');
    assert.equal(Object.keys(pakistan).length, SERVICES);
    const newCountry = JSON.parse(await sms.call('getServices', { type: '2', country: upland.id })) as Record<
      string,
      string
    >;
    assert.ok(
      Object.values(newCountry).includes('Service s0 - 33.60 PKR'),
      JSON.stringify(newCountry).slice(0, 300),
    );
    assert.match(
      await sms.call('getNumber', { type: '2', country: upland.id, service: 'wa' }),
      /^ACCESS_NUMBER:\d{13}:\d+$/,
    );
  });

  it('re-imports what changed: new costs, a new country, dropped offers disabled, nothing deleted', async () => {
    fake.setPrice('0', 'tg', '0.20');
    fake.removeOffer('0', 'wa');
    fake.setCountryName('150', 'Upland 150');
    fake.setPrice('150', 'tg', '0.30');
    fake.setStock('150', 'tg', 5);
    const before = await server.ctx.db.selectFrom('sms_prices').select('id').execute();
    const summary = await importSmsCatalogue(server.ctx, 2, {}, STAMP(server));
    assert.equal(summary.countries.added, 1);
    assert.equal(summary.offers.added, 1);
    assert.equal(summary.offers.disabled, 1);
    // Telegram's cost changed (and, on some upstreams' counts, the stock of the offer bought above).
    assert.ok(summary.offers.updated >= 1 && summary.offers.updated <= 2, JSON.stringify(summary.offers));
    const after = await server.ctx.db.selectFrom('sms_prices').select('id').execute();
    assert.equal(after.length, before.length + 1, 'nothing deleted');
    const pakistan = JSON.parse(await sms.call('getServices', { type: '2', country: '61' })) as Record<
      string,
      string
    >;
    assert.equal(pakistan['101'], 'Telegram - 56 PKR');
    assert.equal(pakistan['102'], undefined, 'WhatsApp is off sale');
    assert.equal(await sms.call('getNumber', { type: '2', country: '61', service: '102' }), 'BAD_SERVICE');

    // Narrowed: only country 150 is looked at, so nothing else is disabled.
    fake.removeOffer('1', 'tg');
    const narrowed = await importSmsCatalogue(server.ctx, 2, { countries: new Set(['150']) }, STAMP(server));
    assert.deepEqual(narrowed.offers, { added: 0, updated: 0, unchanged: 1, disabled: 0 });
  });

  it('runs each import again on schedule, with its narrowing, as the system', async () => {
    const imports = await server.ctx.db.selectFrom('catalogue_imports').selectAll().execute();
    assert.deepEqual(
      imports.map((i) => [i.line, i.target]),
      [['sms', 2]],
      'type 2 from its one upstream',
    );
    assert.equal(imports[0]?.options, '{"countries":["150"]}', 'the last import was narrowed to country 150');
    fake.setPrice('150', 'wa', '0.40');
    fake.setStock('150', 'wa', 3);
    fake.setPrice('1', 'wa', '0.40'); // outside the narrowing: not looked at
    const EVERY = server.ctx.config.catalogReimportMinutes;
    assert.equal(await reimportDue(server.ctx, 'sms', reimportSmsCatalogue, EVERY), 0, 'not due yet');
    server.clock.advance(EVERY * 60_000);
    const audits = await server.ctx.db.selectFrom('audit_log').select('id').execute();
    assert.equal(await reimportDue(server.ctx, 'sms', reimportSmsCatalogue, EVERY), 1);
    assert.equal(
      await reimportDue(server.ctx, 'sms', reimportSmsCatalogue, EVERY),
      0,
      'claimed until the next time',
    );
    const upland = await server.ctx.db
      .selectFrom('sms_countries')
      .select('id')
      .where('name', '=', 'Upland 150')
      .executeTakeFirstOrThrow();
    const offered = JSON.parse(await sms.call('getServices', { type: '2', country: String(upland.id) }));
    assert.equal(offered['102'], 'WhatsApp - 112 PKR', 'the new offer is on sale');
    const written = await server.ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'action'])
      .where(
        'id',
        'not in',
        audits.map((a) => a.id),
      )
      .execute();
    assert.deepEqual(written, [{ actor: 'system:catalog-reimport', action: 'catalog.import' }]);
  });

  it("names an upstream's countries from SMS-Activate's table when it has no getCountries", async () => {
    const upstreamId = (await findProviderType(server.ctx.db, 2))?.upstreamId as number;
    const provider = await server.ctx.providers.sms(upstreamId);
    fake.failNext('getCountries', 'BAD_ACTION');
    fake.failNext('getServicesList', 'BAD_ACTION');
    const catalogue = await provider.getCatalogue?.();
    const named = new Map(catalogue?.countries.map((c) => [c.id, c.name]));
    assert.equal(named.get('66'), 'Pakistan');
    assert.equal(named.get('16'), 'United Kingdom');
    assert.equal(named.get('187'), 'USA');
    assert.deepEqual(catalogue?.services, []);
    // SMS-Activate's Pakistan is 66: by the table's name it joins our Pakistan (61).
    fake.setPrice('66', 'tg', '0.50');
    fake.setStock('66', 'tg', 7);
    fake.failNext('getCountries', 'BAD_ACTION');
    const summary = await importSmsCatalogue(server.ctx, 2, { countries: new Set(['66']) }, STAMP(server));
    assert.deepEqual(summary.countries, { matched: 1, added: 0 });
    const row = await server.ctx.db
      .selectFrom('sms_prices')
      .select(['country_id', 'upstream_country'])
      .where('provider_type', '=', 2)
      .where('upstream_country', '=', '66')
      .executeTakeFirstOrThrow();
    assert.equal(row.country_id, 61);
  });

  it('refuses, writing nothing, when the upstream fails to send its prices', async () => {
    const rows = () =>
      server.ctx.db
        .selectFrom('sms_prices')
        .select(['id', 'cost_micros', 'enabled'])
        .where('provider_type', '=', 2)
        .orderBy('id')
        .execute();
    const before = await rows();
    fake.setPrice('0', 'tg', '0.99');
    fake.failNext('getPrices', 'http500', 10);
    await assert.rejects(
      importSmsCatalogue(server.ctx, 2, {}, STAMP(server)),
      (error: Error) =>
        error instanceof CatalogAdminError &&
        /did not send its catalogue \(\w+\); nothing imported/.test(error.message),
    );
    fake.clearFaults();
    assert.deepEqual(await rows(), before);
  });
});
