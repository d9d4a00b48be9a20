import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { otpgetNodeArgs } from './cli-entry.js';

export const hasPhp = spawnSync('php', ['-v']).status === 0;
export const hasPythonRequests = spawnSync('python3', ['-c', 'import requests']).status === 0;
export const hasCurl = spawnSync('curl', ['--version']).status === 0;
// The interpreter behind `python3` itself: a version-manager shim costs a second per start.
const python =
  spawnSync('python3', ['-c', 'import sys; print(sys.executable)']).stdout?.toString().trim() || 'python3';

export type SnippetLanguage = 'php' | 'python' | 'curl';

/** Runs a documentation snippet the way a reader would: php -r, python3 -c, or bash for cURL. */
export function runSnippet(lang: SnippetLanguage, code: string): Promise<string> {
  const [command, args] =
    lang === 'php'
      ? ['php', ['-r', code]]
      : lang === 'python'
        ? [python, ['-c', code]]
        : ['bash', ['-c', code]];
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => {
      out += c;
    });
    child.stderr.on('data', (c) => {
      err += c;
    });
    child.on('error', reject);
    child.on('close', (status) =>
      status === 0 ? resolve(out) : reject(new Error(`${lang} exited ${status}: ${err}`)),
    );
  });
}

/** `otpget serve` as a fresh install runs it, on a random port; resolves once it listens. */
export function startServeProcess(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, otpgetNodeArgs('serve'), {
      env: { ...process.env, OTPGET_CLI_ENTRY: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
    child.stdout?.on('data', (chunk) => {
      out += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(out);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({ child, url: match[1] });
      }
    });
    child.stderr?.on('data', (chunk) => {
      out += chunk;
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${out}`)));
  });
}
