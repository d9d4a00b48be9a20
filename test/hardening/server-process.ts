import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { otpgetNodeArgs } from '../helpers/cli-entry.js';

/** A real `otpget serve` child process. */
export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** kill -9: no shutdown hooks, no flushing, whatever was in flight is lost. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/**
 * Starts `node --import tsx src/cli/main.ts serve` on a random port with the given environment
 * and resolves once it prints its address. `logFile` receives its stdout and stderr.
 */
export function startServerProcess(env: Record<string, string>, logFile?: string): Promise<ServerProcess> {
  const child = spawn(process.execPath, otpgetNodeArgs('serve'), {
    env: {
      ...process.env,
      NODE_ENV: 'production',
      OTPGET_CLI_ENTRY: '1',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      OTPGET_RATE_LIMIT_PER_KEY: '0',
      OTPGET_RATE_LIMIT_PER_IP: '0',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  if (logFile) {
    const out = createWriteStream(logFile, { flags: 'a' });
    child.stdout?.pipe(out, { end: false });
    child.stderr?.pipe(out, { end: false });
    child.once('exit', () => out.end());
  }
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`otpget serve did not start in 60 s: ${seen.slice(-2000)}`));
    }, 60_000);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      const match = /otpget listening on (http:\/\/\S+)/.exec(seen);
      if (!match) return;
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      resolve({
        url: match[1] as string,
        child,
        async kill9() {
          child.kill('SIGKILL');
          await exited;
        },
        async stop() {
          child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`otpget serve exited with ${code}: ${seen.slice(-2000)}`));
    });
  });
}
