import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { findSmsOffer, smsOfferReader } from '../../src/catalog/catalog.repository.js';
import { listPriceRows, upsertPriceRow } from '../../src/catalog/catalog-admin.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * getNumber's offer read (smsOfferReader): on PostgreSQL the reads of one event-loop turn share a
 * query. Each read must still get its own key's offer, and a read asked after a write sees it.
 */
describeEachDatabase('the purchase path offer read', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind);
  });
  after(() => server.close());

  it('answers concurrent reads of different keys, and of no offer, each with its own key', async () => {
    const rows = (await listPriceRows(server.ctx.db, { type: 1 })).filter((r) => r.enabled);
    const keys = rows.slice(0, 5).map((r) => [r.type, r.countryId, r.serviceId] as const);
    assert.ok(keys.length >= 2, 'the sandbox catalogue sells several type-1 keys');
    const asked = [...keys, [1, 999_999, 999_999] as const, ...keys];
    const read = smsOfferReader(server.ctx.database);
    const answers = await Promise.all(asked.map(([t, c, s]) => read(t, c, s)));
    const expected = await Promise.all(asked.map(([t, c, s]) => findSmsOffer(server.ctx.db, t, c, s)));
    assert.deepEqual(answers, expected);
    assert.equal(answers[keys.length], null);
    assert.ok(answers.slice(0, keys.length).every((offer) => offer !== null && offer.pricePaisa !== null));
    const prices = new Set(answers.slice(0, keys.length).map((offer) => JSON.stringify(offer?.routes)));
    assert.equal(prices.size, keys.length, 'every key gets its own routes');
  });

  it('reads a price written just before it was asked', async () => {
    const [row] = (await listPriceRows(server.ctx.db, { type: 1 })).filter((r) => r.enabled);
    assert.ok(row);
    const read = smsOfferReader(server.ctx.database);
    const before = await read(row.type, row.countryId, row.serviceId);
    await upsertPriceRow(
      server.ctx.db,
      { type: row.type, countryId: row.countryId, serviceId: row.serviceId, fixedPricePaisa: 123_456 },
      server.clock.now(),
    );
    const [again, other] = await Promise.all([
      read(row.type, row.countryId, row.serviceId),
      read(row.type, row.countryId, row.serviceId),
    ]);
    assert.notEqual(before?.pricePaisa, 123_456);
    assert.equal(again?.pricePaisa, 123_456);
    assert.deepEqual(other, again);
  });
});
