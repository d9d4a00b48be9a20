#!/usr/bin/env node
// Runs the *.test.ts files under test/ (and src/, packages/) with Node's own test runner, in one of
// two tiers. The TypeScript is compiled once per run into .test-build/ (scripts/compile-tests.mjs,
// incremental), so no test process and no server or CLI child pays for a loader; the files start
// longest-first by the durations the last run recorded, so the slowest file never starts last.
//
//   npm test                    the edit-test loop: every file but the slow ones below, the fuzz
//                               test at a tenth of its size
//   npm run test:all            everything CI runs: browser tests, the full fuzz, kill -9 restarts,
//                               two processes on one database, the reference's examples verbatim
//   ... -- --require-browser    a missing Chromium fails the run instead of skipping the browser tests
//   ... -- <path-substring> ... only the files whose path contains one of them (slow ones included)
//
// The PostgreSQL half of each file runs when TEST_DATABASE_URL is set (see README.md).
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import pg from 'pg';
import { BUILD_DIR, bundleDir, bundleTests, compileTests } from './compile-tests.mjs';

/**
 * Files only `test:all` (or a filter naming them) runs: each takes tens of seconds. The
 * reference's examples run verbatim in PHP, Python and curl child processes against a server
 * process (with the examples' own polling sleeps): `npm test -- reference-examples email-examples`
 * runs them after a change to a wire format. The browser scripts' contract check type-checks them
 * twice with the TypeScript compiler; `npm run typecheck` is the quick form of it.
 */
const SLOW = [
  'test/browser/',
  'test/core/browser-contracts',
  'test/hardening/crash-safety',
  'test/hardening/two-processes',
  'test/cheap/reference-examples',
  'test/rentals/reference-examples',
  'test/sms/reference-examples',
  'test/emails/email-examples',
];
/** The fast tier's share of the fuzz test's requests (OTPGET_HARDENING_SCALE, when not set). */
const FAST_HARDENING_SCALE = '0.1';

function findTests(dir) {
  let found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (name === 'node_modules') continue;
    if (statSync(path).isDirectory()) found = found.concat(findTests(path));
    else if (name.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

const args = process.argv.slice(2);
const all = args.includes('--all');
const requireBrowser = args.includes('--require-browser');
const filters = args.filter((arg) => !arg.startsWith('--'));
const unknown = args.filter((arg) => arg.startsWith('--') && arg !== '--all' && arg !== '--require-browser');
if (unknown.length > 0) {
  console.error(`unknown option ${unknown[0]}: the options are --all and --require-browser`);
  process.exit(2);
}

const roots = ['src', 'test', 'packages'].filter((root) => {
  try {
    return statSync(root).isDirectory();
  } catch {
    return false;
  }
});
const files = roots
  .flatMap((root) => findTests(root))
  .filter((file) =>
    filters.length > 0 ? filters.some((f) => file.includes(f)) : all || !SLOW.some((s) => file.startsWith(s)),
  )
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

// The run's name: test servers copy a database migrated once per run (test/helpers/databases.ts),
// and the templates are removed when the run ends.
const run = randomBytes(4).toString('hex');
const env = { ...process.env, NODE_ENV: 'test', OTPGET_TEST_RUN: run };
if (!all && filters.length === 0) env.OTPGET_HARDENING_SCALE ??= FAST_HARDENING_SCALE;
if (requireBrowser) env.OTPGET_REQUIRE_BROWSER = '1';
const concurrency = process.env.TEST_CONCURRENCY ?? '4';
console.log(
  `${all ? 'all tests' : filters.length ? 'matching tests' : 'fast tier (npm run test:all runs the slow files too)'}: ` +
    `${files.length} files, ${process.env.TEST_DATABASE_URL ? 'SQLite and PostgreSQL' : 'SQLite only (set TEST_DATABASE_URL for PostgreSQL)'}`,
);
// Each test process loads JavaScript compiled once here (scripts/compile-tests.mjs) rather than
// transforming TypeScript on the way in; the CLI and server processes the tests start run it too.
await compileTests(process.cwd(), roots);
env.OTPGET_TEST_BUILD = join(process.cwd(), BUILD_DIR);
// The longest files of the last run start first; the others follow in name order.
const durationsFile = join(BUILD_DIR, 'file-durations.json');
const lastDurations = readDurations(durationsFile);
const compiled = [...files]
  .sort((a, b) => (lastDurations[b] ?? 0) - (lastDurations[a] ?? 0))
  .map((file) => join(process.cwd(), BUILD_DIR, file.replace(/\.ts$/, '.js')));
// Each test process loads its file bundled (scripts/compile-tests.mjs: bundleTests);
// OTPGET_TEST_BUNDLE=0 runs the compiled files one module at a time instead.
const bundled = process.env.OTPGET_TEST_BUNDLE !== '0';
const ordered = bundled ? await bundleTests(process.cwd(), compiled, run) : compiled;
const runDir = join(process.cwd(), bundled ? bundleDir(run) : BUILD_DIR);
const thisRun = join(BUILD_DIR, `file-times-${run}.tsv`);
env.OTPGET_TEST_TIMES = thisRun;
const result = spawnSync(
  process.execPath,
  [
    '--enable-source-maps',
    '--import',
    join(import.meta.dirname, 'record-file-time.mjs'),
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-reporter=spec',
    ...ordered,
  ],
  { stdio: 'inherit', env },
);
const merged = { ...lastDurations };
for (const line of readText(thisRun).split('\n').filter(Boolean)) {
  const [file, ms] = line.split('\t');
  merged[relative(runDir, file).replace(/\.js$/, '.ts')] = Number(ms);
}
rmSync(thisRun, { force: true });
if (bundled) rmSync(runDir, { recursive: true, force: true });
writeFileSync(durationsFile, `${JSON.stringify(merged, null, 1)}\n`);
await removeTemplates(run);
process.exit(result.status ?? 1);

/** A file's text; empty when it is missing. */
function readText(path) {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}

/** The last run's durations as { file: ms }; empty when there are none. */
function readDurations(path) {
  try {
    return JSON.parse(readText(path) || '{}');
  } catch {
    return {};
  }
}

/** Removes the run's SQLite template and PostgreSQL template database. */
async function removeTemplates(name) {
  rmSync(join(tmpdir(), `otpget-test-template-${name}`), { recursive: true, force: true });
  if (!process.env.TEST_DATABASE_URL) return;
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  try {
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS otpget_tpl_${name} WITH (FORCE)`);
  } catch (error) {
    console.error(`could not remove the template database otpget_tpl_${name}: ${error.message}`);
  } finally {
    await client.end().catch(() => {});
  }
}
