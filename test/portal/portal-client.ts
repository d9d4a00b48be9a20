import { adjustBalance } from '../../src/accounts/accounts.service.js';
import { insertCustomerLogin } from '../../src/portal/customer-logins.repository.js';
import { hashPassword } from '../../src/shared/passwords.js';
import type { TestServer } from '../helpers/test-server.js';

/**
 * A minimal browser stand-in for portal HTTP tests: keeps cookies, reads the CSRF token from the
 * last page, posts forms. No redirects are followed, so tests see exactly what the server sent.
 */
export class PortalClient {
  readonly cookies = new Map<string, string>();
  lastPage = '';
  /** The API key shown at sign-up, once this client signed up. */
  apiKey: string | null = null;

  constructor(readonly baseUrl: string) {}

  private remember(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = decodeURIComponent(pair.slice(eq + 1));
      if (/Max-Age=0/i.test(line)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${encodeURIComponent(v)}`).join('; ');
  }

  async get(path: string): Promise<{ status: number; body: string; location: string | null }> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      headers: { cookie: this.cookieHeader() },
      redirect: 'manual',
    });
    this.remember(response);
    const body = await response.text();
    if ((response.headers.get('content-type') ?? '').startsWith('text/html')) this.lastPage = body;
    return { status: response.status, body, location: response.headers.get('location') };
  }

  /** The CSRF token of the last page this client loaded. */
  csrf(): string {
    const match =
      /name="_csrf" value="([^"]+)"/.exec(this.lastPage) ??
      /name="csrf-token" content="([^"]+)"/.exec(this.lastPage);
    if (!match?.[1]) throw new Error('no CSRF token on the last page');
    return match[1];
  }

  /** Posts a form; adds the last page's CSRF token unless `_csrf` is given (or null to leave it out). */
  async post(
    path: string,
    fields: Record<string, string>,
    options: { csrf?: string | null } = {},
  ): Promise<{ status: number; body: string; location: string | null }> {
    const form = new URLSearchParams(fields);
    const token = options.csrf === undefined ? this.csrf() : options.csrf;
    if (token !== null) form.set('_csrf', token);
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      body: form,
      headers: { cookie: this.cookieHeader() },
      redirect: 'manual',
    });
    this.remember(response);
    const body = await response.text();
    if ((response.headers.get('content-type') ?? '').startsWith('text/html')) this.lastPage = body;
    return { status: response.status, body, location: response.headers.get('location') };
  }

  /** A JSON call of the dashboard's scripts (`/portal/api/…`), with the CSRF header they send. */
  async json(
    method: 'GET' | 'POST',
    path: string,
    body?: unknown,
  ): Promise<{ status: number; data: unknown }> {
    const headers: Record<string, string> = { cookie: this.cookieHeader(), 'x-csrf-token': this.csrf() };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    this.remember(response);
    return { status: response.status, data: await response.json() };
  }

  /** Signs up through the form (no key and no session there), logs in, makes the first API key and returns it. */
  async signUp(email: string, password = 'correct horse battery'): Promise<string> {
    await this.get('/signup');
    const result = await this.post('/signup', { email, password, name: 'Test' });
    if (result.status !== 200 || !/Sign-up received/.test(result.body))
      throw new Error(`sign-up failed: ${result.status} ${result.body.slice(0, 300)}`);
    await this.logIn(email, password);
    await this.get('/dashboard');
    const made = await this.post('/dashboard/key', {});
    const key = /data-new-key="(og_[^"]+)"/.exec(made.body)?.[1];
    if (made.status !== 200 || !key)
      throw new Error(`no first key: ${made.status} ${made.body.slice(0, 300)}`);
    this.apiKey = key;
    return key;
  }

  /**
   * Logs in through the form; throws unless it lands on the dashboard. Over the per-address
   * limit (5 a second, easily reached by a suite signing customers up) it waits and tries again.
   */
  async logIn(email: string, password: string): Promise<void> {
    await this.get('/login');
    let result = await this.post('/login', { email, password });
    for (let tries = 0; result.status === 429 && tries < 3; tries++) {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      result = await this.post('/login', { email, password });
    }
    if (result.status !== 303 || result.location !== '/dashboard')
      throw new Error(`log-in failed: ${result.status} ${result.body.slice(0, 300)}`);
  }
}

/** Waits into the next one-second window of the per-address login limit (5 a second). */
export async function nextLoginWindow(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 1_000 - (Date.now() % 1_000) + 20));
}

/** A customer signed up through the portal, with `balancePaisa` credited, on their dashboard. */
export async function signedUpCustomer(
  server: TestServer,
  email: string,
  balancePaisa: number,
): Promise<PortalClient> {
  const client = new PortalClient(server.url);
  await client.signUp(email);
  const login = await server.ctx.db
    .selectFrom('customer_logins')
    .select('account_id')
    .where('email', '=', email)
    .executeTakeFirstOrThrow();
  if (balancePaisa > 0) {
    await adjustBalance(server.ctx.db, server.clock, {
      accountId: Number(login.account_id),
      amount: balancePaisa,
      reference: `seed:${email}`,
    });
  }
  await client.get('/dashboard');
  return client;
}

/**
 * A browser signed in to the portal as an existing account (one made by the operator or a test's
 * `newAccount`): gives it a login with a known password and logs in through the form.
 */
export async function portalLoginFor(server: TestServer, accountId: number): Promise<PortalClient> {
  const email = `account-${accountId}@example.test`;
  const password = 'correct horse battery';
  const passwordHash = await hashPassword(password);
  await server.ctx.db
    .transaction()
    .execute((trx) => insertCustomerLogin(trx, { accountId, email, passwordHash, now: server.clock.now() }));
  const client = new PortalClient(server.url);
  await client.logIn(email, password);
  await client.get('/dashboard');
  return client;
}
