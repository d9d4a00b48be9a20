import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { blockAccount, createAccount } from '../../src/accounts/accounts.service.js';
import { type Database, openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { systemClock } from '../../src/shared/clock.js';
import { describeEachDatabase, sqliteKind } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { ENDPOINTS, type EndpointName, keepAliveClient } from './hardening-support.js';
import { startServerProcess } from './server-process.js';

/**
 * Security checks: keys stored only as hashes, no key in any log line, every id-taking action
 * refuses another customer's id with the documented not-found reply (and changes nothing), a
 * blocked account refused on every action, oversized requests refused with a 4xx, and rate
 * limits answered with each endpoint's own reply.
 */

const ACTIONS: Record<EndpointName, string[]> = {
  sms: ['getBalance', 'getCountries', 'getServices', 'getNumber', 'getStatus', 'setStatus'],
  cheap: ['getBalance', 'getServers', 'getServices', 'buyNumber', 'getStatus', 'setStatus'],
  rental: [
    'getRentalCountries',
    'getRentalPricing',
    'getAvailableRentals',
    'rentNumber',
    'getMyRentals',
    'getRentalSMS',
    'renewRental',
  ],
  email: ['getEmailServices', 'buyEmail', 'getEmailCode', 'cancelEmail', 'getEmailHistory'],
};

interface Owned {
  sms: string;
  cheap: string;
  rentalOrder: string;
  rentalId: string;
  email: string;
}

async function buyEverything(server: TestServer, apiKey: string): Promise<Owned> {
  const sms = await server.get(ENDPOINTS.sms, {
    api_key: apiKey,
    action: 'getNumber',
    service: '101',
    country: '61',
    type: '1',
  });
  const cheap = await server.get(ENDPOINTS.cheap, {
    api_key: apiKey,
    action: 'buyNumber',
    type: '1',
    server: '1',
  });
  const rental = await server.getJson<{ order_id: string }>(ENDPOINTS.rental, {
    api_key: apiKey,
    action: 'rentNumber',
    provider: '1',
    country_code: 'gb',
    duration_hours: '720',
  });
  const rentals = await server.getJson<{ rentals: Array<{ id: string }> }>(ENDPOINTS.rental, {
    api_key: apiKey,
    action: 'getMyRentals',
  });
  const email = await server.getJson<{ email_id: string }>(ENDPOINTS.email, {
    api_key: apiKey,
    action: 'buyEmail',
    service_id: 'tg',
  });
  const owned = {
    sms: sms.split(':')[1] ?? '',
    cheap: cheap.split(',')[0] ?? '',
    rentalOrder: rental.order_id,
    rentalId: rentals.rentals[0]?.id ?? '',
    email: email.email_id,
  };
  for (const [name, value] of Object.entries(owned))
    assert.ok(value, `bought ${name}: ${JSON.stringify(owned)}`);
  return owned;
}

describeEachDatabase('hardening: security', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind);
  });
  after(async () => {
    await server.close();
  });

  it("refuses another customer's ids on every id-taking action, and changes nothing", async () => {
    const owner = await server.newAccount(1_000_000);
    const intruder = await server.newAccount(1_000_000);
    const owned = await buyEverything(server, owner.apiKey);
    const notFound = { sms: 'NO_ACTIVATION', cheap: 'NO_ACTIVATION' };
    const rentalNotFound = JSON.stringify({
      status: '404',
      message: 'Rental not found or does not belong to you.',
    });
    const emailNotFound = JSON.stringify({ status: '404', message: 'Email activation not found' });
    const cases: Array<[EndpointName, Record<string, string>, string]> = [
      ['sms', { action: 'getStatus', id: owned.sms }, notFound.sms],
      ['sms', { action: 'setStatus', id: owned.sms, status: '8' }, notFound.sms],
      ['sms', { action: 'setStatus', id: owned.sms, status: '6' }, notFound.sms],
      ['sms', { action: 'setStatus', id: owned.sms, status: '3' }, notFound.sms],
      ['cheap', { action: 'getStatus', id: owned.cheap }, notFound.cheap],
      ['cheap', { action: 'setStatus', id: owned.cheap, status: '8' }, notFound.cheap],
      ['cheap', { action: 'setStatus', id: owned.cheap, status: '6' }, notFound.cheap],
      ['rental', { action: 'getRentalSMS', order_id: owned.rentalOrder }, rentalNotFound],
      ['rental', { action: 'renewRental', rental_id: owned.rentalId, duration_hours: '720' }, rentalNotFound],
      ['email', { action: 'getEmailCode', email_id: owned.email }, emailNotFound],
      ['email', { action: 'cancelEmail', email_id: owned.email }, emailNotFound],
    ];
    const before = await server.get(ENDPOINTS.sms, { api_key: owner.apiKey, action: 'getBalance' });
    const intruderBefore = await server.get(ENDPOINTS.sms, {
      api_key: intruder.apiKey,
      action: 'getBalance',
    });
    for (const [endpoint, params, expected] of cases) {
      for (const send of [server.get, server.post]) {
        const reply = await send.call(server, ENDPOINTS[endpoint], { api_key: intruder.apiKey, ...params });
        assert.equal(reply, expected, `${endpoint} ${JSON.stringify(params)}`);
      }
    }
    // The owner's orders are untouched and nobody's money moved.
    assert.equal(await server.get(ENDPOINTS.sms, { api_key: owner.apiKey, action: 'getBalance' }), before);
    assert.equal(
      await server.get(ENDPOINTS.sms, { api_key: intruder.apiKey, action: 'getBalance' }),
      intruderBefore,
    );
    assert.notEqual(
      await server.get(ENDPOINTS.sms, { api_key: owner.apiKey, action: 'getStatus', id: owned.sms }),
      'NO_ACTIVATION',
    );
    console.log(
      `[security ${kind.name}] tried ${cases.length * 2} foreign-id calls (GET and POST): all refused as not found`,
    );
  });

  it('refuses a blocked account on every action of every endpoint', async () => {
    const account = await server.newAccount(1_000_000);
    const owned = await buyEverything(server, account.apiKey);
    await blockAccount(server.ctx.db, server.clock, account.id);
    server.ctx.auth.forget();
    const blocked: Record<EndpointName, string> = {
      sms: 'ACCOUNT_BLOCKED',
      cheap: 'ACCOUNT_BLOCKED',
      rental: JSON.stringify({ status: '403', message: 'Account is blocked or inactive.' }),
      email: JSON.stringify({ status: '403', message: 'ACCOUNT_BLOCKED' }),
    };
    const params = {
      id: owned.sms,
      status: '8',
      type: '1',
      country: '61',
      service: '101',
      server: '1',
      provider: '1',
      country_code: 'gb',
      duration_hours: '720',
      order_id: owned.rentalOrder,
      rental_id: owned.rentalId,
      email_id: owned.email,
      service_id: 'tg',
    };
    let calls = 0;
    for (const endpoint of Object.keys(ACTIONS) as EndpointName[]) {
      for (const action of [...ACTIONS[endpoint], 'noSuchAction']) {
        const reply = await server.get(ENDPOINTS[endpoint], { api_key: account.apiKey, action, ...params });
        assert.equal(reply, blocked[endpoint], `${endpoint} ${action}`);
        calls++;
      }
    }
    console.log(`[security ${kind.name}] tried ${calls} actions as a blocked account: all refused`);
  });

  it('reads a number too large for a catalogue id as invalid on every action: a documented reply, never an internal error', async () => {
    // 13 digits, like an activation id a client might paste into the wrong parameter: catalogue
    // ids live in 32-bit columns, which PostgreSQL refuses to compare with such a number.
    const huge = '5802864738317';
    const account = await server.newAccount(1_000_000);
    const failures: string[] = [];
    for (const endpoint of Object.keys(ENDPOINTS) as EndpointName[]) {
      for (const action of ACTIONS[endpoint]) {
        const params = {
          api_key: account.apiKey,
          action,
          type: huge,
          country: huge,
          service: huge,
          server: huge,
          provider: huge,
          duration_hours: huge,
          country_code: 'ca',
        };
        const reply = await server.get(ENDPOINTS[endpoint], params);
        if (/ERROR_SQL|Internal error|"status":"500"/.test(reply))
          failures.push(`${endpoint} ${action}: ${reply}`);
      }
    }
    assert.deepEqual(failures, []);
  });

  it('refuses oversized requests with a 4xx, never a 5xx', async () => {
    const account = await server.newAccount(0);
    const results: string[] = [];
    for (const endpoint of Object.keys(ENDPOINTS) as EndpointName[]) {
      const big = await fetch(`${server.url}${ENDPOINTS[endpoint]}`, {
        method: 'POST',
        body: new URLSearchParams({
          api_key: account.apiKey,
          action: 'getBalance',
          pad: 'x'.repeat(200_000),
        }),
      });
      const longUrl = await fetch(
        `${server.url}${ENDPOINTS[endpoint]}?api_key=${account.apiKey}&x=${'y'.repeat(40_000)}`,
      );
      results.push(`${endpoint}: body ${big.status}, url ${longUrl.status}`);
      assert.equal(big.status, 413, `${endpoint} oversized body`);
      assert.ok(
        longUrl.status >= 400 && longUrl.status < 500,
        `${endpoint} oversized URL: ${longUrl.status}`,
      );
    }
    console.log(`[security ${kind.name}] oversized requests: ${results.join('; ')}`);
  });
});

describe('hardening: security, rate limits and stored keys [sqlite]', () => {
  it("answers a burst over the per-key and per-IP limits with each endpoint's own reply", async () => {
    const limited = await startTestServer(sqliteKind, {
      env: { OTPGET_RATE_LIMIT_PER_KEY: '5', OTPGET_RATE_LIMIT_PER_IP: '40' },
    });
    try {
      const account = await limited.newAccount(0);
      const client = keepAliveClient(limited.url, 64);
      const limitedReply: Record<EndpointName, (body: string) => boolean> = {
        sms: (b) => b === 'TOO_MANY_REQUESTS',
        cheap: (b) => b === 'TOO_MANY_REQUESTS',
        rental: (b) =>
          b === JSON.stringify({ status: '429', message: 'Too many requests. Please slow down.' }),
        email: (b) => b === JSON.stringify({ status: '429', message: 'Too many requests' }),
      };
      const counts: string[] = [];
      for (const endpoint of Object.keys(ENDPOINTS) as EndpointName[]) {
        const action =
          endpoint === 'rental' ? 'getMyRentals' : endpoint === 'email' ? 'getEmailHistory' : 'getBalance';
        const replies = await Promise.all(
          Array.from({ length: 30 }, () =>
            client.get(ENDPOINTS[endpoint], `api_key=${account.apiKey}&action=${action}`),
          ),
        );
        assert.ok(
          replies.every((r) => r.status === 200),
          'always HTTP 200',
        );
        const refused = replies.filter((r) => limitedReply[endpoint](r.body));
        assert.ok(refused.length > 0, `${endpoint}: some refused`);
        assert.ok(refused.every((r) => r.body.length > 0));
        counts.push(`${endpoint} ${refused.length}/30 refused`);
        await new Promise((resolve) => setTimeout(resolve, 1_100));
      }
      // Per IP: many unknown keys from one address.
      const ipReplies = await Promise.all(
        Array.from({ length: 100 }, (_v, i) =>
          client.get(ENDPOINTS.sms, `api_key=unknown${i}&action=getBalance`),
        ),
      );
      const ipRefused = ipReplies.filter((r) => r.body === 'TOO_MANY_REQUESTS').length;
      assert.ok(ipRefused > 0, 'per-IP limit refuses some');
      client.close();
      console.log(`[security sqlite] rate limits: ${counts.join(', ')}; per IP ${ipRefused}/100 refused`);
    } finally {
      await limited.close();
    }
  });

  it('keeps API keys only as hashes and never writes one to a log, even at debug level', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'otpget-sec-'));
    const dbPath = join(dir, 'otpget.db');
    const logFile = join(dir, 'server.log');
    const database: Database = openDatabase(dbPath);
    await migrateToLatest(database);
    const keys: string[] = [];
    for (let i = 0; i < 3; i++) {
      keys.push(
        (await createAccount(database.db, systemClock, { name: `sec-${i}`, openingBalance: 1_000_000 }))
          .apiKey,
      );
    }
    const server = await startServerProcess({ DATABASE_URL: dbPath, LOG_LEVEL: 'debug' }, logFile);
    const sent: string[] = [];
    try {
      // Every endpoint, GET and POST, the key spelled in every way a client might send it.
      for (const [index, key] of keys.entries()) {
        for (const path of Object.values(ENDPOINTS)) {
          for (const name of ['api_key', 'api%5Fkey', 'api_key[]', 'api_key%5B%5D']) {
            const r = await fetch(
              `${server.url}${path}?${name}=${encodeURIComponent(key)}&action=getBalance`,
            );
            sent.push(`${r.status}`);
          }
          await fetch(`${server.url}${path}`, {
            method: 'POST',
            body: new URLSearchParams({ api_key: key, action: index === 0 ? 'getNumber' : 'noSuchAction' }),
          });
          await fetch(`${server.url}${path}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ api_key: key, action: 'getBalance' }),
          });
          // A broken request that ends in the framework's error handler.
          await fetch(`${server.url}${path}?api_key=${key}&x=${'y'.repeat(40_000)}`);
          await fetch(`${server.url}${path}?api_key=${key}`, {
            method: 'POST',
            body: new URLSearchParams({ api_key: key, pad: 'x'.repeat(200_000) }),
          });
        }
      }
    } finally {
      await server.stop();
    }
    const log = readFileSync(logFile, 'utf8');
    const lines = log.split('\n').filter(Boolean).length;
    const leakedInLog = keys.filter((key) => log.includes(key));
    // The database: every table's rows as text, plus the raw SQLite files.
    const tables = await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(
      database.db,
    );
    let dump = '';
    for (const { name } of tables.rows) {
      const rows = await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(database.db);
      dump += JSON.stringify(rows.rows);
    }
    await database.close();
    for (const file of readdirSync(dirname(dbPath)).filter((f) => f.startsWith('otpget.db'))) {
      dump += readFileSync(join(dir, file)).toString('latin1');
    }
    const leakedInDb = keys.filter((key) => dump.includes(key));
    console.log(
      `[security sqlite] ${sent.length + keys.length * 16} requests with keys at LOG_LEVEL=debug (${lines} log lines): ` +
        `${leakedInLog.length} keys found in the log, ${leakedInDb.length} keys found in the database files`,
    );
    assert.ok(lines > sent.length, 'access logs were written');
    assert.deepEqual(leakedInLog, []);
    assert.deepEqual(leakedInDb, []);
  });
});
