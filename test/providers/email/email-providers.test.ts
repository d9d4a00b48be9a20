/**
 * The behaviour every EmailProvider adapter owes the email line, run against each adapter and
 * its scripted fake upstream over real HTTP.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { KopeechkaEmailProvider } from '../../../src/providers/email/kopeechka-client.js';
import { SmsActivateEmailProvider } from '../../../src/providers/email/sms-activate-email-client.js';
import { type EmailProvider, UpstreamError, type UpstreamFailureKind } from '../../../src/providers/types.js';
import {
  type EmailFake,
  type EmailFakeAction,
  type EmailFakeOptions,
  startFakeKopeechka,
  startFakeSmsActivateEmail,
} from '../../fakes/email-fakes.js';

// Generous for ordinary calls (the first fetch of a process is slow on a busy machine); short
// for the calls that are meant to time out.
const TIMEOUT_MS = 5000;
const FAULT_TIMEOUT_MS = 250;
const SITE = 'instagram.com';

interface Upstream {
  name: string;
  start(options?: EmailFakeOptions): Promise<EmailFake>;
  provider(fake: EmailFake, options?: { token?: string; timeoutMs?: number }): EmailProvider;
  /** Whether the purchase reply states its cost. */
  reportsCost: boolean;
}

const upstreams: Upstream[] = [
  {
    name: 'kopeechka',
    start: startFakeKopeechka,
    provider: (fake, options) =>
      new KopeechkaEmailProvider({
        baseUrl: fake.url,
        token: options?.token ?? fake.token,
        timeoutMs: options?.timeoutMs ?? TIMEOUT_MS,
      }),
    reportsCost: false,
  },
  {
    name: 'sms-activate email v2',
    start: startFakeSmsActivateEmail,
    provider: (fake, options) =>
      new SmsActivateEmailProvider({
        baseUrl: fake.url,
        token: options?.token ?? fake.token,
        timeoutMs: options?.timeoutMs ?? TIMEOUT_MS,
      }),
    reportsCost: true,
  },
];

/** Await a rejection of the given kind; every error is also checked for the token. */
async function rejects(
  promise: Promise<unknown>,
  kind: UpstreamFailureKind,
  token: string,
): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UpstreamError, `expected UpstreamError, got ${String(error)}`);
    assert.equal(error.kind, kind, `raw: ${error.raw}`);
    assert.ok(!`${error.message} ${error.raw} ${error.stack}`.includes(token), 'token leaked into the error');
    assert.ok(error.raw.length <= 200);
    return error;
  }
  assert.fail(`expected ${kind}`);
}

/** Faults that only end when the client gives up; they use the provider with the short timeout. */
function waitsForTimeout(fault: string): boolean {
  return fault === 'timeout' || fault === 'slow' || fault === 'lost-reply';
}

async function withFake(
  upstream: Upstream,
  options: EmailFakeOptions,
  body: (fake: EmailFake, provider: EmailProvider, quick: EmailProvider) => Promise<void>,
): Promise<void> {
  const fake = await upstream.start({ token: 'Tok3n/with+special=chars', ...options });
  try {
    await body(fake, upstream.provider(fake), upstream.provider(fake, { timeoutMs: FAULT_TIMEOUT_MS }));
  } finally {
    await fake.close();
  }
}

for (const upstream of upstreams) {
  describe(`EmailProvider contract: ${upstream.name}`, () => {
    const run = (
      options: EmailFakeOptions,
      body: (fake: EmailFake, provider: EmailProvider, quick: EmailProvider) => Promise<void>,
    ) => withFake(upstream, options, body);

    it('lists domains with exact costs and stock', () =>
      run({}, async (_fake, provider) => {
        const domains = await provider.getDomains?.(SITE);
        assert.deepEqual(domains, [
          { domain: 'gmail.com', costMicros: 70_000, stock: 120 },
          { domain: 'outlook.com', costMicros: 35_000, stock: 40 },
          { domain: 'mail.com', costMicros: 20_000, stock: 0 },
        ]);
      }));

    it('parses prices exactly, whether written as JSON numbers or strings', async () => {
      const domains = {
        'a.com': { cost: '0.1', stock: 1 },
        'b.com': { cost: '1.005', stock: 2 },
        'c.com': { cost: '0.123456789', stock: 3 },
        'd.com': { cost: '123456.654321', stock: 4 },
        'e.com': { cost: '12', stock: 5 },
      };
      const expected = [100_000, 1_005_000, 123_457, 123_456_654_321, 12_000_000];
      for (const pricesAsStrings of [false, true]) {
        await run({ domains, pricesAsStrings }, async (_fake, provider) => {
          const costs = (await provider.getDomains?.(SITE))?.map((domain) => domain.costMicros);
          assert.deepEqual(costs, expected);
        });
      }
    });

    it('buys a mailbox for a site and domain', () =>
      run({ balance: '1' }, async (fake, provider) => {
        const purchase = await provider.buyEmail({ domain: 'gmail.com', site: SITE });
        const mailbox = fake.mailbox(purchase.upstreamOrderId);
        assert.ok(mailbox, 'the upstream knows the mailbox');
        assert.equal(purchase.email, mailbox.email);
        assert.match(purchase.email, /@gmail\.com$/);
        assert.equal(mailbox.site, SITE);
        assert.equal(mailbox.domain, 'gmail.com');
        assert.equal(purchase.costMicros, upstream.reportsCost ? 70_000 : undefined);
        assert.equal(fake.balance(), '0.93');
        assert.equal(fake.count('buy'), 1);
      }));

    it('reports waiting until a letter arrives', () =>
      run({}, async (_fake, provider) => {
        const { upstreamOrderId } = await provider.buyEmail({ domain: 'gmail.com', site: SITE });
        assert.deepEqual(await provider.getActivation(upstreamOrderId), { state: 'waiting' });
      }));

    it('returns the full HTML letter, the upstream value as code, and a stable message id', () =>
      run({}, async (fake, provider) => {
        const { upstreamOrderId } = await provider.buyEmail({ domain: 'gmail.com', site: SITE });
        const html =
          '<html><body><p>Your code is <b>482913</b></p><a href="https://instagram.com/c/482913">go</a></body></html>';
        fake.deliverEmail(upstreamOrderId, { from: 'security@mail.instagram.com', subject: 'Code', html });
        const first = await provider.getActivation(upstreamOrderId);
        const second = await provider.getActivation(upstreamOrderId);
        assert.equal(first.state, 'received');
        assert.equal(second.state, 'received');
        if (first.state !== 'received' || second.state !== 'received') return;
        assert.equal(first.messages.length, 1);
        const [message] = first.messages;
        assert.equal(message?.text, html);
        assert.equal(message?.code, 'https://instagram.com/c/482913');
        assert.equal(typeof message?.receivedAt, 'number');
        assert.equal(second.messages[0]?.id, message?.id);
      }));

    it('returns a plain-text letter and an extracted value', () =>
      run({}, async (fake, provider) => {
        const { upstreamOrderId } = await provider.buyEmail({ domain: 'outlook.com', site: SITE });
        fake.deliverEmail(upstreamOrderId, {
          from: 'a@b.c',
          subject: 'Hi',
          text: 'Code: 771204',
          value: '771204',
        });
        const state = await provider.getActivation(upstreamOrderId);
        assert.deepEqual(state.state === 'received' ? state.messages.map((m) => [m.text, m.code]) : state, [
          ['Code: 771204', '771204'],
        ]);
      }));

    it('cancels a waiting mailbox and the upstream refunds it', () =>
      run({ balance: '1' }, async (fake, provider) => {
        const { upstreamOrderId } = await provider.buyEmail({ domain: 'gmail.com', site: SITE });
        assert.equal(await provider.cancel(upstreamOrderId), true);
        assert.equal(fake.mailbox(upstreamOrderId)?.status, 'cancelled');
        assert.equal(fake.balance(), '1');
        assert.deepEqual(await provider.getActivation(upstreamOrderId), { state: 'cancelled' });
        assert.equal(await provider.cancel(upstreamOrderId), true, 'cancelling again is still cancelled');
      }));

    it('refuses to cancel once the letter came', () =>
      run({ balance: '1' }, async (fake, provider) => {
        const { upstreamOrderId } = await provider.buyEmail({ domain: 'gmail.com', site: SITE });
        fake.deliverEmail(upstreamOrderId, { from: 'a@b.c', subject: 's', text: 'code 1234' });
        assert.equal(await provider.cancel(upstreamOrderId), false);
        assert.equal(fake.mailbox(upstreamOrderId)?.status, 'received');
        assert.equal(fake.balance(), '0.93');
      }));

    it('reports a mailbox the upstream ended by itself as cancelled', () =>
      run({}, async (fake, provider) => {
        const { upstreamOrderId } = await provider.buyEmail({ domain: 'gmail.com', site: SITE });
        fake.expireMailbox(upstreamOrderId);
        assert.deepEqual(await provider.getActivation(upstreamOrderId), { state: 'cancelled' });
        assert.equal(await provider.cancel(upstreamOrderId), true);
      }));

    it('maps an unknown order to not_found', () =>
      run({}, async (fake, provider) => {
        await rejects(provider.getActivation('999'), 'not_found', fake.token);
        await rejects(provider.cancel('999'), 'not_found', fake.token);
      }));

    it('maps a refused token to bad_key on every call', () =>
      run({}, async (fake) => {
        const provider = upstream.provider(fake, { token: 'wrong-token' });
        await rejects(provider.buyEmail({ domain: 'gmail.com', site: SITE }), 'bad_key', 'wrong-token');
        await rejects(provider.getActivation('100000001'), 'bad_key', 'wrong-token');
        await rejects(provider.cancel('100000001'), 'bad_key', 'wrong-token');
        await rejects(provider.getDomains?.(SITE) ?? Promise.resolve(), 'bad_key', 'wrong-token');
        assert.equal(fake.mailboxes().length, 0);
      }));

    it('maps stock, balance and parameter refusals', () =>
      run({}, async (fake, provider) => {
        await rejects(provider.buyEmail({ domain: 'mail.com', site: SITE }), 'no_numbers', fake.token);
        await rejects(
          provider.buyEmail({ domain: 'nowhere.example', site: SITE }),
          'bad_request',
          fake.token,
        );
        await rejects(provider.buyEmail({ domain: 'gmail.com', site: '' }), 'bad_request', fake.token);
        fake.setBalance('0.01');
        await rejects(provider.buyEmail({ domain: 'gmail.com', site: SITE }), 'no_balance', fake.token);
        fake.setStock('mail.com', 3);
        fake.setBalance('5');
        const purchase = await provider.buyEmail({ domain: 'mail.com', site: SITE });
        assert.ok(fake.mailbox(purchase.upstreamOrderId));
        assert.equal(fake.mailboxes().length, 1);
      }));

    const purchaseFaults: Array<[string, UpstreamFailureKind]> = [
      ['http500', 'unavailable'],
      ['garbage', 'unavailable'],
      ['html', 'unavailable'],
      ['timeout', 'unknown_outcome'],
      ['reset', 'unknown_outcome'],
      ['lost-reply', 'unknown_outcome'],
    ];
    for (const [fault, kind] of purchaseFaults) {
      it(`maps a purchase answered by ${fault} to ${kind}, asking only once`, () =>
        run({}, async (fake, provider, quick) => {
          fake.failNext('buy', fault);
          await rejects(
            (waitsForTimeout(fault) ? quick : provider).buyEmail({ domain: 'gmail.com', site: SITE }),
            kind,
            fake.token,
          );
          assert.equal(fake.count('buy'), 1);
          // Only a lost reply hides a mailbox that exists upstream.
          assert.equal(fake.mailboxes().length, fault === 'lost-reply' ? 1 : 0);
        }));
    }

    it('maps a purchase whose reply comes after the timeout to unknown_outcome; the mailbox exists', () =>
      run({ slowMs: FAULT_TIMEOUT_MS * 4 }, async (fake, _provider, quick) => {
        fake.failNext('buy', 'slow');
        await rejects(quick.buyEmail({ domain: 'gmail.com', site: SITE }), 'unknown_outcome', fake.token);
        assert.equal(fake.mailboxes().length, 1);
      }));

    it('accepts a slow reply that comes within the timeout', () =>
      run({ slowMs: 50 }, async (fake, provider) => {
        fake.failNext('buy', 'slow');
        fake.failNext('check', 'slow');
        const { upstreamOrderId } = await provider.buyEmail({ domain: 'gmail.com', site: SITE });
        assert.deepEqual(await provider.getActivation(upstreamOrderId), { state: 'waiting' });
      }));

    const readCalls: Array<[EmailFakeAction, (provider: EmailProvider, id: string) => Promise<unknown>]> = [
      ['check', (provider, id) => provider.getActivation(id)],
      ['cancel', (provider, id) => provider.cancel(id)],
      ['domains', (provider) => provider.getDomains?.(SITE) ?? Promise.resolve()],
    ];
    for (const [action, callIt] of readCalls) {
      for (const fault of ['http500', 'garbage', 'html', 'timeout', 'reset', 'slow']) {
        it(`maps ${action} answered by ${fault} to unavailable`, () =>
          run({ slowMs: FAULT_TIMEOUT_MS * 4 }, async (fake, provider, quick) => {
            const { upstreamOrderId } = await provider.buyEmail({ domain: 'gmail.com', site: SITE });
            fake.failNext(action, fault);
            await rejects(
              callIt(waitsForTimeout(fault) ? quick : provider, upstreamOrderId),
              'unavailable',
              fake.token,
            );
            assert.equal(fake.count(action), 1);
          }));
      }
    }
  });
}
