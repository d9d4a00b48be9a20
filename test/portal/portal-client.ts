import { adjustBalance } from '../../src/accounts/accounts.service.js';
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

  /** Signs up through the form; returns the API key shown once. */
  async signUp(email: string, password = 'correct horse battery'): Promise<string> {
    await this.get('/signup');
    const result = await this.post('/signup', { email, password, name: 'Test' });
    const key = /data-new-key="(og_[^"]+)"/.exec(result.body)?.[1];
    if (result.status !== 200 || !key)
      throw new Error(`sign-up failed: ${result.status} ${result.body.slice(0, 300)}`);
    this.apiKey = key;
    return key;
  }
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
