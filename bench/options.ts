/** Command-line flags of `npm run bench`. */
import { parseArgs } from 'node:util';
import type { BenchDatabaseName } from './databases.js';
import { wrkInstalled } from './wrk-load.js';

export type PartName = 'status' | 'purchases' | 'economy' | 'memory' | 'import';
export const ALL_PARTS: PartName[] = ['purchases', 'status', 'economy', 'memory', 'import'];
const ALL_DATABASES: BenchDatabaseName[] = ['sqlite', 'postgres'];

export interface BenchOptions {
  quick: boolean;
  parts: PartName[];
  databases: BenchDatabaseName[];
  /** Run each otpget server child with --cpu-prof and summarise the profile. */
  profile: boolean;
  /** Skip `npm run build` (use the existing dist/). */
  noBuild: boolean;
  connections: number;
  accounts: number;
  /** Seconds of each measured status-poll run (bare and otpget) and of the purchase run. */
  durationSec: number;
  warmupSec: number;
  /** Alternating bare/otpget status-poll rounds; the best run of each side counts. */
  rounds: number;
  /** Live orders for the memory figure. */
  memoryOrders: number;
  /** Live activations on the fake upstream for the economy figures. */
  economyOrders: number;
  /** SMS deliveries timed for the delay figure. */
  economySamples: number;
  output: string;
  /** Extra environment for the otpget server (`--server-env OTPGET_WORKER=off`, for diagnosis). */
  serverEnv: Record<string, string>;
  /** What loads the status polls (bare and otpget alike): wrk where installed. */
  loadGenerator: 'wrk' | 'autocannon';
}

export const USAGE = `npm run bench -- [options]
  --quick                   short run (3 s loads, 20,000 orders for memory, 2,000 for economy)
  --parts a,b               any of: ${ALL_PARTS.join(', ')} (default: all)
  --db a,b                  any of: ${ALL_DATABASES.join(', ')} (default: both)
  --profile                 run the server with --cpu-prof; profiles in bench/results/profiles/
  --no-build                use the existing dist/ instead of running npm run build
  --connections N           load-generator connections (default 64)
  --accounts N              customer accounts to spread load over (default 200)
  --duration S              seconds per measured load run (default 10, quick 3)
  --rounds N                alternating bare/otpget status rounds, best of each counts (default 3, quick 1)
  --memory-orders N         live orders for the memory figure (default 100000, quick 20000)
  --economy-orders N        live activations on the fake upstream (default 10000, quick 2000)
  --server-env NAME=VALUE   extra environment for the otpget server (repeatable), e.g. OTPGET_WORKER=off
  --output FILE             results file name under bench/results/ (default latest.json)
  --load-generator NAME     wrk or autocannon for the status polls (default wrk where installed)
Environment: BENCH_DATABASE_URL (PostgreSQL base URL, default postgres://postgres@127.0.0.1:5432/test).`;

function list<T extends string>(text: string | undefined, allowed: T[], name: string): T[] {
  if (text === undefined) return allowed;
  const items = text.split(',').map((s) => s.trim()) as T[];
  for (const item of items) {
    if (!allowed.includes(item))
      throw new Error(`--${name}: unknown "${item}" (allowed: ${allowed.join(', ')})`);
  }
  return items;
}

function count(text: string | undefined, fallback: number, name: string): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) <= 0) throw new Error(`--${name} must be a positive whole number`);
  return Number(text);
}

export function parseOptions(argv: string[]): BenchOptions | 'help' {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      quick: { type: 'boolean' },
      parts: { type: 'string' },
      db: { type: 'string' },
      profile: { type: 'boolean' },
      'no-build': { type: 'boolean' },
      connections: { type: 'string' },
      accounts: { type: 'string' },
      duration: { type: 'string' },
      rounds: { type: 'string' },
      'memory-orders': { type: 'string' },
      'economy-orders': { type: 'string' },
      output: { type: 'string' },
      'load-generator': { type: 'string' },
      'server-env': { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return 'help';
  const quick = values.quick ?? false;
  return {
    quick,
    parts: list(values.parts, ALL_PARTS, 'parts'),
    databases: list(values.db, ALL_DATABASES, 'db'),
    profile: values.profile ?? false,
    noBuild: values['no-build'] ?? false,
    connections: count(values.connections, 64, 'connections'),
    accounts: count(values.accounts, 200, 'accounts'),
    durationSec: count(values.duration, quick ? 3 : 10, 'duration'),
    warmupSec: quick ? 1 : 3,
    rounds: count(values.rounds, quick ? 1 : 3, 'rounds'),
    memoryOrders: count(values['memory-orders'], quick ? 20_000 : 100_000, 'memory-orders'),
    economyOrders: count(values['economy-orders'], quick ? 2_000 : 10_000, 'economy-orders'),
    economySamples: quick ? 40 : 200,
    output: values.output ?? 'latest.json',
    loadGenerator: loadGenerator(values['load-generator']),
    serverEnv: Object.fromEntries(
      (values['server-env'] ?? []).map((pair) => {
        const at = pair.indexOf('=');
        if (at <= 0) throw new Error(`--server-env takes NAME=VALUE, got "${pair}"`);
        return [pair.slice(0, at), pair.slice(at + 1)];
      }),
    ),
  };
}

function loadGenerator(text: string | undefined): BenchOptions['loadGenerator'] {
  if (text === undefined) return wrkInstalled() ? 'wrk' : 'autocannon';
  const [name] = list(text, ['wrk', 'autocannon'] as const, 'load-generator');
  if (name === 'wrk' && !wrkInstalled()) throw new Error('--load-generator wrk: wrk is not installed');
  return name ?? 'autocannon';
}
