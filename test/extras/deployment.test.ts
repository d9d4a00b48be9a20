import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { loadConfig } from '../../src/config.js';

/**
 * No container engine runs here, so the deployment files are held to what can be checked: every
 * variable they set is one config.ts reads (and accepts), and the pieces the README promises exist.
 */
const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
/** Every variable config.ts reads: `env.NAME` and `readInt(env, 'NAME', …)`-style helpers. */
const configVariables = new Set(
  [...read('src/config.ts').matchAll(/env\.([A-Z][A-Z0-9_]*)|env, '([A-Z][A-Z0-9_]*)'/g)].map(
    (m) => m[1] ?? m[2],
  ),
);

/** KEY: value lines under the otpget service's `environment:` block. */
function composeEnvironment(compose: string): Record<string, string> {
  const block = /\n {2}otpget:\n[\s\S]*?\n {4}environment:\n((?: {6}.*\n| {6}#.*\n)+)/.exec(compose);
  assert.ok(block?.[1], 'otpget has an environment block');
  const entries = [...block[1].matchAll(/^ {6}([A-Z_][A-Z0-9_]*): (.*)$/gm)];
  return Object.fromEntries(entries.map((m) => [m[1] as string, (m[2] as string).replace(/^"|"$/g, '')]));
}

describe('deployment files', () => {
  it('compose.yaml sets only variables config.ts reads, DATABASE_URL and REDIS_URL to its own services', () => {
    const compose = read('compose.yaml');
    const env = composeEnvironment(compose);
    for (const name of Object.keys(env)) assert.ok(configVariables.has(name), `${name} is read by config.ts`);
    assert.match(env.DATABASE_URL ?? '', /^postgres:\/\/otpget:.*@postgres:5432\/otpget$/);
    assert.equal(env.REDIS_URL, 'redis://redis:6379');
    for (const service of ['postgres', 'redis']) {
      assert.match(
        compose,
        new RegExp(`\\n {2}${service}:\\n[\\s\\S]*?healthcheck:`),
        `${service} healthcheck`,
      );
      assert.match(
        compose,
        new RegExp(`${service}:\\n\\s+condition: service_healthy`),
        `waits for ${service}`,
      );
    }
    // The literal values (with ${…:-default} resolved to the default) pass config validation.
    const resolved = Object.fromEntries(
      Object.entries(env).map(([k, v]) => [k, v.replace(/\$\{[A-Z_]+:-([^}]*)\}/g, '$1')]),
    );
    const config = loadConfig(resolved);
    assert.equal(config.redisUrl, 'redis://redis:6379');
    assert.equal(config.port, 8080);
  });

  it('the Dockerfile builds on node:20-slim with npm ci and runs `otpget serve` as a non-root user', () => {
    const dockerfile = read('Dockerfile');
    assert.match(dockerfile, /^FROM node:20-slim AS build$/m);
    assert.match(dockerfile, /npm ci\b/);
    assert.match(dockerfile, /^USER node$/m);
    assert.match(dockerfile, /^CMD \["otpget", "serve"\]$/m);
    for (const name of dockerfile.match(/^ENV[\s\S]*?^WORKDIR/m)?.[0].matchAll(/([A-Z_]+)=/g) ?? []) {
      if (name[1] !== 'NODE_ENV') assert.ok(configVariables.has(name[1]), `${name[1]} is read by config.ts`);
    }
    assert.match(read('.dockerignore'), /^node_modules$/m);
  });

  it('the systemd unit runs the CLI as its own user with an environment file', () => {
    const unit = read('deploy/otpget.service');
    assert.match(unit, /^ExecStart=\/usr\/bin\/node \/opt\/otpget\/bin\/otpget\.js serve$/m);
    assert.match(unit, /^User=otpget$/m);
    assert.match(unit, /^EnvironmentFile=-\/etc\/otpget\/otpget\.env$/m);
    for (const m of unit.matchAll(/^Environment=([A-Z_]+)=/gm)) {
      if (m[1] !== 'NODE_ENV') assert.ok(configVariables.has(m[1]), `${m[1]} is read by config.ts`);
    }
  });
});
