import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { insertCheapServer, updateCheapServer } from '../../src/cheap/cheap-servers.repository.js';
import { insertUpstream } from '../../src/providers/upstreams.repository.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { CHEAP, cheap } from './cheap-helpers.js';

const SERVERS_TYPE_1 = [
  { id: '1', name: 'Random Facebook - Free' },
  { id: '2', name: 'Pakistan - Server 2' },
];
const SERVICES_TYPE_1 = { '1': 'Random Facebook - Free — ₨0.00', '2': 'Pakistan Server 2 — ₨50.00' };

describeEachDatabase('cheap numbers API: getServers and getServices', (kind) => {
  let server: TestServer;
  let key: string;
  before(async () => {
    server = await startTestServer(kind);
    key = (await server.newAccount(50_000)).apiKey;
  });
  after(() => server.close());

  it('lists the reference servers of a fresh install, with string ids, as JSON', async () => {
    const response = await fetch(
      `${server.url}${CHEAP}?${new URLSearchParams({ api_key: key, action: 'getServers', type: '1' })}`,
    );
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^application\/json/);
    assert.deepEqual(await response.json(), { '1': SERVERS_TYPE_1 });
    // `type` is optional: omitted (or empty) means every type that has servers.
    assert.deepEqual(JSON.parse(await cheap(server, key, { action: 'getServers' })), { '1': SERVERS_TYPE_1 });
    assert.deepEqual(JSON.parse(await cheap(server, key, { action: 'getServers', type: '' })), {
      '1': SERVERS_TYPE_1,
    });
    assert.deepEqual(
      JSON.parse(await server.post(CHEAP, { api_key: key, action: 'getServers', type: '1' })),
      {
        '1': SERVERS_TYPE_1,
      },
    );
  });

  it('answers BAD_TYPE for a type other than 1 or 2, NO_SERVERS for an empty selection', async () => {
    for (const type of ['3', '0', 'x', '-1', '1.5']) {
      assert.equal(await cheap(server, key, { action: 'getServers', type }), 'BAD_TYPE', type);
    }
    assert.equal(await cheap(server, key, { action: 'getServers', type: '2' }), 'NO_SERVERS');
  });

  it('prices every server of the type in getServices: "name — ₨price", keyed by server id', async () => {
    const raw = await cheap(server, key, { action: 'getServices', server: '1', type: '1' });
    assert.deepEqual(JSON.parse(raw), SERVICES_TYPE_1);
    assert.ok(raw.includes('\u2014') || raw.includes('\\u2014'), 'an em dash, not a hyphen');
    assert.deepEqual(
      JSON.parse(await cheap(server, key, { action: 'getServices', server: '2', type: '1' })),
      SERVICES_TYPE_1,
    );
  });

  it('checks type before server: BAD_TYPE, then BAD_SERVER for a missing, malformed, unknown or other-type server', async () => {
    const cases: Array<[Record<string, string>, string]> = [
      [{ server: '1' }, 'BAD_TYPE'],
      [{ server: '1', type: '3' }, 'BAD_TYPE'],
      [{ server: '999', type: '7' }, 'BAD_TYPE'],
      [{ type: '1' }, 'BAD_SERVER'],
      [{ server: '', type: '1' }, 'BAD_SERVER'],
      [{ server: 'abc', type: '1' }, 'BAD_SERVER'],
      [{ server: '999', type: '1' }, 'BAD_SERVER'],
      [{ server: '1', type: '2' }, 'BAD_SERVER'],
    ];
    for (const action of ['getServices', 'buyNumber']) {
      for (const [params, expected] of cases) {
        assert.equal(
          await cheap(server, key, { action, ...params }),
          expected,
          `${action} ${JSON.stringify(params)}`,
        );
      }
    }
  });

  it('shows operator-added servers per type and answers BAD_SERVER for an inactive one', async () => {
    const now = server.clock.now();
    const sandbox = await server.ctx.db
      .selectFrom('upstreams')
      .select('id')
      .where('name', '=', 'sandbox-sms')
      .executeTakeFirstOrThrow();
    const id = await insertCheapServer(
      server.ctx.db,
      {
        type: 2,
        name: 'Global - Server 3',
        serviceName: 'Global Server 3',
        pricePaisa: 1_250,
        upstreamId: sandbox.id,
        upstreamCountry: '1',
        upstreamService: 'ot',
        enabled: true,
      },
      now,
    );
    assert.deepEqual(JSON.parse(await cheap(server, key, { action: 'getServers' })), {
      '1': SERVERS_TYPE_1,
      '2': [{ id: String(id), name: 'Global - Server 3' }],
    });
    assert.deepEqual(
      JSON.parse(await cheap(server, key, { action: 'getServices', server: String(id), type: '2' })),
      { [String(id)]: 'Global Server 3 — ₨12.50' },
    );
    await updateCheapServer(server.ctx.db, id, { enabled: false }, now);
    assert.equal(await cheap(server, key, { action: 'getServers', type: '2' }), 'NO_SERVERS');
    for (const action of ['getServices', 'buyNumber']) {
      assert.equal(await cheap(server, key, { action, server: String(id), type: '2' }), 'BAD_SERVER');
    }
    await updateCheapServer(server.ctx.db, 1, { enabled: false }, now);
    await updateCheapServer(server.ctx.db, 2, { enabled: false }, now);
    try {
      assert.equal(await cheap(server, key, { action: 'getServers' }), 'NO_SERVERS');
    } finally {
      await updateCheapServer(server.ctx.db, 1, { enabled: true }, now);
      await updateCheapServer(server.ctx.db, 2, { enabled: true }, now);
    }
  });

  it('answers NO_SERVICES and NO_NUMBERS while the upstream behind a type is switched off', async () => {
    const now = server.clock.now();
    const offline = await insertUpstream(
      server.ctx.db,
      { name: 'switched-off', kind: 'sms', protocol: 'sandbox', currency: 'PKR', enabled: false },
      now,
    );
    const id = await insertCheapServer(
      server.ctx.db,
      {
        type: 2,
        name: 'Offline - Server 4',
        serviceName: 'Offline Server 4',
        pricePaisa: 100,
        upstreamId: offline,
        upstreamCountry: '92',
        upstreamService: 'ot',
        enabled: true,
      },
      now,
    );
    assert.deepEqual(JSON.parse(await cheap(server, key, { action: 'getServers', type: '2' })), {
      '2': [{ id: String(id), name: 'Offline - Server 4' }],
    });
    assert.equal(
      await cheap(server, key, { action: 'getServices', server: String(id), type: '2' }),
      'NO_SERVICES',
    );
    const buyer = await server.newAccount(1_000);
    assert.equal(
      await cheap(server, buyer.apiKey, { action: 'buyNumber', server: String(id), type: '2' }),
      'NO_NUMBERS',
    );
    assert.equal(await cheap(server, buyer.apiKey, { action: 'getBalance' }), 'ACCESS_BALANCE:10.00');
    await updateCheapServer(server.ctx.db, id, { enabled: false }, now);
  });

  it('answers the shared words for a bad key and an unknown action', async () => {
    assert.equal(await cheap(server, 'nope', { action: 'getServers' }), 'BAD_KEY');
    assert.equal(await cheap(server, key, { action: 'getNumber' }), 'BAD_ACTION');
  });
});
