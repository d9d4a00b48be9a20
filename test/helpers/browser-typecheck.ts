import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';

// The source tree, wherever this file runs from (the test runner compiles it elsewhere).
export const ROOT = resolve(import.meta.dirname, '../..');

/**
 * Type-checks the browser scripts (the console's and the portal's) as `npm run typecheck` does,
 * with some source files' text replaced (absolute path → text): a contract change is tried
 * without touching the tree.
 */
export function browserDiagnostics(replaced: Record<string, string> = {}): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(
    resolve(ROOT, 'tsconfig.browser.json'),
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => assert.fail(String(d.messageText)),
    },
  );
  assert.ok(config);
  const host = ts.createCompilerHost(config.options);
  const readFile = host.readFile.bind(host);
  host.readFile = (file) => replaced[resolve(file)] ?? readFile(file);
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, host });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
}

/** The file's text with each `from` replaced by its `to`, asserting every `from` is there. */
export function edited(file: string, ...changes: [from: string, to: string][]): Record<string, string> {
  let text = readFileSync(file, 'utf8');
  for (const [from, to] of changes) {
    assert.ok(text.includes(from), `${file} contains ${from}`);
    text = text.replace(from, to);
  }
  return { [file]: text };
}
