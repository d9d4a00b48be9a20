import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { it } from 'node:test';
import { loadConfig } from '../../src/config.js';

const root = join(import.meta.dirname, '..', '..');

/** Logs one event through the server's own logger in a child process; returns what reached stdout. */
function logOnce(env: Record<string, string>): string {
  const script = `
    import { loadConfig } from './src/config.ts';
    import { createLogger } from './src/http/logging.ts';
    createLogger(loadConfig()).info({ orderId: 'abc123' }, 'order settled');`;
  const child = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    encoding: 'utf8',
  });
  assert.equal(child.status, 0, child.stderr);
  return child.stdout;
}

it('writes JSON lines when told to, or when stdout is not a terminal', () => {
  for (const env of [{ LOG_FORMAT: 'json' }, { LOG_FORMAT: '' }]) {
    const line = JSON.parse(logOnce(env).trim()) as { msg: string; orderId: string };
    assert.equal(line.msg, 'order settled');
    assert.equal(line.orderId, 'abc123');
  }
});

it('writes readable lines with LOG_FORMAT=pretty', () => {
  const out = logOnce({ LOG_FORMAT: 'pretty' });
  assert.throws(() => JSON.parse(out.trim()), 'not JSON');
  assert.match(out, /INFO.*order settled/);
  assert.match(out, /orderId: "abc123"/);
});

it('refuses an unknown LOG_FORMAT by name', () => {
  assert.throws(() => loadConfig({ LOG_FORMAT: 'xml' }), /LOG_FORMAT must be json or pretty, got "xml"/);
  assert.equal(loadConfig({ LOG_FORMAT: 'PRETTY' }).logFormat, 'pretty');
});
