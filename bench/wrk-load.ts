/**
 * wrk as the load generator, where it is installed: written in C, it takes far less of the two
 * cores than autocannon, whose own cost compresses every otpget/bare ratio measured beside it.
 * A Lua script cycles through the request paths (each thread from its own offset) and counts the
 * replies that do not start with the expected word; `done` prints one JSON line.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LoadResult, LoadSpec } from './load.js';

export function wrkInstalled(): boolean {
  return spawnSync('wrk', ['--version']).error === undefined;
}

const SCRIPT = `
local paths = {}
for line in io.lines(os.getenv("WRK_PATHS")) do paths[#paths + 1] = line end
local expected = os.getenv("WRK_EXPECT") or ""
local threads = {}
unexpected = 0
counter = 0
function setup(thread)
  thread:set("counter", #threads * 7919)
  table.insert(threads, thread)
end
function request()
  counter = counter + 1
  return wrk.format("GET", paths[(counter % #paths) + 1])
end
function response(status, headers, body)
  if status ~= 200 or string.sub(body, 1, #expected) ~= expected then unexpected = unexpected + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("unexpected") end
  local e = summary.errors
  io.write(string.format('WRK_JSON {"requests":%d,"duration_us":%d,"mean_us":%f,"p50_us":%d,"p99_us":%d,"max_us":%d,"errors":%d,"timeouts":%d,"non2xx":%d,"unexpected":%d}\\n',
    summary.requests, summary.duration, latency.mean, latency:percentile(50), latency:percentile(99), latency.max,
    e.connect + e.read + e.write, e.timeout, e.status, bad))
end
`;

interface WrkJson {
  requests: number;
  duration_us: number;
  mean_us: number;
  p50_us: number;
  p99_us: number;
  max_us: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  unexpected: number;
}

/** Runs wrk (warm-up, then the measured run) over the spec's paths; replies are checked against `expect`. */
export async function runWrk(spec: LoadSpec, expect: string): Promise<LoadResult> {
  const dir = mkdtempSync(join(tmpdir(), 'otpget-bench-wrk-'));
  try {
    const script = join(dir, 'paths.lua');
    const paths = join(dir, 'paths.txt');
    writeFileSync(script, SCRIPT);
    writeFileSync(paths, `${spec.paths.join('\n')}\n`);
    const run = (seconds: number) => wrk(spec, script, paths, expect, seconds);
    const warmup = spec.warmupSec ? await run(spec.warmupSec) : null;
    const result = await run(spec.durationSec ?? 10);
    const seconds = result.duration_us / 1e6;
    const ok = result.requests - result.unexpected;
    return {
      connections: spec.connections,
      durationSec: seconds,
      total: result.requests,
      warmupTotal: warmup?.requests ?? 0,
      requestsPerSec: result.requests / seconds,
      latencyMeanMs: result.mean_us / 1000,
      latencyP50Ms: result.p50_us / 1000,
      latencyP99Ms: result.p99_us / 1000,
      latencyMaxMs: result.max_us / 1000,
      non2xx: result.non2xx,
      errors: result.errors,
      timeouts: result.timeouts,
      replies: result.unexpected > 0 ? { [expect]: ok, other: result.unexpected } : { [expect]: ok },
      collected: [],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function wrk(
  spec: LoadSpec,
  script: string,
  paths: string,
  expect: string,
  seconds: number,
): Promise<WrkJson> {
  const args = [
    '-t',
    '2',
    '-c',
    String(spec.connections),
    '-d',
    `${seconds}s`,
    '--timeout',
    '30s',
    '-s',
    script,
  ];
  const child = spawn('wrk', [...args, spec.url], {
    env: { ...process.env, WRK_PATHS: paths, WRK_EXPECT: expect },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('WRK_JSON '));
      if (code !== 0 || !line) reject(new Error(`wrk failed (${code}): ${out.trim().slice(-500)}`));
      else resolve(JSON.parse(line.slice('WRK_JSON '.length)) as WrkJson);
    });
  });
}
