/**
 * The load generator, run as its own process (`node --import tsx bench/load-worker.ts spec.json`)
 * so it never shares an event loop with the benchmark driver or a fake upstream. It runs
 * autocannon over a list of request paths, cycling through them across all connections (so every
 * request hits a different order or account), and prints one JSON LoadResult on stdout.
 */
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';
import type { LoadResult, LoadSpec } from './load.js';

interface PathContext {
  pathIndex?: number;
}

async function main(): Promise<void> {
  const specPath = process.argv[2];
  if (!specPath) throw new Error('usage: load-worker.ts <spec.json>');
  const spec = JSON.parse(readFileSync(specPath, 'utf8')) as LoadSpec;
  if (spec.paths.length === 0) throw new Error('no request paths');
  let warmupTotal = 0;
  if (spec.warmupSec && spec.warmupSec > 0) {
    warmupTotal = (await run(spec, { durationSec: spec.warmupSec, amount: undefined }, false)).total;
  }
  const result = await run(spec, { durationSec: spec.durationSec, amount: spec.amount }, true);
  process.stdout.write(`${JSON.stringify({ ...result, warmupTotal })}\n`);
}

async function run(
  spec: LoadSpec,
  length: { durationSec: number | undefined; amount: number | undefined },
  record: boolean,
): Promise<LoadResult> {
  let next = 0;
  const replies: Record<string, number> = {};
  const collected: Array<[number, string]> = [];
  const collectPrefix = record ? spec.collectPrefix : undefined;
  const result = await autocannon({
    url: spec.url,
    connections: spec.connections,
    pipelining: 1,
    ...(length.amount !== undefined ? { amount: length.amount } : { duration: length.durationSec ?? 10 }),
    timeout: 30,
    requests: [
      {
        method: 'GET',
        setupRequest: (request, context: PathContext) => {
          const pathIndex = next++ % spec.paths.length;
          context.pathIndex = pathIndex;
          return { ...request, path: spec.paths[pathIndex] };
        },
        onResponse: (_status, body, context: PathContext) => {
          if (!record) return;
          // Replies are words like STATUS_WAIT_CODE or ACCESS_NUMBER:id:phone; count by the word.
          const word = body.split(':', 1)[0] ?? '';
          replies[word] = (replies[word] ?? 0) + 1;
          if (collectPrefix && body.startsWith(collectPrefix) && context.pathIndex !== undefined) {
            collected.push([context.pathIndex, body]);
          }
        },
      },
    ],
  });
  const seconds = result.duration;
  return {
    connections: spec.connections,
    durationSec: seconds,
    total: result.requests.total,
    requestsPerSec: seconds > 0 ? result.requests.total / seconds : 0,
    latencyMeanMs: result.latency.average,
    latencyP50Ms: result.latency.p50,
    latencyP99Ms: result.latency.p99,
    latencyMaxMs: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    replies,
    collected,
    warmupTotal: 0,
  };
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
