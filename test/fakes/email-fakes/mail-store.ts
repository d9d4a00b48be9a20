/**
 * The state behind both email upstream fakes: domains with price and stock, a balance, and
 * mailboxes that wait for a letter until a test delivers one. Money is kept in integer micros
 * (BigInt) and written back as decimal text; prices keep the exact text the test gave.
 */

/** A letter as a test delivers it. */
export interface FakeEmail {
  from: string;
  subject: string;
  text?: string;
  html?: string;
  /** What the upstream reports as the parsed value/code; defaults to the first link in the body. */
  value?: string;
}

export type FakeMailboxStatus = 'waiting' | 'received' | 'cancelled';

export interface FakeMailbox {
  id: string;
  email: string;
  site: string;
  domain: string;
  /** The price text charged for it. */
  cost: string;
  status: FakeMailboxStatus;
  letter?: FakeEmail;
  createdAt: number;
}

export interface FakeDomain {
  /** Price as decimal text, exactly as the upstream writes it (e.g. "0.07"). */
  cost: string;
  stock: number;
}

export const DEFAULT_DOMAINS: Readonly<Record<string, FakeDomain>> = {
  'gmail.com': { cost: '0.07', stock: 120 },
  'outlook.com': { cost: '0.035', stock: 40 },
  'mail.com': { cost: '0.02', stock: 0 },
};

export type BuyResult =
  | { ok: true; mailbox: FakeMailbox }
  | { ok: false; error: 'bad_site' | 'bad_domain' | 'out_of_stock' | 'no_balance' };

export type CancelResult = 'cancelled' | 'already_cancelled' | 'has_letter' | 'not_found';

export class MailStore {
  private readonly mailboxes = new Map<string, FakeMailbox>();
  private readonly domains = new Map<string, FakeDomain>();
  private balanceMicros: bigint;
  private nextId: number;

  constructor(domains: Record<string, FakeDomain>, balance: string, firstId: number) {
    for (const [name, domain] of Object.entries(domains)) this.domains.set(name, { ...domain });
    this.balanceMicros = toMicros(balance);
    this.nextId = firstId;
  }

  buy(site: string, domainName: string): BuyResult {
    if (site.trim() === '') return { ok: false, error: 'bad_site' };
    const domain = this.domains.get(domainName);
    if (!domain) return { ok: false, error: 'bad_domain' };
    if (domain.stock <= 0) return { ok: false, error: 'out_of_stock' };
    const cost = toMicros(domain.cost);
    if (this.balanceMicros < cost) return { ok: false, error: 'no_balance' };
    this.balanceMicros -= cost;
    domain.stock -= 1;
    const id = String(this.nextId++);
    const mailbox: FakeMailbox = {
      id,
      email: `fake${id}@${domainName}`,
      site,
      domain: domainName,
      cost: domain.cost,
      status: 'waiting',
      createdAt: Date.now(),
    };
    this.mailboxes.set(id, mailbox);
    return { ok: true, mailbox };
  }

  get(id: string): FakeMailbox | undefined {
    return this.mailboxes.get(id);
  }

  all(): FakeMailbox[] {
    return [...this.mailboxes.values()];
  }

  /** Cancel with a refund; the upstream refuses once a letter came. */
  cancel(id: string): CancelResult {
    const mailbox = this.mailboxes.get(id);
    if (!mailbox) return 'not_found';
    if (mailbox.status === 'cancelled') return 'already_cancelled';
    if (mailbox.status === 'received') return 'has_letter';
    mailbox.status = 'cancelled';
    this.balanceMicros += toMicros(mailbox.cost);
    return 'cancelled';
  }

  deliver(id: string, letter: FakeEmail): void {
    const mailbox = this.mailboxes.get(id);
    if (!mailbox) throw new Error(`fake upstream: no mailbox ${id}`);
    if (mailbox.status !== 'waiting') throw new Error(`fake upstream: mailbox ${id} is ${mailbox.status}`);
    mailbox.status = 'received';
    mailbox.letter = letter;
  }

  domainList(): Array<{ name: string } & FakeDomain> {
    return [...this.domains.entries()].map(([name, domain]) => ({ name, ...domain }));
  }

  setStock(domainName: string, stock: number): void {
    const domain = this.domains.get(domainName) ?? { cost: '0', stock: 0 };
    this.domains.set(domainName, { ...domain, stock });
  }

  removeDomain(domainName: string): void {
    this.domains.delete(domainName);
  }

  setPrice(domainName: string, cost: string): void {
    toMicros(cost);
    const domain = this.domains.get(domainName) ?? { cost, stock: 0 };
    this.domains.set(domainName, { ...domain, cost });
  }

  setBalance(amount: string): void {
    this.balanceMicros = toMicros(amount);
  }

  balance(): string {
    const whole = this.balanceMicros / 1_000_000n;
    const fraction = (this.balanceMicros % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
    return fraction === '' ? whole.toString() : `${whole}.${fraction}`;
  }
}

/** The mail body the upstream hands out: the HTML when there is one, else the text. */
export function letterBody(letter: FakeEmail): string {
  return letter.html ?? letter.text ?? '';
}

/** The upstream's parsed value: the test's, or the first link in the body. */
export function letterValue(letter: FakeEmail): string {
  return letter.value ?? /https?:\/\/[^\s"'<>]+/.exec(letterBody(letter))?.[0] ?? '';
}

// Kept separate from the adapters' parser on purpose: the fake must not share their bugs.
// Digits past the sixth decimal are dropped; the fake only uses this for its own balance.
function toMicros(decimal: string): bigint {
  const match = /^(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!match) throw new Error(`fake upstream: bad decimal ${decimal}`);
  return BigInt(match[1] ?? '0') * 1_000_000n + BigInt((match[2] ?? '').slice(0, 6).padEnd(6, '0'));
}
