import assert from 'node:assert/strict';
import dns from 'node:dns';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it, type TestContext } from 'node:test';
import { type CallKind, clipRaw, MAX_RESPONSE_BYTES, sendUpstream } from '../../src/providers/http.js';
import { requestJson } from '../../src/providers/http-json.js';
import { UpstreamError, type UpstreamFailureKind } from '../../src/providers/types.js';

const TOKEN = 'sekret-Tok/en+1';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** One tiny server per test file; each test installs its handler. */
let handler: Handler = (_req, res) => res.end('{}');
let hits = 0;
let connections = 0;
const server = createServer((req, res) => {
  hits++;
  handler(req, res);
});
server.on('connection', () => connections++);
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function call(kind: CallKind, extra: { timeoutMs?: number; signal?: AbortSignal; keys?: string[] } = {}) {
  const url = new URL(`${origin}/method`);
  url.searchParams.set('token', TOKEN);
  return requestJson({
    url,
    kind,
    timeoutMs: extra.timeoutMs ?? 5000,
    signal: extra.signal,
    secrets: [TOKEN],
    exactNumberKeys: extra.keys,
  });
}

async function failure(promise: Promise<unknown>): Promise<UpstreamError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof UpstreamError, `expected UpstreamError, got ${String(error)}`);
    assert.ok(!error.message.includes(TOKEN) && !error.raw.includes(TOKEN), 'token leaked into the error');
    assert.ok(!error.raw.includes(encodeURIComponent(TOKEN)), 'encoded token leaked into the error');
    assert.ok(error.raw.length <= 200);
    return error;
  }
  assert.fail('expected a rejection');
}

async function expectKind(promise: Promise<unknown>, kind: UpstreamFailureKind): Promise<UpstreamError> {
  const error = await failure(promise);
  assert.equal(error.kind, kind, `raw: ${error.raw}`);
  return error;
}

describe('requestJson', () => {
  it('returns parsed JSON and keeps the listed number keys as exact decimal text', async () => {
    handler = (_req, res) =>
      res.end('{"id": 12345678901234567890, "cost":0.1, "nested":{"cost" : 2.50}, "count":3}');
    const response = await call('read', { keys: ['id', 'cost'] });
    assert.equal(response.status, 200);
    assert.deepEqual(response.body, {
      id: '12345678901234567890',
      cost: '0.1',
      nested: { cost: '2.50' },
      count: 3,
    });
  });

  it('hands 4xx JSON answers to the adapter and accepts an empty 204', async () => {
    handler = (_req, res) => {
      res.writeHead(422, { 'content-type': 'application/json' });
      res.end('{"title":"BAD_SITE"}');
    };
    const refused = await call('read');
    assert.equal(refused.status, 422);
    assert.deepEqual(refused.body, { title: 'BAD_SITE' });
    handler = (_req, res) => {
      res.writeHead(204);
      res.end();
    };
    const empty = await call('read');
    assert.equal(empty.status, 204);
    assert.equal(empty.body, undefined);
  });

  it('maps HTTP 5xx, HTML and garbage to unavailable with the trimmed body as raw', async () => {
    handler = (_req, res) => {
      res.writeHead(503);
      res.end('  Service   Unavailable  ');
    };
    assert.equal((await expectKind(call('purchase'), 'unavailable')).raw, 'Service Unavailable');
    handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<html><body>${'x'.repeat(500)}</body></html>`);
    };
    const html = await expectKind(call('purchase'), 'unavailable');
    assert.ok(html.raw.startsWith('<html><body>xxx'));
    assert.equal(html.raw.length, 200);
    handler = (_req, res) => res.end('OK|123|');
    assert.equal((await expectKind(call('read'), 'unavailable')).raw, 'OK|123|');
    handler = (_req, res) => {
      res.writeHead(404);
      res.end();
    };
    assert.equal((await expectKind(call('read'), 'unavailable')).raw, 'HTTP 404');
  });

  it('redacts the token when the upstream echoes it', async () => {
    handler = (req, res) => {
      res.writeHead(500);
      res.end(`error at ${req.url} for ${TOKEN}`);
    };
    const error = await expectKind(call('read'), 'unavailable');
    assert.match(error.raw, /token=\*\*\* for \*\*\*/);
  });

  it('maps a timeout to unknown_outcome for a purchase and unavailable for a read', async () => {
    handler = () => {}; // never answers
    const purchase = await expectKind(call('purchase', { timeoutMs: 100 }), 'unknown_outcome');
    assert.match(purchase.raw, /no reply within 100 ms/);
    await expectKind(call('read', { timeoutMs: 100 }), 'unavailable');
  });

  it('maps a reset after the request left to unknown_outcome for a purchase and unavailable for a read', async () => {
    handler = (req) => req.socket.destroy();
    await expectKind(call('purchase'), 'unknown_outcome');
    await expectKind(call('read'), 'unavailable');
  });

  it('does not resend a purchase whose connection was reset', async () => {
    handler = (_req, res) => res.end('{}');
    await call('read'); // leaves a keep-alive connection to be reused
    handler = (req) => req.socket.destroy();
    const before = hits;
    await expectKind(call('purchase'), 'unknown_outcome');
    assert.equal(hits - before, 1);
  });

  it('treats a caller abort in flight like a timeout, and sends nothing when already aborted', async () => {
    handler = () => {};
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('shutting down')), 50);
    await expectKind(call('purchase', { signal: controller.signal }), 'unknown_outcome');

    const before = hits;
    await expectKind(call('purchase', { signal: AbortSignal.abort() }), 'unavailable');
    assert.equal(hits, before);
  });

  it('maps connection refused to unavailable even for a purchase', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(
      requestJson({
        url: new URL(`http://127.0.0.1:${port}/x?token=${encodeURIComponent(TOKEN)}`),
        kind: 'purchase',
        timeoutMs: 5000,
        secrets: [TOKEN],
      }),
    );
    assert.equal(error.kind, 'unavailable');
    assert.match(error.raw, /ECONNREFUSED/);
  });

  it('maps a DNS failure to unavailable even for a purchase', async (t) => {
    // No real lookup: the resolver fails the way getaddrinfo does for an unknown host.
    t.mock.method(dns, 'lookup', (host: string, _options: unknown, callback: (error: Error) => void) => {
      setImmediate(() =>
        callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' })),
      );
    });
    const error = await failure(
      requestJson({
        url: new URL(`http://upstream.invalid/x?token=${TOKEN}`),
        kind: 'purchase',
        timeoutMs: 5000,
        secrets: [TOKEN],
      }),
    );
    assert.equal(error.kind, 'unavailable');
    assert.equal(error.raw, 'connection failed: ENOTFOUND');
  });

  it('treats an unrecognised network error on a purchase as unknown_outcome', async () => {
    // The request arrived; what comes back is not HTTP at all (the parser fails with its own code).
    handler = (req) => req.socket.end(`odd failure ${TOKEN}\r\n\r\n`);
    await expectKind(call('purchase'), 'unknown_outcome');
  });
});

describe('clipRaw', () => {
  it('collapses whitespace, redacts plain and URL-encoded secrets and cuts at 200 chars', () => {
    assert.equal(clipRaw(`a \n\t b ${encodeURIComponent(TOKEN)} ${TOKEN}`, [TOKEN]), 'a b *** ***');
    assert.equal(clipRaw('y'.repeat(300), []).length, 200);
  });

  it('drops a BOM and control characters, and redacts before cutting so no key is half-cut', () => {
    assert.equal(clipRaw('\uFEFFSOME\u0000\u0007THING', []), 'SOME THING');
    const clipped = clipRaw(`${'z'.repeat(195)}${TOKEN}`, [TOKEN]);
    assert.equal(clipped, `${'z'.repeat(195)}***`);
  });

  it('redacts a secret in the form a query string carries it', () => {
    const secret = "key with (odd)~chars!'";
    const url = new URL('http://upstream.test/x');
    url.searchParams.set('api_key', secret);
    assert.equal(clipRaw(`GET ${url.search} failed`, [secret]), 'GET ?api_key=*** failed');
  });
});

describe('sendUpstream: was the request sent', () => {
  function send(kind: CallKind, extra: { url?: URL; timeoutMs?: number; signal?: AbortSignal } = {}) {
    return sendUpstream({
      url: extra.url ?? new URL(`${origin}/action?api_key=${encodeURIComponent(TOKEN)}`),
      kind,
      timeoutMs: extra.timeoutMs ?? 5000,
      signal: extra.signal,
      secrets: [TOKEN],
    });
  }
  /** A host whose lookup never answers: the call stays in its connect phase. */
  const hangingHost = new URL(`http://upstream.invalid/action?api_key=${TOKEN}`);
  const hangLookups = (t: TestContext) => t.mock.method(dns, 'lookup', () => {});

  it('calls a timeout that fires before the connection is made not sent, even for a purchase', async (t) => {
    hangLookups(t);
    const error = await expectKind(send('purchase', { url: hangingHost, timeoutMs: 100 }), 'unavailable');
    assert.equal(error.raw, 'connect timeout after 100 ms');
  });

  it("calls the caller's abort while still connecting not sent, even for a purchase", async (t) => {
    hangLookups(t);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await expectKind(
      send('purchase', { url: hangingHost, signal: controller.signal }),
      'unavailable',
    );
    assert.equal(error.raw, 'request cancelled before sending');
  });

  it('counts a connection the kernel made while the event loop was busy as established', async () => {
    handler = () => {};
    // Start the call from the check phase and block the loop past the timeout right after its
    // connect began: the next phase is the due timer, before the connect's completion is polled.
    const started = await new Promise<{ call: Promise<unknown> }>((resolve) =>
      setImmediate(() => {
        resolve({ call: send('purchase', { timeoutMs: 100 }) });
        process.nextTick(() =>
          process.nextTick(() => {
            const until = Date.now() + 300;
            while (Date.now() < until);
          }),
        );
      }),
    );
    assert.equal((await expectKind(started.call, 'unknown_outcome')).raw, 'no reply within 100 ms');
  });

  it('treats a change like a purchase once the request may have left', async () => {
    handler = () => {};
    await expectKind(send('change', { timeoutMs: 100 }), 'unknown_outcome');
  });

  it('maps HTTP 504 to unknown_outcome for a purchase or change and unavailable for a read', async () => {
    handler = (_req, res) => {
      res.writeHead(504);
      res.end('Gateway Timeout');
    };
    assert.equal((await expectKind(send('purchase'), 'unknown_outcome')).raw, 'Gateway Timeout');
    await expectKind(send('change'), 'unknown_outcome');
    await expectKind(send('read'), 'unavailable');
  });

  it('never follows a redirect, which would carry the key elsewhere', async () => {
    handler = (req, res) => {
      res.writeHead(302, { location: `${origin}/elsewhere${req.url?.slice(req.url.indexOf('?'))}` });
      res.end();
    };
    const before = hits;
    const error = await expectKind(send('read'), 'unavailable');
    assert.match(error.raw, /^HTTP 302 redirect, not followed/);
    assert.equal(hits - before, 1, 'the redirect target was not requested');
    // A server may redirect after doing the work (303 after a POST), so a purchase's is unknown.
    await expectKind(send('purchase'), 'unknown_outcome');
    assert.equal(hits - before, 2);
  });

  it('abandons a reply larger than the limit: unknown for a purchase, unavailable for a read', async () => {
    const chunk = Buffer.alloc(1024 * 1024, 'a');
    handler = (_req, res) => {
      res.writeHead(200);
      const write = (left: number): void => {
        if (left === 0 || res.destroyed) return void res.end();
        if (res.write(chunk)) write(left - 1);
        else res.once('drain', () => write(left - 1));
      };
      write(MAX_RESPONSE_BYTES / chunk.length + 1);
    };
    assert.match((await expectKind(send('purchase'), 'unknown_outcome')).raw, /^reply larger than/);
    await expectKind(send('read'), 'unavailable');
  });

  it('opens a connection of its own for a purchase or change, and reuses one for reads', async () => {
    handler = (_req, res) => res.end('ACCESS_BALANCE:1');
    await send('read');
    const before = connections;
    await send('read');
    assert.equal(connections - before, 0, 'a read reuses the keep-alive connection');
    await send('purchase');
    await send('change');
    assert.equal(connections - before, 2);
  });

  it('returns status, headers and the body decoded as UTF-8 without its BOM', async () => {
    handler = (_req, res) => {
      res.writeHead(200, { 'x-price': '0.5' });
      res.end(Buffer.from('\uFEFFACCESS_NUMBER:1:79990001122 ✓', 'utf8'));
    };
    const reply = await send('purchase');
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('x-price'), '0.5');
    assert.equal(reply.body, 'ACCESS_NUMBER:1:79990001122 ✓');
  });

  it('sends the method, headers and body it is given, once', async () => {
    let seen: { method?: string; type?: string; body: string } | undefined;
    handler = (req, res) => {
      let body = '';
      req.on('data', (part: Buffer) => (body += part.toString()));
      req.on('end', () => {
        seen = { method: req.method, type: req.headers['content-type'], body };
        res.end('{}');
      });
    };
    const before = hits;
    await sendUpstream({
      url: new URL(`${origin}/emails`),
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"site":"x.com"}',
      kind: 'purchase',
      timeoutMs: 5000,
      secrets: [],
    });
    assert.deepEqual(seen, { method: 'POST', type: 'application/json', body: '{"site":"x.com"}' });
    assert.equal(hits - before, 1);
  });
});
