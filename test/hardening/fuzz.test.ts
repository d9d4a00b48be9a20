import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import fc from 'fast-check';
import { productLines } from '../../src/app.js';
import { ledgerInvariants } from '../../src/wallet/invariants.js';
import { runInvariantChecks } from '../../src/wallet/ledger-check.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  ENDPOINTS,
  type EndpointName,
  type HttpReply,
  hardeningScale,
  INTERNAL_REPLIES,
  keepAliveClient,
  replyProblem,
  runPool,
} from './hardening-support.js';

/**
 * Fuzzing the four customer endpoints: generated requests (wrong types, huge values, unicode,
 * duplicated and missing parameters, other customers' ids, negative/float/exponent numbers, SQL
 * and path tricks, GET and POST form/JSON/junk bodies) must all get HTTP 200 with a documented
 * reply, none of them the endpoint's "internal error", and the ledger must be clean afterwards.
 * Size: 100,000 requests on SQLite and 10,000 on PostgreSQL by default (about 30 s and 4 s on an
 * idle 2-core machine), times OTPGET_HARDENING_SCALE.
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
const PARAM_NAMES = [
  'id',
  'status',
  'type',
  'country',
  'service',
  'server',
  'provider',
  'country_code',
  'duration_hours',
  'order_id',
  'rental_id',
  'email_id',
  'service_id',
  'domain',
  'site',
  'page',
  'action',
  'api_key',
  '__proto__',
  'constructor',
];

interface Ids {
  own: string[];
  others: string[];
}

function valueArb(ids: Ids): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: fc.constantFrom('1', '2', '3', '6', '8', '61', '101', 'gb', 'us', 'tg', '12', '24', '720'),
    },
    { weight: 3, arbitrary: fc.constantFrom(...ids.own, ...ids.others) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        '-1',
        '0',
        '1.5',
        '1e3',
        '1E309',
        '0x10',
        '9'.repeat(40),
        'NaN',
        'Infinity',
        '+1',
        ' 1 ',
        '00001',
        '1,2',
        String(Number.MAX_SAFE_INTEGER + 2),
        '-0',
      ),
    },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        "' OR '1'='1",
        '1; DROP TABLE accounts;--',
        '1 UNION SELECT api_key_hash FROM api_keys',
        '../../etc/passwd',
        '..%2f..%2fetc%2fpasswd',
        '%00',
        '\u0000',
        // biome-ignore lint/suspicious/noTemplateCurlyInString: a log-injection probe, sent as written
        '${jndi:ldap://x}',
        '<script>alert(1)</script>',
        '{"$gt":""}',
        'null',
        'undefined',
        'true',
        '[]',
        '{}',
      ),
    },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 20 }) },
    { weight: 1, arbitrary: fc.integer().map(String) },
    { weight: 1, arbitrary: fc.double().map(String) },
    { weight: 1, arbitrary: fc.constantFrom('x'.repeat(3000), '\u{1F600}'.repeat(600), '') },
  );
}

interface FuzzRequest {
  endpoint: EndpointName;
  action: string;
  key: 'own' | 'other' | 'bad' | 'none';
  params: Array<[string, string]>;
  method: 'GET' | 'POST-form' | 'POST-json' | 'POST-junk' | 'POST-split';
}

function requestArb(ids: Ids): fc.Arbitrary<FuzzRequest> {
  const endpoint = fc.constantFrom<EndpointName>('sms', 'cheap', 'rental', 'email');
  return endpoint.chain((name) =>
    fc.record({
      endpoint: fc.constant(name),
      action: fc.oneof(
        { weight: 8, arbitrary: fc.constantFrom(...ACTIONS[name]) },
        { weight: 1, arbitrary: fc.constantFrom('', '__proto__', 'constructor', 'toString', 'GETNUMBER') },
        { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
      ),
      key: fc.constantFrom<FuzzRequest['key']>('own', 'own', 'own', 'own', 'other', 'bad', 'none'),
      params: fc.array(fc.tuple(fc.constantFrom(...PARAM_NAMES), valueArb(ids)), { maxLength: 6 }),
      method: fc.constantFrom<FuzzRequest['method']>(
        'GET',
        'GET',
        'POST-form',
        'POST-json',
        'POST-junk',
        'POST-split',
      ),
    }),
  );
}

function encode(pairs: Array<[string, string]>): string {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

describeEachDatabase('hardening: fuzzing the customer endpoints', (kind) => {
  let server: TestServer;
  const total = Math.round((kind.name === 'sqlite' ? 100_000 : 10_000) * hardeningScale());

  before(async () => {
    server = await startTestServer(kind);
  });
  after(async () => {
    await server.close();
  });

  it(`answers ${total} generated requests with documented replies only`, { timeout: 600_000 }, async () => {
    const me = await server.newAccount(300_000);
    const other = await server.newAccount(300_000);
    const keys = { own: me.apiKey, other: other.apiKey, bad: 'x'.repeat(32) };
    // Real orders of both customers on every line, so ids in requests point at real rows.
    const ids: Ids = { own: [], others: [] };
    for (const [account, list] of [
      [me, ids.own],
      [other, ids.others],
    ] as const) {
      const sms = await server.get(ENDPOINTS.sms, {
        api_key: account.apiKey,
        action: 'getNumber',
        service: '101',
        country: '61',
        type: '1',
      });
      list.push(sms.split(':')[1] ?? '');
      const cheap = await server.get(ENDPOINTS.cheap, {
        api_key: account.apiKey,
        action: 'buyNumber',
        type: '1',
        server: '1',
      });
      list.push(cheap.split(',')[0] ?? '');
      const rental = await server.getJson<{ order_id?: string }>(ENDPOINTS.rental, {
        api_key: account.apiKey,
        action: 'rentNumber',
        provider: '1',
        country_code: 'gb',
        duration_hours: '720',
      });
      list.push(rental.order_id ?? '');
      const rentals = await server.getJson<{ rentals: Array<{ id: string }> }>(ENDPOINTS.rental, {
        api_key: account.apiKey,
        action: 'getMyRentals',
      });
      list.push(...rentals.rentals.map((r) => r.id));
      const email = await server.getJson<{ email_id?: string }>(ENDPOINTS.email, {
        api_key: account.apiKey,
        action: 'buyEmail',
        service_id: 'tg',
      });
      list.push(email.email_id ?? '');
    }
    const seeded = [...ids.own, ...ids.others].filter((id) => id !== '').length;
    assert.ok(seeded >= 8, `seed orders on every line: ${JSON.stringify(ids)}`);

    const client = keepAliveClient(server.url, 16);
    const counts = {
      retries: 0,
      oversized: 0,
      requests: 0,
      byEndpoint: { sms: 0, cheap: 0, rental: 0, email: 0 },
      posts: 0,
    };
    const failures: string[] = [];
    const started = Date.now();
    const CHUNK = 5_000;
    try {
      for (let offset = 0; offset < total; offset += CHUNK) {
        const batch = fc.sample(requestArb(ids), {
          numRuns: Math.min(CHUNK, total - offset),
          seed: 7 + offset,
        });
        await runPool(batch.length, 16, async (i) => {
          const r = batch[i] as FuzzRequest;
          const head: Array<[string, string]> = [];
          if (r.key !== 'none') head.push(['api_key', keys[r.key]]);
          head.push(['action', r.action]);
          const all = [...head, ...r.params];
          const path = ENDPOINTS[r.endpoint];
          const sendOnce = () => {
            switch (r.method) {
              case 'GET':
                return client.get(path, encode(all));
              case 'POST-form':
                return client.post(path, '', encode(all));
              case 'POST-split':
                return client.post(path, encode(head), encode(r.params));
              case 'POST-json':
                return client.post(path, '', JSON.stringify(Object.fromEntries(all)), 'application/json');
              default:
                return client.post(path, encode(head), `${encode(r.params)}{{{\u0000`, 'application/json');
            }
          };
          let reply: HttpReply;
          try {
            reply = await sendOnce();
          } catch {
            // A keep-alive socket the server closed at that moment: retry once, and count it.
            counts.retries++;
            try {
              reply = await sendOnce();
            } catch (error) {
              counts.requests++;
              failures.push(
                `transport ${String(error)}: ${r.method} ${path} ${JSON.stringify(all).slice(0, 300)}`,
              );
              return;
            }
          }
          counts.requests++;
          counts.byEndpoint[r.endpoint]++;
          if (r.method !== 'GET') counts.posts++;
          // Node refuses a URL over 16 KiB with 431 before our code runs: a 4xx size limit, never a 5xx.
          if (reply.status === 431 && encode(all).length > 8_000) {
            counts.oversized++;
            return;
          }
          const problem =
            replyProblem(r.endpoint, r.action, reply) ??
            (INTERNAL_REPLIES[r.endpoint](reply.body) ? 'internal error reply' : null);
          if (problem && failures.length < 20) {
            failures.push(
              `${problem}: ${r.method} ${path} ${JSON.stringify(all).slice(0, 300)} → ${reply.status} ${reply.body.slice(0, 200)}`,
            );
          }
        });
      }
    } finally {
      client.close();
    }
    const seconds = (Date.now() - started) / 1000;
    const health = await fetch(`${server.url}/healthz`);
    const problems = await runInvariantChecks(server.ctx.db, ledgerInvariants(productLines()));
    console.log(
      `[fuzz ${kind.name}] tried ${counts.requests} requests (${JSON.stringify(counts.byEndpoint)}, ${counts.posts} POST) ` +
        `(${counts.oversized} refused as oversized with 431, ${counts.retries} keep-alive retries) in ${seconds.toFixed(1)} s (${Math.round(counts.requests / seconds)}/s); ` +
        `found ${failures.length} bad replies, ${problems.length} ledger problems, server ${health.status === 200 ? 'alive' : 'DOWN'}`,
    );
    assert.deepEqual(failures, []);
    assert.equal(counts.requests, total);
    assert.equal(health.status, 200);
    assert.deepEqual(problems, []);
  });
});
