/**
 * The real otpget server as a child process, started the way an operator starts it
 * (`node dist/src/cli/main.js serve`), so the figures include the compiled code, Fastify, the
 * database driver and the background worker, and nothing of the benchmark's own process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..');
/** The compiled CLI; BENCH_DIST points at another build (e.g. a patched copy) to compare it. */
export const CLI_ENTRY = join(process.env.BENCH_DIST ?? join(ROOT, 'dist'), 'src/cli/main.js');

/** Environment every benchmark server gets: no rate limits, quiet logs, no automatic sandbox codes. */
export function benchEnv(databaseUrl: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NODE_ENV: 'production',
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    OTPGET_RATE_LIMIT_PER_KEY: '0',
    OTPGET_RATE_LIMIT_PER_IP: '0',
    OTPGET_SANDBOX_DELAY_MS: 'off',
    ...extra,
  };
}

export interface ServerChild {
  url: string;
  pid: number;
  /** Resident and peak resident memory of the child, from /proc (bytes). */
  memory(): { rss: number; peakRss: number };
  /** CPU time (user + system) the child has used so far, in milliseconds. */
  cpuMs(): number;
  /** SIGTERM and wait: the server closes gracefully, which also writes a --cpu-prof profile. */
  stop(): Promise<void>;
  /** Last lines the child wrote to stderr. */
  stderr: string[];
  /** Last lines the child wrote to stdout after it started (pino logs go there). */
  stdoutTail: string[];
  /** Bytes the child wrote to stdout after it started: a busy log is a cost on every request. */
  stdoutBytes(): number;
}

export interface StartOptions {
  /** Node flags before the script, e.g. --cpu-prof. */
  nodeArgs?: string[];
  /** Directory for a --cpu-prof profile of this child; null for none. */
  profileDir?: string | null;
  env?: Record<string, string>;
}

/** Starts `otpget serve` and resolves once it prints the address it listens on. */
export async function startOtpget(databaseUrl: string, options: StartOptions = {}): Promise<ServerChild> {
  const nodeArgs = [...(options.nodeArgs ?? [])];
  if (options.profileDir) {
    mkdirSync(options.profileDir, { recursive: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${options.profileDir}`);
  }
  const child = spawn(process.execPath, [...nodeArgs, CLI_ENTRY, 'serve'], {
    cwd: ROOT,
    env: benchEnv(databaseUrl, options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return attach(child, /listening on (http:\/\/\S+)/, 'otpget serve');
}

/** Starts the bare `node:http` reference server (bench/bare-server.mjs) in its own process. */
export async function startBareServer(body: string): Promise<ServerChild> {
  const child = spawn(process.execPath, [join(ROOT, 'bench/bare-server.mjs'), body], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return attach(child, /listening on (http:\/\/\S+)/, 'bare server');
}

function attach(child: ChildProcess, ready: RegExp, name: string): Promise<ServerChild> {
  const stderr: string[] = [];
  let stdout = '';
  let started = false;
  let stdoutBytes = 0;
  const stdoutTail: string[] = [];
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr.push(...chunk.split('\n').filter((line) => line.trim() !== ''));
    if (stderr.length > 200) stderr.splice(0, stderr.length - 200);
  });
  return new Promise<ServerChild>((resolveStart, rejectStart) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      rejectStart(new Error(`${name} did not start within 30 s: ${stderr.join('\n')}`));
    }, 30_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      rejectStart(new Error(`${name} exited with ${code} before listening: ${stderr.join('\n')}`));
    });
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (chunk: string) => {
      if (started) {
        stdoutBytes += chunk.length;
        stdoutTail.push(...chunk.split('\n').filter((line) => line.trim() !== ''));
        if (stdoutTail.length > 50) stdoutTail.splice(0, stdoutTail.length - 50);
        return;
      }
      stdout += chunk;
      const match = ready.exec(stdout);
      if (!match?.[1] || child.pid === undefined) return;
      started = true;
      clearTimeout(timer);
      const pid = child.pid;
      stdout = '';
      resolveStart({
        url: match[1],
        pid,
        stderr,
        stdoutTail,
        stdoutBytes: () => stdoutBytes,
        memory: () => readMemory(pid),
        cpuMs: () => readCpuMs(pid),
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
          const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
          await exited;
          clearTimeout(killer);
        },
      });
    });
  });
}

/** VmRSS and VmHWM of a process, in bytes (Linux). */
export function readMemory(pid: number): { rss: number; peakRss: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0);
  return { rss: kb('VmRSS') * 1024, peakRss: kb('VmHWM') * 1024 };
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on Linux). */
const USER_HZ = 100;

/** utime + stime of a process in milliseconds (Linux). */
export function readCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start at field 3.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / USER_HZ;
}
