import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sqliteKind } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * Customer GETs are answered by the fast lane (src/http/fast-lane.ts), everything else by
 * Fastify. A percent-encoded path (`handler%5Fapi.php`) is the same endpoint but always goes to
 * Fastify, so comparing the two shows the lanes give the same answer to the same request.
 */
describe('the fast lane answers customer GETs exactly as Fastify does', () => {
  let server: TestServer;
  let apiKey: string;
  const viaLane = (query: string) => fetch(`${server.url}/stubs/handler_api.php?${query}`);
  const viaFastify = (query: string) => fetch(`${server.url}/stubs/handler%5Fapi.php?${query}`);

  before(async () => {
    server = await startTestServer(sqliteKind, { env: { OTPGET_RATE_LIMIT_PER_KEY: '3' } });
    apiKey = (await server.newAccount(12_345)).apiKey;
  });
  after(() => server.close());

  it('gives the same status, headers and body for the same queries', async () => {
    const queries = [
      (key: string) => `api_key=${key}&action=getBalance`,
      (key: string) => `api_key=${key}&action=getBalance&action=nope`,
      (key: string) => `action=getBalance&api_key=wrong&api_key=${key}`,
      (key: string) => `api_key=${key}&action=getStatus`,
      (key: string) => `api_key=${key}&action=getStatus&id=%E2%9C%93`,
      (key: string) => `api_key=${key}&action=getStatus&id=1+2`,
      () => 'api_key=&action=getBalance',
      (key: string) => `api_key=${key}&action=%zz`,
      (key: string) => `api_key=${key}`,
      () => '',
    ];
    for (const queryFor of queries) {
      // A fresh account per pair keeps the per-key limit of 3/s out of the comparison.
      const query = queryFor((await server.newAccount(500)).apiKey);
      const [lane, fastify] = await Promise.all([viaLane(query), viaFastify(query)]);
      const [laneBody, fastifyBody] = await Promise.all([lane.text(), fastify.text()]);
      assert.equal(laneBody, fastifyBody, query);
      assert.equal(lane.status, 200, query);
      assert.equal(fastify.status, 200, query);
      assert.equal(lane.headers.get('content-type'), fastify.headers.get('content-type'), query);
    }
  });

  it('reads repeated parameters as PHP does: the last one counts', async () => {
    assert.equal(
      await (await viaLane(`api_key=x&api_key=${apiKey}&action=getBalance`)).text(),
      'ACCESS_BALANCE:123.45',
    );
  });

  it('serves the JSON endpoints with their content type', async () => {
    const response = await fetch(`${server.url}/stubs/rental-handler.php?api_key=wrong&action=getBalance`);
    const fastify = await fetch(`${server.url}/stubs/rental-handler.php?api_key=wrong&action=getBalance`, {
      method: 'POST',
    });
    assert.equal(response.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.deepEqual(await response.json(), await fastify.json());
  });

  it('sends Retry-After with a rate-limit refusal', async () => {
    // The limiter counts in fixed one-second windows of the wall clock: start at a fresh window so
    // the burst is not split across two (which would let up to twice the limit through).
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 10));
    const responses = await Promise.all(
      Array.from({ length: 8 }, () => viaLane(`api_key=${apiKey}&action=getBalance`)),
    );
    const limited = responses.filter((r) => r.headers.get('retry-after') === '1');
    assert.ok(limited.length >= 4, `only ${limited.length} of 8 were limited`);
    assert.deepEqual(
      new Set(await Promise.all(limited.map((r) => r.text()))),
      new Set(['TOO_MANY_REQUESTS']),
    );
  });

  it('leaves other methods and paths to Fastify', async () => {
    const head = await fetch(`${server.url}/stubs/handler_api.php?api_key=${apiKey}&action=getBalance`, {
      method: 'HEAD',
    });
    assert.equal(head.status, 200);
    assert.equal((await fetch(`${server.url}/healthz`)).status, 200);
    assert.equal((await fetch(`${server.url}/stubs/handler_api.phpx?action=getBalance`)).status, 404);
  });
});
