import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import {
  type PinnedTarget,
  systemWebhookNetwork,
  type WebhookNetwork,
} from '../../src/webhooks/webhook-destination.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const HOOKS = '/api/webhooks';

/**
 * A network that never leaves this process: names resolve from a script (a list of answers per
 * lookup, the last repeated), and a POST is recorded with the address it would connect to and
 * answered 200 without opening any connection.
 */
function recordingNetwork(script: Record<string, string[][]>) {
  const lookups: string[] = [];
  const posts: Array<{ url: string; address: string }> = [];
  const network: WebhookNetwork = {
    async resolve(host) {
      lookups.push(host);
      const answers = script[host];
      if (!answers) throw new Error(`ENOTFOUND ${host}`);
      const seen = lookups.filter((h) => h === host).length;
      return answers[Math.min(seen, answers.length) - 1] ?? [];
    },
    async post(target: PinnedTarget) {
      posts.push({ url: target.url.href, address: target.address });
      return 200;
    },
  };
  return { network, lookups, posts };
}

/** Address spellings a customer can put in a URL; each is loopback, private or special-use. */
const LITERAL_URLS = [
  'http://127.0.0.1/hook',
  'http://127.1/hook',
  'http://2130706433/hook',
  'http://0x7f000001/hook',
  'http://0x7f.0.0.1/hook',
  'http://0177.0.0.1/hook',
  'http://017700000001/hook',
  'http://127.000.000.001/hook',
  'http://127.0.0.1./hook',
  'http://[::ffff:127.0.0.1]/hook',
  'http://[::ffff:7f00:1]/hook',
  'http://[0:0:0:0:0:ffff:127.0.0.1]/hook',
  'http://[::ffff:a9fe:a9fe]/latest/meta-data',
  'http://[::127.0.0.1]/hook',
  'http://[::ffff:0:7f00:1]/hook',
  'http://[64:ff9b::127.0.0.1]/hook',
  'http://[64:ff9b::a9fe:a9fe]/latest',
  'http://[2002:7f00:1::]/hook',
  'http://[2002:a9fe:a9fe::1]/latest',
  'http://[::]/hook',
  'http://0/hook',
  'http://0.0.0.0:8080/hook',
  'http://[::1]:8/hook',
  'http://169.254.169.254/latest/meta-data',
  'http://10.1.2.3/x',
  'http://172.16.0.1/x',
  'http://192.168.1.1/x',
  'http://100.64.0.1/x',
  'http://198.18.0.1/x',
  'http://224.0.0.1/x',
  'http://255.255.255.255/x',
  'http://192.0.2.1/x',
  'http://[fec0::1]/x',
  'http://[fd00::1]/x',
  'http://[fe80::1]/x',
  'http://[ff02::1]/x',
  'http://[2001:db8::1]/x',
  'http://localhost/x',
  'http://LOCALHOST./x',
  'http://api.localhost/x',
  'http://localhost.localdomain/x',
];

/** Names and what the resolver answers for them: every one has a non-public answer. */
const RESOLVED: Record<string, string[][]> = {
  'mapped-hex.example': [['::ffff:7f00:1']],
  'mapped-dotted.example': [['::ffff:127.0.0.1']],
  'one-bad-answer.example': [['93.184.216.34', '10.0.0.5']],
  'nat64-metadata.example': [['64:ff9b::a9fe:a9fe']],
  '6to4-private.example': [['2002:c0a8:101::1']],
  'numeric-answer.example': [['2130706433']],
  'unique-local.example': [['fd12:3456::1']],
  'trailing-dot.example.': [['10.9.9.9']],
  'empty.example': [[]],
};
const RESOLVED_URLS = [
  ...Object.keys(RESOLVED).map((host) => `https://${host}/hook`),
  'https://nxdomain.example/',
];

describeEachDatabase('webhook destinations (SSRF)', (kind) => {
  const fake = recordingNetwork({
    ...RESOLVED,
    'hooks.example.com': [['93.184.216.34', '2606:2800:220:1::1']],
    // Public when the webhook is added, private from the next lookup on (DNS rebinding).
    'rebinding.example': [['93.184.216.34'], ['127.0.0.1']],
  });
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind, { webhookNetwork: fake.network });
  });
  after(() => server.close());

  const hooks = (apiKey: string, params: Record<string, string>) =>
    server.getJson<Record<string, unknown>>(HOOKS, { api_key: apiKey, ...params });

  /** A webhook row as if it had been added before (so delivery's own check is what stops it). */
  async function storedHook(accountId: number, url: string): Promise<string> {
    const row = await server.ctx.db
      .insertInto('webhooks')
      .values({
        account_id: accountId,
        url,
        secret: 'whsec_test',
        enabled: 1,
        created_at: 0,
        removed_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return String(row.id);
  }

  it(`refuses ${LITERAL_URLS.length + RESOLVED_URLS.length} internal spellings when added and when sent`, async () => {
    assert.ok(LITERAL_URLS.length + RESOLVED_URLS.length >= 30);
    for (const url of [...LITERAL_URLS, ...RESOLVED_URLS]) {
      const account = await server.newAccount(0);
      const added = await hooks(account.apiKey, { action: 'add', url });
      assert.equal(added.status, '400', `added: ${url}`);
      assert.match(added.message as string, /^url is not allowed: /, url);

      const id = await storedHook(account.id, url);
      const sent = await hooks(account.apiKey, { action: 'test', id });
      assert.equal(sent.delivered, false, `sent: ${url}`);
      const log = (await hooks(account.apiKey, { action: 'deliveries', id })).deliveries as Array<
        Record<string, unknown>
      >;
      assert.match(String(log[0]?.error), /^not sent: /, url);
    }
    assert.deepEqual(fake.posts, [], 'no POST was attempted to any of them');
    assert.ok(
      !fake.lookups.some((host) => /localhost/i.test(host)),
      'localhost names are refused unresolved',
    );
  });

  it('a public name is added and sent to the address that was checked, from one lookup per attempt', async () => {
    const { id: accountId, apiKey } = await server.newAccount(0);
    const added = await hooks(apiKey, { action: 'add', url: 'https://hooks.example.com/in' });
    assert.equal(added.status, '200');
    const lookupsBefore = fake.lookups.length;
    const sent = await hooks(apiKey, { action: 'test', id: added.id as string });
    assert.equal(sent.delivered, true);
    assert.deepEqual(fake.lookups.slice(lookupsBefore), ['hooks.example.com']);
    assert.deepEqual(fake.posts.at(-1), { url: 'https://hooks.example.com/in', address: '93.184.216.34' });
    assert.ok(accountId > 0);
  });

  it('a name that resolves public, then private, is refused at delivery and never connected to', async () => {
    const { apiKey } = await server.newAccount(0);
    const added = await hooks(apiKey, { action: 'add', url: 'http://rebinding.example/hook' });
    assert.equal(added.status, '200', 'public when added');
    const postsBefore = fake.posts.length;
    const sent = await hooks(apiKey, { action: 'test', id: added.id as string });
    assert.equal(sent.delivered, false);
    assert.equal(fake.posts.length, postsBefore);
  });
});

describeEachDatabase('webhook sends on the real network (127.0.0.1 only)', (kind) => {
  const received: Array<{ url: string; headers: IncomingHttpHeaders }> = [];
  const receiver = createServer((request, response) => {
    received.push({ url: request.url ?? '', headers: request.headers });
    response.writeHead(request.url === '/moved' ? 302 : 200, { location: '/elsewhere' }).end('ok');
  });
  let port = 0;
  let server: TestServer;
  before(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    port = (receiver.address() as AddressInfo).port;
    // Names resolve from a script (pointing at the receiver); connections are real.
    const network: WebhookNetwork = {
      resolve: async (host) => (host === 'receiver.invalid' ? ['127.0.0.1'] : []),
      post: systemWebhookNetwork.post,
    };
    server = await startTestServer(kind, {
      env: { OTPGET_WEBHOOKS_ALLOW_PRIVATE: 'on' },
      webhookNetwork: network,
    });
  });
  after(async () => {
    await server.close();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('connects to the pinned address, not to a fresh lookup of the name (which would fail)', async () => {
    const { apiKey } = await server.newAccount(0);
    const added = await server.getJson(HOOKS, {
      api_key: apiKey,
      action: 'add',
      url: `http://receiver.invalid:${port}/pinned`,
    });
    assert.equal(added.status, '200');
    const sent = await server.getJson(HOOKS, { api_key: apiKey, action: 'test', id: added.id as string });
    assert.equal(sent.delivered, true);
    assert.equal(received.at(-1)?.url, '/pinned');
    assert.equal(received.at(-1)?.headers.host, `receiver.invalid:${port}`);
  });

  it('follows no redirect: a 302 is not delivered and nothing is sent to its location', async () => {
    const { apiKey } = await server.newAccount(0);
    const added = await server.getJson(HOOKS, {
      api_key: apiKey,
      action: 'add',
      url: `http://127.0.0.1:${port}/moved`,
    });
    const before = received.length;
    const sent = await server.getJson(HOOKS, { api_key: apiKey, action: 'test', id: added.id as string });
    assert.equal(sent.delivered, false);
    assert.deepEqual(
      received.slice(before).map((r) => r.url),
      ['/moved'],
    );
  });

  it('still refuses special-use addresses when private ones are allowed', async () => {
    const { apiKey } = await server.newAccount(0);
    for (const url of [
      'http://169.254.169.254/latest',
      'http://[::ffff:a9fe:a9fe]/',
      'http://0.0.0.0/',
      'http://224.0.0.1/',
    ]) {
      const added = await server.getJson(HOOKS, { api_key: apiKey, action: 'add', url });
      assert.equal(added.status, '400', url);
    }
  });
});
