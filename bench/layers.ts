/**
 * `npm run bench:layers [-- sqlite|postgres] [seconds]`: what a customer GET costs, layer by layer,
 * against the bare node:http server: throughput and server CPU per request for a path nobody
 * serves (Fastify's 404), an unknown action (the fast lane's frame, no key check), a wrong key
 * (the key check), getBalance (key check and a balance read) and getStatus (key check and the
 * status read) over 2,000 live orders of 50 accounts. Each row minus the one before is the cost of
 * one layer. Uses wrk where installed (autocannon otherwise), 64 connections, worker off.
 * Needs `npm run build` first (the server runs from dist/, as in `npm run bench`).
 */
import { type BenchDatabaseName, createBenchDatabase } from './databases.js';
import { runLoadMeasured } from './load.js';
import { buyOrders, seedAccounts, smsPath } from './seed.js';
import { startBareServer, startOtpget } from './server-process.js';
import { findSmsProduct } from './sms-product.js';
import { wrkInstalled } from './wrk-load.js';

const name = (process.argv[2] ?? 'sqlite') as BenchDatabaseName;
if (name !== 'sqlite' && name !== 'postgres')
  throw new Error('usage: bench:layers [sqlite|postgres] [seconds]');
const durationSec = Number(process.argv[3] ?? 6);
const generator = wrkInstalled() ? 'wrk' : 'autocannon';

const database = await createBenchDatabase(name);
try {
  const accounts = await seedAccounts(database.url, 50, 1_000_000_000);
  const server = await startOtpget(database.url, { env: { OTPGET_WORKER: 'off' } });
  try {
    const [first] = accounts;
    const product = first ? await findSmsProduct(server.url, first.apiKey) : null;
    if (!product) throw new Error('the sandbox sells no SMS product');
    const { orders } = await buyOrders(server.url, accounts, product, { amount: 2000 }, 16);
    const layers: Array<[string, string[], string]> = [
      ['path nobody serves (Fastify 404)', accounts.map(() => '/nothing-here'), ''],
      [
        'unknown action (fast lane frame)',
        accounts.map((a) => smsPath(a.apiKey, { action: 'nope' })),
        'BAD_ACTION',
      ],
      [
        'wrong key (key check)',
        accounts.map((_, i) => smsPath(`wrong${i}`, { action: 'getBalance' })),
        'BAD_KEY',
      ],
      ['getBalance', accounts.map((a) => smsPath(a.apiKey, { action: 'getBalance' })), 'ACCESS_BALANCE'],
      [
        'getStatus',
        orders.map((o) => smsPath(o.apiKey, { action: 'getStatus', id: o.id })),
        'STATUS_WAIT_CODE',
      ],
    ];
    const spec = { connections: 64, durationSec, warmupSec: 1, generator } as const;
    process.stdout.write(`${name}, ${generator}, 64 connections, ${durationSec} s each\n`);
    const bare = await startBareServer('STATUS_WAIT_CODE');
    try {
      const result = await runLoadMeasured(bare, { ...spec, url: bare.url, paths: ['/'], expect: 'STATUS' });
      print('bare node:http', result);
    } finally {
      await bare.stop();
    }
    for (const [label, paths, expect] of layers) {
      print(label, await runLoadMeasured(server, { ...spec, url: server.url, paths, expect }));
    }
  } finally {
    await server.stop();
  }
} finally {
  await database.drop();
}

function print(label: string, result: Awaited<ReturnType<typeof runLoadMeasured>>): void {
  const rate = Math.round(result.requestsPerSec).toLocaleString('en-US');
  const cpu = (result.serverCpuUsPerRequest ?? 0).toFixed(1);
  const replies = Object.entries(result.replies)
    .map(([word, n]) => `${word || '(other)'} ${n}`)
    .join(', ');
  process.stdout.write(
    `${label.padEnd(34)} ${rate.padStart(8)} req/s ${cpu.padStart(7)} µs CPU  p99 ${result.latencyP99Ms} ms  ${replies}\n`,
  );
}
