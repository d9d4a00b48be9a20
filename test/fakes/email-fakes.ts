/**
 * Scripted fake email upstreams for tests: kopeechka.store and the SMS-Activate email API v2.
 * Each is a real HTTP server on 127.0.0.1 (random port) with mailboxes, letters, stock, prices
 * and a balance, plus controls to deliver letters and to script faults.
 *
 * ```ts
 * const fake = await startFakeKopeechka();
 * const provider = new KopeechkaEmailProvider({ baseUrl: fake.url, token: fake.token, timeoutMs: 500 });
 * const { upstreamOrderId } = await provider.buyEmail({ domain: 'gmail.com', site: 'instagram.com' });
 * fake.deliverEmail(upstreamOrderId, { from: 'no-reply@mail.instagram.com', subject: 'Code', text: '123456' });
 * fake.failNext('check', 'timeout');
 * await fake.close();
 * ```
 */
import { randomBytes } from 'node:crypto';
import {
  type EmailFakeAction,
  type EmailFakeFault,
  type EmailFakeRequest,
  type FakeRoute,
  FaultServer,
} from './email-fakes/fault-server.js';
import { kopeechkaRouter } from './email-fakes/kopeechka-fake.js';
import {
  DEFAULT_DOMAINS,
  type FakeDomain,
  type FakeEmail,
  type FakeMailbox,
  MailStore,
} from './email-fakes/mail-store.js';
import { smsActivateEmailRouter } from './email-fakes/sms-activate-email-fake.js';

export type { EmailFakeAction, EmailFakeFault, EmailFakeRequest } from './email-fakes/fault-server.js';
export { KOPEECHKA_CANCEL_REFUSED_VALUE } from './email-fakes/kopeechka-fake.js';
export type { FakeDomain, FakeEmail, FakeMailbox, FakeMailboxStatus } from './email-fakes/mail-store.js';
export { DEFAULT_DOMAINS } from './email-fakes/mail-store.js';
export { SMS_ACTIVATE_CANCEL_REFUSED_TITLE } from './email-fakes/sms-activate-email-fake.js';

export interface EmailFakeOptions {
  /** The API token the fake accepts; a random one by default. */
  token?: string;
  /** Domains with price text and stock; DEFAULT_DOMAINS (gmail.com 0.07/120, outlook.com 0.035/40, mail.com 0.02/0). */
  domains?: Record<string, FakeDomain>;
  /** Account balance as decimal text; "100" by default. */
  balance?: string;
  /** Delay of the `slow` fault; 300 ms by default. */
  slowMs?: number;
  /** Write prices as JSON strings ("0.07") instead of JSON numbers (0.07). */
  pricesAsStrings?: boolean;
  /** First mailbox id handed out; 100000001 by default. */
  firstId?: number;
}

export interface SmsActivateEmailFakeOptions extends EmailFakeOptions {
  /** ISO 4217 numeric currency written on prices; 643 (RUB) by default. */
  currency?: number;
}

/** Controls shared by both fakes. */
export interface EmailFake {
  /** Pass as the adapter's `baseUrl` (for SMS-Activate it already ends in `/api/v2`). */
  url: string;
  token: string;
  /** Every request received, in order, faulted ones included. */
  requests: EmailFakeRequest[];
  /** How many requests of one action were received. */
  count(action: EmailFakeAction): number;
  /** A letter arrives in a waiting mailbox. Throws for an unknown or non-waiting mailbox. */
  deliverEmail(upstreamId: string, letter: FakeEmail): void;
  setStock(domain: string, stock: number): void;
  /** Price as decimal text, written to the wire exactly as given. */
  setPrice(domain: string, cost: string): void;
  /** The upstream stops selling a domain (it no longer lists it). */
  removeDomain(domain: string): void;
  setBalance(amount: string): void;
  /** Current balance as decimal text. */
  balance(): string;
  /** Script the next `times` calls of `action` to fail with `fault`. */
  failNext(action: EmailFakeAction, fault: EmailFakeFault, times?: number): void;
  mailbox(upstreamId: string): FakeMailbox | undefined;
  mailboxes(): FakeMailbox[];
  /** The upstream ends a waiting mailbox by itself (its activation window ran out) and refunds it. */
  expireMailbox(upstreamId: string): void;
  close(): Promise<void>;
}

export async function startFakeKopeechka(options: EmailFakeOptions = {}): Promise<EmailFake> {
  const token = options.token ?? `kp-${randomBytes(12).toString('hex')}`;
  const store = newStore(options);
  const route = kopeechkaRouter(store, { token, pricesAsStrings: options.pricesAsStrings ?? false });
  return start(store, token, route, options, '');
}

export async function startFakeSmsActivateEmail(
  options: SmsActivateEmailFakeOptions = {},
): Promise<EmailFake> {
  const token = options.token ?? `sa-${randomBytes(12).toString('hex')}`;
  const store = newStore(options);
  const route = smsActivateEmailRouter(store, {
    token,
    currency: options.currency ?? 643,
    pricesAsStrings: options.pricesAsStrings ?? false,
  });
  return start(store, token, route, options, '/api/v2');
}

function newStore(options: EmailFakeOptions): MailStore {
  return new MailStore(
    options.domains ?? DEFAULT_DOMAINS,
    options.balance ?? '100',
    options.firstId ?? 100000001,
  );
}

async function start(
  store: MailStore,
  token: string,
  route: (request: EmailFakeRequest) => FakeRoute,
  options: EmailFakeOptions,
  basePath: string,
): Promise<EmailFake> {
  const server = new FaultServer(route, options.slowMs ?? 300);
  const origin = await server.listen();
  return {
    url: `${origin}${basePath}`,
    token,
    requests: server.requests,
    count: (action) => server.count(action),
    deliverEmail: (upstreamId, letter) => store.deliver(upstreamId, letter),
    setStock: (domain, stock) => store.setStock(domain, stock),
    setPrice: (domain, cost) => store.setPrice(domain, cost),
    removeDomain: (domain) => store.removeDomain(domain),
    setBalance: (amount) => store.setBalance(amount),
    balance: () => store.balance(),
    failNext: (action, fault, times) => server.failNext(action, fault, times),
    mailbox: (upstreamId) => store.get(upstreamId),
    mailboxes: () => store.all(),
    expireMailbox: (upstreamId) => {
      if (store.cancel(upstreamId) !== 'cancelled')
        throw new Error(`fake upstream: mailbox ${upstreamId} is not waiting`);
    },
    close: () => server.close(),
  };
}
