import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { it } from 'node:test';
import { runOtpget, runOtpgetInProcess } from '../helpers/cli.js';

// None of these reach a database: they are about what an operator sees when finding their way.
const root = join(import.meta.dirname, '..', '..');
const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;

it('prints the version with --version, as the real command does', async () => {
  const child = await runOtpget(['--version'], {});
  assert.equal(child.code, 0);
  assert.equal(child.stdout, `otpget ${version}\n`);
});

it('prints one command group with help <command>', async () => {
  const topup = await runOtpgetInProcess(['help', 'topup'], {});
  assert.equal(topup.code, 0);
  assert.match(topup.stdout, /approve <id>/);
  assert.doesNotMatch(topup.stdout, /otpget account/, 'only the group asked for');
  const all = await runOtpgetInProcess(['help'], {});
  assert.equal(all.code, 0);
  for (const group of ['account', 'topup', 'rental', 'email', 'sim', 'cheap']) {
    assert.match(all.stdout, new RegExp(`otpget ${group} `), group);
  }
});

it('answers an unknown command with exit code 2 and a one-line hint naming the nearest command', async () => {
  const typo = await runOtpgetInProcess(['acount', 'list'], {});
  assert.equal(typo.code, 2);
  assert.equal(typo.stdout, '');
  assert.equal(typo.stderr, 'unknown command "acount": did you mean "account"? (otpget help lists them)\n');
  const nothingNear = await runOtpgetInProcess(['xyzzy'], {});
  assert.equal(nothingNear.code, 2);
  assert.equal(nothingNear.stderr, 'unknown command "xyzzy" (otpget help lists them)\n');
  const unknownTopic = await runOtpgetInProcess(['help', 'xyzzy'], {});
  assert.equal(unknownTopic.code, 2);
});

it('answers an unknown subcommand or flag with exit code 2 and where to look', async () => {
  const sub = await runOtpgetInProcess(['topup', 'aprove', '1'], {});
  assert.equal(sub.code, 2);
  assert.match(sub.stderr, /^error: unknown topup command "aprove"\n/);
  assert.match(sub.stderr, /approve <id>/, 'with the group usage');
  const none = await runOtpgetInProcess(['topup'], {});
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^error: otpget topup needs a command\n/);
  const flag = await runOtpgetInProcess(['topup', 'list', '--bogus'], {});
  assert.equal(flag.code, 2);
  assert.match(flag.stderr, /--bogus/);
  assert.match(flag.stderr, /\nsee: otpget help topup\n$/);
});
