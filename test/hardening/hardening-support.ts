import { Agent, request } from 'node:http';

/**
 * Shared pieces of the hardening suite: the scale knob, a keep-alive HTTP client, and the
 * matcher that decides whether a reply is one the docs allow.
 */

/** OTPGET_HARDENING_SCALE multiplies every part's size (1 in CI; 10 for a long local run). */
export function hardeningScale(): number {
  const raw = Number(process.env.OTPGET_HARDENING_SCALE ?? '1');
  return Number.isFinite(raw) && raw > 0 ? raw : 1;
}

export const ENDPOINTS = {
  sms: '/stubs/handler_api.php',
  cheap: '/stubs/cheap_handler.php',
  rental: '/stubs/rental-handler.php',
  email: '/stubs/email_handler.php',
} as const;
export type EndpointName = keyof typeof ENDPOINTS;

export interface HttpReply {
  status: number;
  body: string;
  contentType: string;
}

/** A keep-alive client for one base URL: far faster than fetch for tens of thousands of calls. */
export function keepAliveClient(baseUrl: string, maxSockets = 32) {
  const agent = new Agent({ keepAlive: true, maxSockets });
  const base = new URL(baseUrl);
  function send(
    method: 'GET' | 'POST',
    path: string,
    body?: string,
    contentType?: string,
  ): Promise<HttpReply> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = {};
      if (body !== undefined) {
        headers['content-type'] = contentType ?? 'application/x-www-form-urlencoded';
        headers['content-length'] = Buffer.byteLength(body);
      }
      const req = request({ agent, host: base.hostname, port: base.port, method, path, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks).toString('utf8'),
            contentType: String(res.headers['content-type'] ?? ''),
          }),
        );
        res.on('error', reject);
      });
      req.on('error', reject);
      if (body !== undefined) req.write(body);
      req.end();
    });
  }
  return {
    /** `query` is sent as written (raw), so duplicated and malformed parameters reach the server. */
    get: (path: string, query: string) => send('GET', `${path}?${query}`),
    post: (path: string, query: string, body: string, contentType?: string) =>
      send('POST', query ? `${path}?${query}` : path, body, contentType),
    close: () => agent.destroy(),
  };
}

/** Runs `count` tasks with at most `concurrency` in flight. */
export async function runPool(count: number, concurrency: number, task: (i: number) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const i = next++;
      await task(i);
    }
  });
  await Promise.all(workers);
}

// ---- Allowed replies, from the wire modules' reply tables and docs/*.md ----

const SMS_TEXT = [
  /^ACCESS_BALANCE:\d+\.\d{2}$/,
  /^ACCESS_NUMBER:[1-9]\d{12}:\d+$/,
  /^STATUS_OK:.+$/s,
  /^ERROR_PROVIDER_\d:.+$/,
  /^(STATUS_WAIT_CODE|STATUS_CANCEL|ACCESS_FINISH|ACCESS_READY|NO_SMS_RECEIVED|STATUS_ALREADY_CHANGED|NO_ACTIVATION|EARLY_CANCEL_DENIED|NO_BALANCE|NO_NUMBERS|ERROR_PRICE_CHANGE|BAD_ID|BAD_STATUS|BAD_TYPE|BAD_COUNTRY|BAD_SERVICE|BAD_KEY|ACCOUNT_BLOCKED|BAD_ACTION|TOO_MANY_REQUESTS)$/,
];
const CHEAP_TEXT = [
  /^ACCESS_BALANCE:\d+\.\d{2}$/,
  /^ORD_[A-Za-z0-9_]{1,60},\d+,\d+$/,
  /^STATUS_OK:.+$/s,
  /^(LOW_BALANCE|BAD_SERVER|BAD_TYPE|NO_NUMBERS|NO_SERVERS|NO_SERVICES|NO_ACTIVATION|BAD_ID|BAD_STATUS|STATUS_WAIT_CODE|STATUS_CANCEL|ACCESS_READY|ACCESS_FINISH|EARLY_CANCEL_DENIED|NO_SMS_RECEIVED|BAD_KEY|ACCOUNT_BLOCKED|BAD_ACTION|TOO_MANY_REQUESTS)$/,
];
/** Replies that mean "something failed on our side": allowed by the docs, but a finding under fuzzing. */
export const INTERNAL_REPLIES: Record<EndpointName, (body: string) => boolean> = {
  sms: (b) => b === 'ERROR_SQL',
  cheap: (b) => b === 'DATABASE_ERROR',
  rental: (b) => b.includes('"status":"500"'),
  email: (b) => b.includes('"status":"500"') && b.includes('Database error'),
};

const RENTAL_STATUSES = new Set(['200', '400', '401', '402', '403', '404', '429', '502', '503']);
const EMAIL_STATUSES = new Set(['200', '202', '300', '400', '401', '402', '403', '404', '429', '500', '503']);

function isStringMap(value: unknown, inner: (v: unknown) => boolean): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.entries(value).every(([k, v]) => /^\d+$/.test(k) && inner(v))
  );
}
const isIdName = (v: unknown) =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as { id?: unknown }).id === 'string' &&
  typeof (v as { name?: unknown }).name === 'string';

/**
 * Whether `reply` to `action` on `endpoint` is one the docs allow: an HTTP 200 with a documented
 * text word, or JSON of a documented shape with the documented JSON types.
 */
export function replyProblem(endpoint: EndpointName, action: string, reply: HttpReply): string | null {
  if (reply.status !== 200) return `HTTP ${reply.status}`;
  const isJson = reply.contentType.startsWith('application/json');
  if (endpoint === 'sms' || endpoint === 'cheap') {
    if (!isJson) {
      const table = endpoint === 'sms' ? SMS_TEXT : CHEAP_TEXT;
      return table.some((re) => re.test(reply.body)) ? null : 'undocumented text reply';
    }
    const listing =
      endpoint === 'sms'
        ? ['getCountries', 'getServices'].includes(action)
        : ['getServers', 'getServices'].includes(action);
    if (!listing) return 'JSON from a text action';
    let parsed: unknown;
    try {
      parsed = JSON.parse(reply.body);
    } catch {
      return 'unparseable JSON';
    }
    const ok =
      action === 'getServices'
        ? isStringMap(parsed, (v) => typeof v === 'string')
        : isStringMap(parsed, (v) => Array.isArray(v) && v.every(isIdName));
    return ok ? null : 'JSON of an undocumented shape';
  }
  if (!isJson) return 'text from a JSON endpoint';
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(reply.body);
  } catch {
    return 'unparseable JSON';
  }
  const status = parsed.status;
  if (typeof status !== 'string') return 'status is not a string';
  const allowed = endpoint === 'rental' ? RENTAL_STATUSES : EMAIL_STATUSES;
  if (!allowed.has(status)) return `undocumented status ${status}`;
  if (status !== '200' && status !== '202' && status !== '300' && typeof parsed.message !== 'string')
    return 'error without a message';
  return null;
}
