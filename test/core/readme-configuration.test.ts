import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';

// The README's configuration table is what an operator reads; this keeps it honest against the
// code: every variable the server reads has a row, and a row's default is the code's default.
const root = join(import.meta.dirname, '..', '..');
/** Read from the environment but not configuration: the OS user for audit names, the CLI test hook. */
const NOT_SETTINGS = new Set(['USER', 'LOGNAME', 'OTPGET_CLI_ENTRY', 'NODE_ENV']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

function readmeRows(): Map<string, string> {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const rows = new Map<string, string>();
  for (const m of readme.matchAll(/^\| `([A-Z][A-Z0-9_]+)` \| ([^|]*) \|/gm)) {
    rows.set(m[1] as string, (m[2] as string).trim());
  }
  return rows;
}

it('documents every environment variable the code reads', () => {
  const read = new Set<string>();
  for (const file of sources(join(root, 'src'))) {
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/\benv\.([A-Z][A-Z0-9_]+)|\bread(?:Int|Bool)\(env, '([A-Z][A-Z0-9_]+)'/g)) {
      read.add((m[1] ?? m[2]) as string);
    }
  }
  assert.ok(read.size > 20, `found the variables (${read.size})`);
  const rows = readmeRows();
  const missing = [...read].filter((name) => !NOT_SETTINGS.has(name) && !rows.has(name)).sort();
  assert.deepEqual(missing, [], 'variables read by src/ but missing from the README table');
});

it("gives each number and on/off setting the code's own default", () => {
  const config = readFileSync(join(root, 'src', 'config.ts'), 'utf8');
  const rows = readmeRows();
  let checked = 0;
  for (const m of config.matchAll(/readInt\(env, '([A-Z0-9_]+)', ([\d_]+),/g)) {
    const [name, value] = [m[1] as string, (m[2] as string).replaceAll('_', '')];
    assert.equal(rows.get(name), `\`${value}\``, name);
    checked++;
  }
  for (const m of config.matchAll(/readBool\(env, '([A-Z0-9_]+)', (true|false)\)/g)) {
    assert.equal(rows.get(m[1] as string), m[2] === 'true' ? '`on`' : '`off`', m[1]);
    checked++;
  }
  assert.ok(checked >= 15, `checked ${checked} defaults`);
});
