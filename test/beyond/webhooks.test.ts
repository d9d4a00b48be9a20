import assert from 'node:assert/strict';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { after, before, it } from 'node:test';
import { Value } from '@sinclair/typebox/value';
import pino from 'pino';
import { createContext } from '../../src/app.js';
import { openDatabase } from '../../src/db/database.js';
import { deliverSandboxMessage } from '../../src/providers/sandbox/deliver.js';
import { upstreamOrderResolvers } from '../../src/sandbox-order-resolvers.js';
import { WEBHOOK_REPLIES, type WebhookAction } from '../../src/webhooks/webhooks.contract.js';
import { buildJobs } from '../../src/workers/jobs.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const HOOKS = '/api/webhooks';
const SMS = '/stubs/handler_api.php';
const EMAIL = '/stubs/email_handler.php';
const RENTAL = '/stubs/rental-handler.php';

/** A customer's webhook receiver on 127.0.0.1: records what it gets, answers the scripted statuses (then 200). */
async function startReceiver() {
  const received: Array<{ headers: IncomingHttpHeaders; body: string }> = [];
  const statuses: number[] = [];
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
    });
    request.on('end', () => {
      received.push({ headers: request.headers, body });
      response.statusCode = statuses.shift() ?? 200;
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    statuses,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** What a customer's receiver does: recompute the HMAC over "<timestamp>.<body>" and compare in constant time. */
function verify(secret: string, headers: IncomingHttpHeaders, body: string): boolean {
  const timestamp = String(headers['x-otpget-timestamp']);
  const expected = `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  const given = String(headers['x-otpget-signature']);
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

describeEachDatabase('customer webhooks', (kind) => {
  let server: TestServer;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  before(async () => {
    server = await startTestServer(kind, { env: { OTPGET_WEBHOOKS_ALLOW_PRIVATE: 'on' } });
    receiver = await startReceiver();
  });
  after(async () => {
    await receiver.close();
    await server.close();
  });

  /** A call of /api/webhooks whose reply has its action's documented shape (webhooks.contract.ts). */
  const hooks = async (apiKey: string, params: Record<string, string>) => {
    const body = await server.getJson<Record<string, unknown>>(HOOKS, { api_key: apiKey, ...params });
    const action = (params.action ?? 'list') as WebhookAction;
    const schema = body.status === '200' ? WEBHOOK_REPLIES[action] : WEBHOOK_REPLIES.refused;
    const wrong = Value.Errors(schema, body).First();
    assert.equal(wrong, undefined, `${action}: ${wrong?.path} ${wrong?.message} in ${JSON.stringify(body)}`);
    return body;
  };
  const deliver = (orderId: string, text: string) =>
    deliverSandboxMessage(server.ctx.db, upstreamOrderResolvers, { orderId, text, now: server.clock.now() });

  async function customerWithHook() {
    const account = await server.newAccount(5_000_000);
    const added = await hooks(account.apiKey, { action: 'add', url: receiver.url });
    assert.equal(added.status, '200');
    assert.match(added.secret as string, /^whsec_[0-9a-f]{48}$/);
    return { ...account, hookId: added.id as string, secret: added.secret as string };
  }

  async function buySms(apiKey: string) {
    const bought = await server.get(SMS, {
      api_key: apiKey,
      action: 'getNumber',
      service: '101',
      country: '61',
      type: '1',
    });
    assert.match(bought, /^ACCESS_NUMBER:/);
    return bought.split(':')[1] as string;
  }

  it('adds, lists (never the secret) and removes webhooks; refuses bad URLs and keys', async () => {
    const { apiKey, hookId } = await customerWithHook();
    const listed = await hooks(apiKey, { action: 'list' });
    assert.deepEqual(
      (listed.webhooks as Array<Record<string, string>>).map((h) => [h.id, h.url, 'secret' in h]),
      [[hookId, receiver.url, false]],
    );
    assert.equal((await hooks(apiKey, { action: 'add', url: 'ftp://example.com/x' })).status, '400');
    assert.equal((await hooks(apiKey, { action: 'add', url: 'not a url' })).status, '400');
    assert.equal((await hooks('wrong-key', { action: 'list' })).status, '401');
    const other = await server.newAccount(0);
    assert.equal((await hooks(other.apiKey, { action: 'remove', id: hookId })).status, '404');
    assert.equal((await hooks(apiKey, { action: 'remove', id: hookId })).status, '200');
    assert.deepEqual((await hooks(apiKey, { action: 'list' })).webhooks, []);
  });

  it('refuses loopback, private and link-local URLs unless the operator allows them', async () => {
    const strict = await startTestServer(kind);
    try {
      const { apiKey } = await strict.newAccount(0);
      for (const url of [
        receiver.url,
        'http://10.1.2.3/x',
        'http://169.254.169.254/latest',
        'http://[::1]:8/x',
        'http://localhost/x',
      ]) {
        const added = await strict.getJson<Record<string, unknown>>(HOOKS, {
          api_key: apiKey,
          action: 'add',
          url,
        });
        assert.equal(added.status, '400', url);
        assert.match(added.message as string, /not allowed/);
      }
      const ok = await strict.getJson<Record<string, unknown>>(HOOKS, {
        api_key: apiKey,
        action: 'add',
        url: 'http://93.184.216.34/hook',
      });
      assert.equal(ok.status, '200');
    } finally {
      await strict.close();
    }
  });

  it('POSTs a code as JSON with a signature the receiver can verify', async () => {
    const { apiKey, secret } = await customerWithHook();
    const id = await buySms(apiKey);
    const before = receiver.received.length;
    await deliver(id, 'Your code is 482913');
    server.clock.advance(1_000);
    await server.runJobs();
    const got = receiver.received.slice(before);
    assert.equal(got.length, 1);
    const { headers, body } = got[0] as { headers: IncomingHttpHeaders; body: string };
    assert.ok(verify(secret, headers, body), 'signature verifies with the secret shown once');
    assert.ok(!verify(secret, headers, body.replace('482913', '000000')), 'a changed body does not verify');
    assert.equal(headers['content-type'], 'application/json');
    assert.equal(headers['x-otpget-event'], 'activation.code');
    assert.equal(headers['x-otpget-timestamp'], String(Math.floor(server.clock.now() / 1000)));
    const event = JSON.parse(body);
    assert.equal(event.type, 'activation.code');
    assert.equal(event.line, 'sms');
    assert.equal(event.order_id, id);
    assert.equal(event.data.code, '482913');
    assert.equal(event.data.text, 'Your code is 482913');
    assert.match(event.id, /^[0-9a-f-]{36}$/);
  });

  it('retries after a 500 with backoff (same body, same delivery id) and logs each attempt', async () => {
    const { apiKey, secret } = await customerWithHook();
    const id = await buySms(apiKey);
    const before = receiver.received.length;
    receiver.statuses.push(500);
    await deliver(id, 'Your code is 111222');
    server.clock.advance(1_000);
    await server.runJobs();
    assert.equal(receiver.received.length, before + 1);
    let log = (await hooks(apiKey, { action: 'deliveries' })).deliveries as Array<Record<string, unknown>>;
    assert.equal(log[0]?.state, 'pending');
    assert.equal(log[0]?.attempts, 1);
    assert.equal(log[0]?.response_status, 500);
    // Not yet due: the first retry waits 30 s.
    server.clock.advance(10_000);
    await server.runJobs();
    assert.equal(receiver.received.length, before + 1);
    server.clock.advance(21_000);
    await server.runJobs();
    assert.equal(receiver.received.length, before + 2);
    const [first, second] = receiver.received.slice(before) as Array<{
      headers: IncomingHttpHeaders;
      body: string;
    }>;
    assert.equal(second?.body, first?.body);
    assert.equal(second?.headers['x-otpget-delivery'], first?.headers['x-otpget-delivery']);
    assert.ok(second && verify(secret, second.headers, second.body));
    log = (await hooks(apiKey, { action: 'deliveries' })).deliveries as Array<Record<string, unknown>>;
    assert.equal(log[0]?.state, 'delivered');
    assert.equal(log[0]?.attempts, 2);
    assert.equal(log[0]?.response_status, 200);
  });

  it('gives up a day after the event; stored deliveries are sent by another process after a restart', async () => {
    const { apiKey } = await customerWithHook();
    const id = await buySms(apiKey);
    receiver.statuses.push(503);
    await deliver(id, 'Your code is 333444');
    server.clock.advance(1_000);
    await server.runJobs();
    server.clock.advance(25 * 3600_000);
    receiver.statuses.push(503);
    await server.runJobs();
    const log = (await hooks(apiKey, { action: 'deliveries' })).deliveries as Array<Record<string, unknown>>;
    assert.equal(log[0]?.state, 'failed');
    assert.equal(log[0]?.attempts, 2);

    // A delivery stored by this process, sent by a fresh process on the same database.
    const next = await customerWithHook();
    const order = await buySms(next.apiKey);
    await deliver(order, 'Your code is 555666');
    const database = openDatabase(server.ctx.config.databaseUrl, { poolSize: 2 });
    const restarted = createContext(server.ctx.config, database, {
      clock: server.clock,
      log: pino({ level: 'silent' }),
    });
    try {
      server.clock.advance(1_000);
      // Only the activation poll of the first process records the code (and stores the delivery)...
      const activationPoll = buildJobs(server.ctx).find((job) => job.name === 'activations.poll');
      assert.ok(activationPoll);
      await activationPoll.run(new AbortController().signal);
      const before = receiver.received.length;
      // ...and the second process's worker sends it.
      const send = buildJobs(restarted).find((job) => job.name === 'webhook-deliveries');
      assert.ok(send);
      await send.run(new AbortController().signal);
      assert.equal(receiver.received.length, before + 1);
      assert.equal(JSON.parse(receiver.received.at(-1)?.body ?? '{}').data.code, '555666');
    } finally {
      await restarted.events.close();
      await database.close();
    }
  });

  it('sends email letters and rental SMS too', async () => {
    const { apiKey } = await customerWithHook();
    const before = receiver.received.length;
    const email = await server.getJson<Record<string, unknown>>(EMAIL, {
      api_key: apiKey,
      action: 'buyEmail',
      service_id: 'ig',
    });
    await deliver(String(email.email_id), 'Your Instagram code is 778899');
    server.clock.advance(5_000);
    await server.runJobs();
    const rental = await server.getJson<Record<string, unknown>>(RENTAL, {
      api_key: apiKey,
      action: 'rentNumber',
      country_code: 'ca',
      provider: '2',
      duration_hours: '720',
    });
    assert.equal(rental.status, '200');
    await deliver(String(rental.order_id), 'WhatsApp code 246-810');
    for (let i = 0; i < 3 && receiver.received.length < before + 2; i++) {
      server.clock.advance(60_000);
      await server.runJobs();
    }
    const events = receiver.received.slice(before).map((r) => JSON.parse(r.body));
    assert.deepEqual(
      events.map((e) => [e.type, e.line, e.order_id]),
      [
        ['email.message', 'email', String(email.email_id)],
        ['rental.sms', 'rental', rental.order_id],
      ],
    );
    assert.equal(events[0].data.code, '778899');
    assert.equal(events[0].data.email, email.email);
    assert.equal(events[1].data.text, 'WhatsApp code 246-810');
  });

  it('the test action sends a signed webhook.test event now and says only whether it was delivered', async () => {
    const { apiKey, hookId, secret } = await customerWithHook();
    const before = receiver.received.length;
    const sent = await hooks(apiKey, { action: 'test', id: hookId });
    assert.equal(sent.status, '200');
    assert.equal(sent.delivered, true);
    // Delivered or not, never what the receiver answered (that would make the action a port scanner).
    assert.equal('response_status' in sent, false);
    assert.equal('error' in sent, false);
    const got = receiver.received[before];
    assert.ok(got && verify(secret, got.headers, got.body));
    assert.equal(JSON.parse(got.body).type, 'webhook.test');
    receiver.statuses.push(500);
    const failed = await hooks(apiKey, { action: 'test', id: hookId });
    assert.equal(failed.delivered, false);
    assert.equal('response_status' in failed, false);
    assert.equal(failed.message, 'Not delivered; it is retried like any delivery.');
    assert.equal((await hooks(apiKey, { action: 'test', id: '999999' })).status, '404');
  });

  it('keeps finished deliveries in the log for 30 days, then removes them', async () => {
    const { apiKey, hookId } = await customerWithHook();
    await hooks(apiKey, { action: 'test', id: hookId });
    const count = async () =>
      ((await hooks(apiKey, { action: 'deliveries' })).deliveries as unknown[]).length;
    assert.equal(await count(), 1);
    server.clock.advance(29 * 24 * 3600_000);
    await server.runJobs();
    assert.equal(await count(), 1);
    server.clock.advance(2 * 24 * 3600_000);
    await server.runJobs();
    assert.equal(await count(), 0);
  });
});
