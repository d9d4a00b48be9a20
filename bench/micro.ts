/**
 * `npm run bench:micro [-- <database-url>] [purchases]`: the cost of the hot actions inside one
 * process, without HTTP or a load generator: microseconds per getStatus (the wire frame and the
 * status read), per getBalance, and per getNumber alone and 64 at a time against the instant
 * sandbox. A quick way to see what a change does to the code path itself; `npm run bench` gives
 * the figures that count. Default database: a fresh SQLite file in a temporary directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { createAccount } from '../src/accounts/accounts.service.js';
import { findActivationStatus } from '../src/activations/activations.repository.js';
import { createApp, createContext } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { answerWireCall } from '../src/http/wire.js';
import type { WireReply } from '../src/http/wire-types.js';
import { handlerApiEndpoint } from '../src/sms/handler-api.wire.js';

const dir = mkdtempSync(join(tmpdir(), 'otpget-micro-'));
const url =
  process.argv[2] && process.argv[2] !== 'sqlite'
    ? `${process.argv[2]}${process.argv[2].includes('?') ? '&' : '?'}schema=micro_${process.pid}`
    : join(dir, 'otpget.db');
const purchases = Number(process.argv[3] ?? 3000);

const database = openDatabase(url);
await migrateToLatest(database);
const config = {
  ...loadConfig({
    OTPGET_SANDBOX_DELAY_MS: 'off',
    OTPGET_RATE_LIMIT_PER_KEY: '0',
    OTPGET_RATE_LIMIT_PER_IP: '0',
  }),
  databaseUrl: url,
  logLevel: 'silent',
};
const ctx = createContext(config, database, { log: pino({ level: 'silent' }) });
await createApp(ctx);
const { apiKey } = await createAccount(ctx.db, ctx.clock, { openingBalance: 100_000_000_000 });
const endpoint = handlerApiEndpoint(ctx);
const request = { ip: '127.0.0.1', headers: {}, socket: null as never, log: ctx.log };
const call = async (params: Record<string, string>): Promise<WireReply> =>
  (await answerWireCall(ctx, endpoint, { api_key: apiKey, ...params }, request)).reply;

async function time(name: string, count: number, run: () => Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(2000, count); i++) await run();
  const started = performance.now();
  for (let i = 0; i < count; i++) await run();
  report(name, started, count);
}

function report(name: string, started: number, count: number): void {
  const perCall = ((performance.now() - started) * 1000) / count;
  process.stdout.write(`${name.padEnd(36)} ${perCall.toFixed(1).padStart(8)} µs\n`);
}

const countries = (await call({ action: 'getCountries', type: '1' })).body as Record<
  string,
  Array<{ id: string }>
>;
const country = countries['1']?.[0]?.id ?? '';
const services = (await call({ action: 'getServices', type: '1', country })).body as Record<string, unknown>;
const service = Object.keys(services)[0] ?? '';
const buy = { action: 'getNumber', type: '1', country, service };
const bought = (await call(buy)).body as string;
const orderId = bought.split(':')[1] ?? '';
process.stdout.write(`database ${database.dialect}; product type 1/${country}/${service}; ${bought}\n`);

await time('getStatus (wire frame + read)', 50_000, () => call({ action: 'getStatus', id: orderId }));
await time('status read alone', 50_000, () => findActivationStatus(database, 1, 'sms', orderId));
await time('getBalance', 20_000, () => call({ action: 'getBalance' }));
await time('getNumber, one at a time', purchases, () => call(buy));
let next = 0;
const cpuBefore = process.cpuUsage();
const started = performance.now();
await Promise.all(
  Array.from({ length: 64 }, async () => {
    while (next++ < purchases) await call(buy);
  }),
);
report('getNumber, 64 at a time (per purchase)', started, purchases);
const cpu = process.cpuUsage(cpuBefore);
process.stdout.write(
  `${"  of which this process's CPU".padEnd(36)} ${((cpu.user + cpu.system) / purchases).toFixed(1).padStart(8)} µs\n`,
);

await database.close();
if (database.dialect === 'postgres') {
  const cleanup = openDatabase(process.argv[2] ?? '');
  await cleanup.db.schema.dropSchema(`micro_${process.pid}`).ifExists().cascade().execute();
  await cleanup.close();
}
rmSync(dir, { recursive: true, force: true });
