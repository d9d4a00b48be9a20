import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { UpstreamError, type UpstreamFailureKind } from '../types.js';
import { type CallKind, cleanRaw, requestJson } from './http.js';

const TOKEN = 'sekret-Tok/en+1';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** One tiny server per test file; each test installs its handler. */
let handler: Handler = (_req, res) => res.end('{}');
let hits = 0;
const server = createServer((req, res) => {
  hits++;
  handler(req, res);
});
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
    // No real lookup: fetch is replaced by one failing the way undici does for an unknown host.
    t.mock.method(globalThis, 'fetch', async () => {
      const cause = Object.assign(new Error(`getaddrinfo ENOTFOUND upstream.invalid`), { code: 'ENOTFOUND' });
      throw new TypeError('fetch failed', { cause });
    });
    const error = await expectKind(call('purchase'), 'unavailable');
    assert.equal(error.raw, 'connection failed: ENOTFOUND');
  });

  it('treats an unrecognised network error on a purchase as unknown_outcome', async (t) => {
    t.mock.method(globalThis, 'fetch', async () => {
      throw new TypeError('fetch failed', { cause: new Error(`odd failure ${TOKEN}`) });
    });
    await expectKind(call('purchase'), 'unknown_outcome');
  });
});

describe('cleanRaw', () => {
  it('collapses whitespace, redacts plain and URL-encoded secrets and cuts at 200 chars', () => {
    assert.equal(cleanRaw(`a \n\t b ${encodeURIComponent(TOKEN)} ${TOKEN}`, [TOKEN]), 'a b *** ***');
    assert.equal(cleanRaw('y'.repeat(300), []).length, 200);
  });
});
