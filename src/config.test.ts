import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from './config.js';

describe('configuration', () => {
  it('uses the reference time rules by default', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.databaseUrl, './data/otpget.db');
    assert.equal(config.cancelLockSeconds, 120);
    assert.equal(config.activationTtlSeconds, 1200);
    assert.equal(config.cheapTtlSeconds, 900);
    assert.equal(config.emailTtlSeconds, 1200);
    assert.equal(config.sandboxDelayMs, 10_000);
  });

  it('reads knobs and turns sandbox delivery off', () => {
    const config = loadConfig({
      PORT: '9000',
      OTPGET_CANCEL_LOCK_SECONDS: '5',
      OTPGET_SANDBOX_DELAY_MS: 'off',
    });
    assert.equal(config.port, 9000);
    assert.equal(config.cancelLockSeconds, 5);
    assert.equal(config.sandboxDelayMs, null);
  });

  it('fails fast naming the bad variable', () => {
    assert.throws(
      () => loadConfig({ PORT: 'eighty' }),
      (e: unknown) => e instanceof ConfigError && /PORT/.test(e.message),
    );
    assert.throws(() => loadConfig({ PORT: '70000' }), ConfigError);
    assert.throws(() => loadConfig({ OTPGET_CHEAP_TTL_SECONDS: '-1' }), /OTPGET_CHEAP_TTL_SECONDS/);
    assert.throws(() => loadConfig({ LOG_LEVEL: 'loud' }), /LOG_LEVEL/);
    assert.throws(() => loadConfig({ OTPGET_WORKER: 'maybe' }), /OTPGET_WORKER/);
  });
});
