/**
 * `npm run bench:micro [-- <database-url>] [purchases]`: the cost of the hot actions inside one
 * process, without HTTP or a load generator: microseconds per getStatus (the wire frame and the
 * status read), per getBalance, and per getNumber alone and 64 at a time against the instant
 * sandbox, then a getNumber with one failover hop (an upstream on 127.0.0.1 answering NO_NUMBERS,
 * then the sandbox) next to that refused call alone. A quick way to see what a change does to the
 * code path itself; `npm run bench` gives the figures that count. Default database: a fresh SQLite file in a temporary directory.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import pino from 'pino';
import { createAccount } from '../src/accounts/accounts.service.js';
import { findActivationStatus } from '../src/activations/activations.repository.js';
import { createApp, createContext } from '../src/app.js';
import { listPriceRows, upsertPriceRow } from '../src/catalog/catalog-admin.js';
import { routeProviderTypeAsOperator } from '../src/catalog/catalog-admin.service.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/database.js';
import { migrateToLatest } from '../src/db/migrate.js';
import { answerWireCall } from '../src/http/wire.js';
import type { WireReply } from '../src/http/wire-types.js';
import { setExchangeRateMicros } from '../src/pricing/pricing.repository.js';
import { insertUpstream } from '../src/providers/upstreams.repository.js';
import { handlerApiEndpoint } from '../src/sms/handler-api.wire.js';

const dir = mkdtempSync(join(tmpdir(), 'otpget-micro-'));
const url =
  process.argv[2] && process.argv[2] !== 'sqlite'
    ? `${process.argv[2]}${process.argv[2].includes('?') ? '&' : '?'}schema=micro_${process.pid}`
    : join(dir, 'otpget.db');
const purchases = Number(process.argv[3] ?? 3000);

// Every statement the pg driver sends is one round trip: counted to show what batching saves.
let statementsSent = 0;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  statementsSent++;
  return (query as (...a: unknown[]) => unknown).apply(this, args);
} as typeof query;

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
const statementsBefore = statementsSent;
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
if (database.dialect === 'postgres') {
  const perPurchase = (statementsSent - statementsBefore) / purchases;
  process.stdout.write(
    `${'  PostgreSQL round trips each'.padEnd(36)} ${perPurchase.toFixed(2).padStart(8)}\n`,
  );
}

// One failover hop: type 2 routes over an upstream on 127.0.0.1 that answers NO_NUMBERS, then the
// sandbox. Next to it, the refused call alone: the hop should cost little more than that call.
// Both purchases are timed twice, in turn, so a drift of the machine shows as such.
const refusing = createServer((_request, response) => response.end('NO_NUMBERS'));
await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
const refusingUrl = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
const now = ctx.clock.now();
const refusingId = await insertUpstream(
  ctx.db,
  {
    name: 'bench-refuses',
    kind: 'sms',
    protocol: 'sms-activate',
    baseUrl: refusingUrl,
    apiKey: 'k',
    currency: 'USD',
    timeoutMs: 2_000,
  },
  now,
);
await setExchangeRateMicros(ctx.db, 'USD', 280_000_000, now);
const [countryId, serviceId] = [Number(country), Number(service)];
const sandboxOffer = (await listPriceRows(ctx.db, { type: 1, countryId })).find(
  (r) => r.serviceId === serviceId,
);
if (!sandboxOffer) throw new Error('no sandbox offer to route over');
const stamp = { actor: { operatorId: null, name: 'bench' }, now };
await routeProviderTypeAsOperator(ctx.db, stamp, 2, [String(refusingId), 'sandbox-sms'], 'priority');
for (const [upstream, code, cost] of [
  [String(refusingId), 'tg', 500_000],
  ['sandbox-sms', sandboxOffer.upstreamService, sandboxOffer.costMicros],
] as const) {
  await upsertPriceRow(
    ctx.db,
    {
      type: 2,
      countryId,
      serviceId,
      upstream,
      upstreamCountry: sandboxOffer.upstreamCountry,
      upstreamService: code,
      costMicros: cost,
    },
    now,
  );
}
await routeProviderTypeAsOperator(ctx.db, stamp, 2, ['sandbox-sms'], 'priority');
await time('getNumber, the same without the hop', Math.min(purchases, 2000), () =>
  call({ ...buy, type: '2' }),
);
await routeProviderTypeAsOperator(ctx.db, stamp, 2, [String(refusingId), 'sandbox-sms'], 'priority');
const hopReply = String((await call({ ...buy, type: '2' })).body);
if (!hopReply.startsWith('ACCESS_NUMBER:')) throw new Error(`the failover purchase answered ${hopReply}`);
const refused = await ctx.providers.sms(refusingId);
const hops = Math.min(purchases, 2000);
await time('refused upstream call alone', hops, () =>
  refused.buyNumber({ country: '0', service: 'tg' }).catch(() => undefined),
);
await time('getNumber, one failover hop', hops, () => call({ ...buy, type: '2' }));
await routeProviderTypeAsOperator(ctx.db, stamp, 2, ['sandbox-sms'], 'priority');
await time('getNumber, without the hop, again', hops, () => call({ ...buy, type: '2' }));
await routeProviderTypeAsOperator(ctx.db, stamp, 2, [String(refusingId), 'sandbox-sms'], 'priority');
await time('getNumber, one failover hop, again', hops, () => call({ ...buy, type: '2' }));
refusing.close();

await database.close();
if (database.dialect === 'postgres') {
  const cleanup = openDatabase(process.argv[2] ?? '');
  await cleanup.db.schema.dropSchema(`micro_${process.pid}`).ifExists().cascade().execute();
  await cleanup.close();
}
rmSync(dir, { recursive: true, force: true });
