import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';

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

  it('limits portal sign-ups by default: 5 per address per ten minutes, 100 per hour in all', () => {
    const config = loadConfig({});
    assert.equal(config.signupLimitPerIp, 5);
    assert.equal(config.signupLimitPerHour, 100);
    const off = loadConfig({ OTPGET_SIGNUP_LIMIT_PER_IP: '0', OTPGET_SIGNUP_LIMIT_PER_HOUR: '20' });
    assert.equal(off.signupLimitPerIp, 0);
    assert.equal(off.signupLimitPerHour, 20);
    assert.throws(() => loadConfig({ OTPGET_SIGNUP_LIMIT_PER_IP: 'many' }), /OTPGET_SIGNUP_LIMIT_PER_IP/);
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

  it('trusts no proxy by default, and the listed ones when set', () => {
    assert.deepEqual(loadConfig({}).trustedProxies, []);
    assert.deepEqual(loadConfig({ OTPGET_TRUST_PROXY: 'loopback,10.0.0.0/8' }).trustedProxies, [
      'loopback',
      '10.0.0.0/8',
    ]);
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
    assert.throws(() => loadConfig({ OTPGET_TRUST_PROXY: 'loopback, nginx' }), /OTPGET_TRUST_PROXY: "nginx"/);
  });

  it('turns mail on only with SMTP_URL, and then needs the sender and the public address', () => {
    assert.equal(loadConfig({}).smtp, null);
    const full = loadConfig({
      SMTP_URL: 'smtps://user:pw@mail.example.com',
      OTPGET_MAIL_FROM: 'otp@example.com',
      OTPGET_PUBLIC_URL: 'https://otp.example.com/',
    });
    assert.equal(full.smtp?.url.hostname, 'mail.example.com');
    assert.equal(full.smtp?.from, 'otp@example.com');
    assert.equal(full.publicUrl, 'https://otp.example.com', 'trailing slash dropped');
    const fails = (env: Record<string, string>, variable: RegExp) =>
      assert.throws(
        () => loadConfig(env),
        (e: unknown) => e instanceof ConfigError && variable.test(e.message),
      );
    fails({ SMTP_URL: 'http://mail.example.com' }, /^SMTP_URL/);
    fails({ SMTP_URL: 'not a url' }, /^SMTP_URL/);
    fails(
      { SMTP_URL: 'smtp://mail.example.com', OTPGET_PUBLIC_URL: 'https://x.example' },
      /^OTPGET_MAIL_FROM/,
    );
    fails({ SMTP_URL: 'smtp://mail.example.com', OTPGET_MAIL_FROM: 'a@b.c' }, /^OTPGET_PUBLIC_URL/);
    fails({ OTPGET_PUBLIC_URL: 'otp.example.com' }, /^OTPGET_PUBLIC_URL/);
    fails(
      {
        SMTP_URL: 'smtp://mail.example.com',
        OTPGET_MAIL_FROM: 'a@b.c',
        OTPGET_PUBLIC_URL: 'https://x.example',
        SMTP_CA_FILE: '/nonexistent/ca.pem',
      },
      /^SMTP_CA_FILE/,
    );
    assert.equal(full.smtp?.ca, null, 'the system CAs unless SMTP_CA_FILE is set');
  });
});
