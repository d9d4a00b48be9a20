import { spawn } from 'node:child_process';
import { runCli } from '../../src/cli/main.js';
import { otpgetNodeArgs } from './cli-entry.js';

/** Runs the real `otpget` CLI from the TypeScript sources in a child process. */
export function runOtpget(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, otpgetNodeArgs(...args), {
      env: { ...process.env, OTPGET_CLI_ENTRY: '1', LOG_LEVEL: 'silent', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}

/**
 * Runs the same CLI code in this process: far faster than a child process, for the many cases
 * that only check arguments, messages and exit codes. The environment is swapped for the call,
 * so calls must not overlap (node:test runs a file's tests one after another).
 */
export async function runOtpgetInProcess(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const saved = { ...process.env };
  Object.assign(process.env, { LOG_LEVEL: 'silent' }, env);
  let stdout = '';
  let stderr = '';
  try {
    const code = await runCli(args, {
      out: (line) => {
        stdout += `${line}\n`;
      },
      err: (line) => {
        stderr += `${line}\n`;
      },
      // As a pipe shows it: each progress line on stderr.
      progress: (line) => {
        stderr += `${line}\n`;
      },
    });
    return { code, stdout, stderr };
  } finally {
    for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
    Object.assign(process.env, saved);
  }
}
