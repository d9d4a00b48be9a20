import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');

/**
 * The node arguments that run the `otpget` CLI in a child process: the JavaScript the test
 * runner compiled for this run (scripts/compile-tests.mjs, named by OTPGET_TEST_BUILD), or the
 * TypeScript sources through tsx when a test file is run on its own.
 */
export function otpgetNodeArgs(...args: string[]): string[] {
  const build = process.env.OTPGET_TEST_BUILD;
  const entry = build
    ? [join(build, 'src', 'cli', 'main.js')]
    : ['--import', 'tsx', join(root, 'src', 'cli', 'main.ts')];
  return [...entry, ...args];
}
