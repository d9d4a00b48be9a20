/**
 * Refund exactly once while a customer's cancelEmail (several at once), the expiry worker (two
 * workers at once) and a letter arriving all hit the same email at the same moment.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { runEmailOrders } from '../../src/emails/email-jobs.js';
import type { EmailActivationState } from '../../src/providers/types.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  assertLedgerClean,
  deliver,
  EMAIL,
  type Json,
  orderLedger,
  ScriptedEmailProvider,
  scriptedFactories,
  serveFromUpstream,
} from './email-test-support.js';

const TTL_MS = 1_200_000;
const ROUNDS = 12;

/** A little random delay, so every round interleaves the racers differently. */
const jitter = () => new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 4)));

/**
 * An upstream that is atomic the way real ones are: once a letter arrived it refuses to cancel;
 * once cancelled, no letter arrives.
 */
class AtomicMailboxes {
  private readonly boxes = new Map<string, { arrived: boolean; cancelled: boolean }>();
  private box(id: string) {
    let box = this.boxes.get(id);
    if (!box) {
      box = { arrived: false, cancelled: false };
      this.boxes.set(id, box);
    }
    return box;
  }
  arrive(id: string): void {
    const box = this.box(id);
    if (!box.cancelled) box.arrived = true;
  }
  async state(id: string): Promise<EmailActivationState> {
    await jitter();
    const box = this.box(id);
    if (box.arrived)
      return {
        state: 'received',
        messages: [
          {
            id: `${id}-m`,
            text: `Your code is 907 ${id.replace(/\D/g, '').padStart(3, '0').slice(-3)}`,
            receivedAt: 0,
          },
        ],
      };
    return box.cancelled ? { state: 'cancelled' } : { state: 'waiting' };
  }
  async cancel(id: string): Promise<boolean> {
    await jitter();
    const box = this.box(id);
    if (box.arrived) return false;
    box.cancelled = true;
    return true;
  }
}

/**
 * When the letter lands in a round: first thing (it must win), never (a refund must happen), or
 * at a random moment while the cancels and workers run.
 */
function letter(round: number, arrive: () => void): Promise<void> {
  if (round % 4 === 0) return Promise.resolve(arrive());
  if (round % 4 === 3) return Promise.resolve();
  return new Promise((resolve) => setTimeout(() => resolve(arrive()), Math.floor(Math.random() * 25)));
}

async function settleAndCheck(server: TestServer, emailId: string, cancelReplies: Json[]): Promise<string> {
  // Let any path that lost a race finish its work (a letter recorded after a refused cancel, …).
  for (let i = 0; i < 3; i++) {
    server.clock.advance(6_000);
    await server.runJobs();
  }
  const order = await server.ctx.db
    .selectFrom('email_orders')
    .select(['state', 'code', 'price_paisa'])
    .where('id', '=', Number(emailId))
    .executeTakeFirstOrThrow();
  const ledger = await orderLedger(server, emailId);
  const refundedReplies = cancelReplies.filter((r) => r.refunded !== undefined);
  const codeReplies = cancelReplies.filter((r) => r.code !== undefined);
  if (order.state === 'cancelled' || order.state === 'expired') {
    assert.deepEqual(ledger, [
      ['order_debit', -order.price_paisa],
      ['order_refund', order.price_paisa],
    ]);
    assert.equal(codeReplies.length, 0, 'no code handed out for a refunded email');
    assert.ok(refundedReplies.length <= 1, 'at most one cancel says it refunded');
    if (refundedReplies.length === 1) assert.equal(order.state, 'cancelled');
  } else {
    assert.ok(order.state === 'received' || order.state === 'completed', `unexpected state ${order.state}`);
    assert.deepEqual(ledger, [['order_debit', -order.price_paisa]]);
    assert.equal(refundedReplies.length, 0, 'no refund once a letter came');
    assert.match(order.code ?? '', /^907\d{3}$/);
  }
  for (const reply of cancelReplies) assert.ok(['200', '300', '500'].includes(reply.status as string));
  return order.state;
}

describeEachDatabase('temp email API: refund exactly once under a cancel / expiry / letter race', (kind) => {
  let server: TestServer;
  let apiKey: string;
  const mailboxes = new AtomicMailboxes();
  const provider = new ScriptedEmailProvider();
  provider.state = (id) => mailboxes.state(id);
  provider.cancelResult = (id) => mailboxes.cancel(id);

  before(async () => {
    server = await startTestServer(kind, { factories: scriptedFactories(provider) });
    await serveFromUpstream(server, 2, { name: 'atomic', protocol: 'scripted' });
    ({ apiKey } = await server.newAccount(10_000_000));
  });
  after(() => server.close());

  const call = (params: Record<string, string>) =>
    server.getJson<Json>(EMAIL, { api_key: apiKey, ...params });

  it('settles each email one way only, whoever wins', async () => {
    const outcomes = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const bought = await call({
        action: 'buyEmail',
        server: '2',
        domain: 'gmail.com',
        site: 'telegram.org',
      });
      const emailId = bought.email_id as string;
      const upstreamId = `up-${provider.buys}`;
      server.clock.advance(TTL_MS);
      const signal = new AbortController().signal;
      const cancels = [0, 1, 2].map(() =>
        jitter().then(() => call({ action: 'cancelEmail', email_id: emailId })),
      );
      const [cancelReplies] = await Promise.all([
        Promise.all(cancels),
        runEmailOrders(server.ctx, signal),
        runEmailOrders(server.ctx, signal),
        letter(round, () => mailboxes.arrive(upstreamId)),
      ]);
      outcomes.add(await settleAndCheck(server, emailId, cancelReplies));
    }
    // Both endings happen: an early letter always wins, no letter always ends in one refund.
    assert.ok(outcomes.has('completed'), [...outcomes].join());
    assert.ok(outcomes.has('cancelled') || outcomes.has('expired'), [...outcomes].join());
    await assertLedgerClean(server);
  });
});

describeEachDatabase('temp email API: the same race on the sandbox upstream', (kind) => {
  let server: TestServer;
  let apiKey: string;
  before(async () => {
    server = await startTestServer(kind);
    ({ apiKey } = await server.newAccount(10_000_000));
  });
  after(() => server.close());

  it('refunds at most once and never both refunds and delivers', async () => {
    for (let round = 0; round < ROUNDS / 2; round++) {
      const bought = await server.getJson<Json>(EMAIL, {
        api_key: apiKey,
        action: 'buyEmail',
        service_id: 'tg',
      });
      const emailId = bought.email_id as string;
      server.clock.advance(TTL_MS);
      const signal = new AbortController().signal;
      const [cancelReplies] = await Promise.all([
        Promise.all(
          [0, 1].map(() =>
            jitter().then(() =>
              server.getJson<Json>(EMAIL, { api_key: apiKey, action: 'cancelEmail', email_id: emailId }),
            ),
          ),
        ),
        runEmailOrders(server.ctx, signal),
        jitter().then(() => deliver(server, emailId, `Telegram code: 907${String(round).padStart(3, '0')}`)),
      ]);
      await settleAndCheck(server, emailId, cancelReplies);
    }
    await assertLedgerClean(server);
  });
});
