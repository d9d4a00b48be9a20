import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { MAX_WAIT_SECONDS } from '../../src/events/long-poll.js';
import { sqliteKind } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/** Sends `chunks` on a raw connection and resolves with what came back and when the server closed it. */
function slowClient(url: string, chunks: string[]): Promise<{ reply: string; closedAfterMs: number }> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    let reply = '';
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      for (const chunk of chunks) socket.write(chunk);
    });
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => {
      reply += data;
    });
    socket.on('error', () => {});
    socket.on('close', () => resolve({ reply, closedAfterMs: Date.now() - started }));
  });
}

// Timeouts are the HTTP server's, not the database's: one database is enough.
describe('request and header timeouts [sqlite]', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(sqliteKind, {
      env: { OTPGET_HEADERS_TIMEOUT_MS: '1000', OTPGET_REQUEST_TIMEOUT_MS: '1500' },
    });
  });
  after(() => server.close());

  it('defaults exceed the longest long-poll with margin, and the server gets them', async () => {
    const defaults = loadConfig({});
    assert.ok(defaults.headersTimeoutMs >= MAX_WAIT_SECONDS * 1000 + 5_000);
    assert.ok(defaults.requestTimeoutMs >= defaults.headersTimeoutMs);
    assert.equal(server.app.server.headersTimeout, 1000);
    assert.equal(server.app.server.requestTimeout, 1500);
    assert.throws(
      () => loadConfig({ OTPGET_HEADERS_TIMEOUT_MS: '5000', OTPGET_REQUEST_TIMEOUT_MS: '2000' }),
      /OTPGET_HEADERS_TIMEOUT_MS/,
    );
  });

  it('cuts a client that sends its headers too slowly', async () => {
    const { reply, closedAfterMs } = await slowClient(server.url, ['GET /healthz HTTP/1.1\r\nHost: x\r\n']);
    assert.match(reply, /^HTTP\/1\.1 408/);
    assert.ok(closedAfterMs < 3_000, `closed after ${closedAfterMs} ms`);
  });

  it('cuts a client that sends its body too slowly (on the fast lane path and on Fastify routes)', async () => {
    for (const path of ['/stubs/handler_api.php', '/api/webhooks']) {
      const { reply, closedAfterMs } = await slowClient(server.url, [
        `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\n`,
        'api_key=',
      ]);
      assert.match(reply, /^HTTP\/1\.1 408/, path);
      assert.ok(closedAfterMs < 3_500, `${path}: closed after ${closedAfterMs} ms`);
    }
  });

  it('does not cut a long-poll that waits longer than the request timeout (the request was read)', async () => {
    const { apiKey } = await server.newAccount(100_000);
    const base = `${server.url}/stubs/handler_api.php`;
    const bought = await (
      await fetch(
        `${base}?${new URLSearchParams({ api_key: apiKey, action: 'getNumber', service: '101', country: '61', type: '1' })}`,
      )
    ).text();
    const started = Date.now();
    const status = await (
      await fetch(
        `${base}?${new URLSearchParams({ api_key: apiKey, action: 'getStatus', id: bought.split(':')[1] ?? '', wait: '3' })}`,
      )
    ).text();
    assert.equal(status, 'STATUS_WAIT_CODE');
    assert.ok(Date.now() - started >= 2_900);
  });
});
