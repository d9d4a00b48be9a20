/**
 * Runs the load generator (bench/load-worker.ts) in a separate process and returns its result.
 * On a small machine the generator competes with the server for CPU; keeping it out of the
 * driver's process at least keeps the driver (and any fake upstream in it) from adding to that.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './server-process.js';
import { runWrk } from './wrk-load.js';

/** What to send: GET paths cycled over all connections, for a duration or a number of requests. */
export interface LoadSpec {
  url: string;
  paths: string[];
  connections: number;
  durationSec?: number;
  amount?: number;
  /** Unrecorded warm-up before the measured run (JIT, caches, connection pools). */
  warmupSec?: number;
  /** Keep the bodies that start with this (e.g. `ACCESS_NUMBER:`) with the index of their path. */
  collectPrefix?: string;
  /** wrk (where installed) for loads whose replies need only be checked against `expect`, not kept. */
  generator?: 'autocannon' | 'wrk';
  /** With wrk: the word every reply must start with (others are counted as `other`). */
  expect?: string;
}

/** One measured run. Latencies in milliseconds as autocannon reports them. */
export interface LoadResult {
  connections: number;
  durationSec: number;
  total: number;
  /** Requests of the unrecorded warm-up (they cost the server CPU too). */
  warmupTotal: number;
  requestsPerSec: number;
  latencyMeanMs: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  latencyMaxMs: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** Reply counts by their first word (`STATUS_WAIT_CODE`, `ACCESS_NUMBER`, `NO_BALANCE`, …). */
  replies: Record<string, number>;
  /** [path index, body] of the replies matching `collectPrefix`. */
  collected: Array<[number, string]>;
  /** 1-minute load average of the machine right after the run (other work competing for the CPUs). */
  loadAverage?: number;
  /** CPU time the server spent per request over warm-up and run, in microseconds (set by the caller). */
  serverCpuUsPerRequest?: number;
}

/** Runs a load against a server child and adds the server's CPU time per request to the result. */
export async function runLoadMeasured(server: { cpuMs(): number }, spec: LoadSpec): Promise<LoadResult> {
  const before = server.cpuMs();
  const result = await runLoad(spec);
  const cpuMs = server.cpuMs() - before;
  const requests = result.total + result.warmupTotal;
  return { ...result, serverCpuUsPerRequest: requests > 0 ? (cpuMs * 1000) / requests : 0 };
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  if (spec.generator === 'wrk') {
    if (spec.collectPrefix) throw new Error('wrk does not keep reply bodies; use autocannon');
    return runWrk(spec, spec.expect ?? '');
  }
  const dir = mkdtempSync(join(tmpdir(), 'otpget-bench-load-'));
  const specPath = join(dir, 'spec.json');
  writeFileSync(specPath, JSON.stringify(spec));
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'bench/load-worker.ts'), specPath], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`load generator failed (${code}): ${stderr.trim()}`);
    const line = stdout.trim().split('\n').at(-1) ?? '';
    return JSON.parse(line) as LoadResult;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
