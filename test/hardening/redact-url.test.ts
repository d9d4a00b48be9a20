import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactUrl } from '../../src/http/logging.js';

/** Regression: access logs at debug level wrote keys sent as `api%5Fkey=` or `api_key[]=`. */
describe('redactUrl', () => {
  const key = 'og_BoGe6ESbQUbl0MigmMEi6ZUBcnKxctgq';
  for (const name of [
    'api_key',
    'API_KEY',
    'api%5Fkey',
    'api%5fkey',
    'api_key[]',
    'api_key%5B%5D',
    'api_key[0]',
    'token',
    'apikey',
  ]) {
    it(`redacts ${name}`, () => {
      const url = `/stubs/handler_api.php?action=getBalance&${name}=${key}&id=1`;
      const redacted = redactUrl(url);
      assert.ok(!redacted.includes(key), redacted);
      assert.equal(redacted, `/stubs/handler_api.php?action=getBalance&${name}=[REDACTED]&id=1`);
    });
  }
  it('leaves other parameters and URLs without a query alone', () => {
    assert.equal(redactUrl('/healthz'), '/healthz');
    assert.equal(redactUrl('/x?action=getStatus&id=abc'), '/x?action=getStatus&id=abc');
    assert.equal(redactUrl('/x?monkey=1&key=s'), '/x?monkey=1&key=[REDACTED]');
  });
});
