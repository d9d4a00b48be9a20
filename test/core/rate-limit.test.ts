import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMemoryRateLimiter, createRedisRateLimiter } from '../../src/http/rate-limit.js';
import { sqliteKind } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describe('rate limits', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(sqliteKind, {
      env: { OTPGET_RATE_LIMIT_PER_KEY: '5', OTPGET_RATE_LIMIT_PER_IP: '0' },
    });
  });
  after(() => server.close());

  it('answers TOO_MANY_REQUESTS with Retry-After past the per-account limit, and other accounts still pass', async () => {
    const busy = await server.newAccount(100);
    const calm = await server.newAccount(100);
    const url = `${server.url}/stubs/handler_api.php?api_key=${busy.apiKey}&action=getBalance`;
    // Windows are one second long: a burst of 40 spans at most a few windows of 5, so most must be refused.
    const responses = await Promise.all(Array.from({ length: 40 }, () => fetch(url)));
    const bodies = await Promise.all(responses.map((r) => r.text()));
    const limited = responses.filter((_response, i) => bodies[i] === 'TOO_MANY_REQUESTS');
    assert.ok(limited.length >= 20, `only ${limited.length} of 40 were limited`);
    assert.ok(limited.every((r) => r.status === 200 && r.headers.get('retry-after') === '1'));
    assert.ok(bodies.every((b) => b === 'TOO_MANY_REQUESTS' || b === 'ACCESS_BALANCE:1.00'));
    assert.equal(
      await server.get('/stubs/handler_api.php', { api_key: calm.apiKey, action: 'getBalance' }),
      'ACCESS_BALANCE:1.00',
    );
  });

  it('counts per one-second window in memory', async () => {
    let now = 10_000;
    const limiter = createMemoryRateLimiter(() => now);
    const first = await Promise.all([1, 2, 3].map(() => limiter.hit('a', 2)));
    assert.deepEqual(
      first.map((d) => d.allowed),
      [true, true, false],
    );
    assert.equal((await limiter.hit('b', 2)).allowed, true);
    now += 1_000;
    assert.equal((await limiter.hit('a', 2)).allowed, true);
  });

  it('counts longer windows apart from one-second ones, with Retry-After to the window end', async () => {
    let now = 600_000 * 100;
    const limiter = createMemoryRateLimiter(() => now);
    assert.equal((await limiter.hit('signup', 2, 600)).allowed, true);
    now += 1_000;
    assert.equal((await limiter.hit('other', 1)).allowed, true, 'a one-second hit does not reset the window');
    assert.equal((await limiter.hit('signup', 2, 600)).allowed, true);
    now += 59_000;
    const refused = await limiter.hit('signup', 2, 600);
    assert.deepEqual(refused, { allowed: false, retryAfterSeconds: 540 });
    now += 540_000;
    assert.equal((await limiter.hit('signup', 2, 600)).allowed, true, 'a new ten-minute window');
  });

  it('shares counts between processes through Redis', async () => {
    const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
    const now = () => 1_000_000_000_000 + Math.floor(Math.random() * 1e9) * 1000;
    const fixed = now();
    const one = createRedisRateLimiter(url, () => fixed);
    const two = createRedisRateLimiter(url, () => fixed);
    try {
      await Promise.all([one.ready, two.ready]);
      const bucket = `test:${process.pid}:${Math.random()}`;
      const decisions = [
        await one.hit(bucket, 3),
        await two.hit(bucket, 3),
        await one.hit(bucket, 3),
        await two.hit(bucket, 3),
      ];
      assert.deepEqual(
        decisions.map((d) => d.allowed),
        [true, true, true, false],
      );
      const long = [await one.hit(bucket, 1, 600), await two.hit(bucket, 1, 600)];
      assert.deepEqual(
        long.map((d) => d.allowed),
        [true, false],
        'a ten-minute window is counted apart from the one-second one',
      );
    } finally {
      await one.close();
      await two.close();
    }
  });

  it('lets requests through when Redis is unreachable', async () => {
    const limiter = createRedisRateLimiter('redis://127.0.0.1:1');
    try {
      assert.equal((await limiter.hit('x', 1)).allowed, true);
    } finally {
      await limiter.close();
    }
  });
});
