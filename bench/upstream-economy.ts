/**
 * Upstream economy: what 10,000 live activations cost in upstream requests, and how soon a code
 * that appears upstream reaches the customer.
 *
 * A scripted SMS-Activate-protocol upstream (test/fakes/sms-activate-fake.ts, in this process on
 * 127.0.0.1) becomes the upstream of a provider type; customers buy N activations from it through
 * getNumber; then, with nothing else happening, the fake counts the requests the server makes over
 * several poll intervals (batched polling lists all live activations with one
 * getActiveActivations call per interval; per-order polling would make N). Last, SMS are
 * delivered upstream at random moments and each order is polled by its customer (getStatus every
 * few milliseconds) until STATUS_OK: the delay, against the target of one poll interval + 100 ms.
 * Then the same with upstream push on (the fake POSTs to our push URL as each SMS lands): the
 * delay, against 200 ms.
 */
import { startFakeSmsActivate } from '../test/fakes/sms-activate-fake.js';
import { configureFakeUpstream, enableFakeUpstreamPush } from './catalog-setup.js';
import type { BenchDatabase } from './databases.js';
import type { BenchOptions } from './options.js';
import type { ResultRow } from './report.js';
import { buyOrders, type LiveOrder, seedAccounts, smsPath } from './seed.js';
import { startOtpget } from './server-process.js';

const BALANCE_PAISA = 1_000_000_000;
/** The worker's interval: also the batched-poll interval (one list call per upstream per run). */
const POLL_INTERVAL_MS = 1000;
/** Customer-side polling of an order while timing a delivery (the delay's resolution). */
const CUSTOMER_POLL_MS = 10;
const SAMPLE_BATCH = 10;

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runUpstreamEconomy(
  database: BenchDatabase,
  options: BenchOptions,
): Promise<{ rows: ResultRow[]; details: Record<string, unknown> }> {
  const db = database.name;
  const n = options.economyOrders;
  const fake = await startFakeSmsActivate({ balance: '100000000' });
  const details: Record<string, unknown> = { activations: n };
  try {
    log(`${db} economy: seeding ${options.accounts} accounts, fake upstream at ${fake.url}`);
    const accounts = await seedAccounts(database.url, options.accounts, BALANCE_PAISA);
    const setup = await configureFakeUpstream(database.url, fake);
    if (setup.kind === 'pending') return { rows: pendingRows(db, setup.reason), details };
    fake.setPrice(setup.upstreamCountry, setup.upstreamService, '0.10');
    fake.setStock(setup.upstreamCountry, setup.upstreamService, n + 1000);

    const server = await startOtpget(database.url, {
      env: { ...options.serverEnv, OTPGET_WORKER_INTERVAL_MS: String(POLL_INTERVAL_MS) },
    });
    try {
      log(`${db} economy: buying ${n} activations from the fake upstream`);
      const started = performance.now();
      const bought = await buyOrders(server.url, accounts, setup.product, { amount: n }, 32);
      details.purchase = {
        seconds: (performance.now() - started) / 1000,
        replies: bought.load.replies,
        perSec: bought.load.requestsPerSec,
      };
      const orders = bought.orders;
      if (orders.length < n * 0.95) throw new Error(`only ${orders.length} of ${n} purchases succeeded`);

      // Let the first polls of fresh orders settle, then count over whole intervals.
      await sleep(2 * POLL_INTERVAL_MS);
      const intervals = options.quick ? 5 : 10;
      const from = fake.requests.length;
      await sleep(intervals * POLL_INTERVAL_MS);
      const window = fake.requests.slice(from);
      const byAction: Record<string, number> = {};
      for (const request of window) byAction[request.action] = (byAction[request.action] ?? 0) + 1;
      const perInterval = window.length / intervals;
      details.requests = { intervals, byAction, perInterval };

      log(`${db} economy: timing ${options.economySamples} deliveries`);
      const byPhone = new Map([...fake.activations.values()].map((a) => [a.phone, a.id]));
      const delays = await timeDeliveries(
        server.url,
        orders,
        byPhone,
        fake.deliverSms,
        options.economySamples,
      );
      const p99 = percentile(delays, 0.99);
      details.delays = {
        samples: delays.length,
        p50: percentile(delays, 0.5),
        p99,
        max: Math.max(...delays),
      };

      log(`${db} economy: timing ${options.economySamples} deliveries with upstream push`);
      fake.setPushUrl(await enableFakeUpstreamPush(database.url, server.url));
      // The server picks a new push token up within 2 s (its upstream rows are re-read that often).
      await sleep(2_500);
      const pushed = await timeDeliveries(
        server.url,
        orders.slice(1),
        byPhone,
        fake.deliverSms,
        options.economySamples,
      );
      fake.setPushUrl(null);
      const pushP99 = percentile(pushed, 0.99);
      details.pushDelays = {
        samples: pushed.length,
        pushesAccepted: fake.pushes,
        p50: percentile(pushed, 0.5),
        p99: pushP99,
        max: Math.max(...pushed),
      };
      return {
        rows: [
          {
            part: 'economy',
            database: db,
            metric: `upstream requests per poll interval (${orders.length} live)`,
            value: perInterval,
            unit: '',
            target: `<= 2 (per-order: ${orders.length})`,
            ok: perInterval <= 2,
            note: Object.entries(byAction)
              .map(([action, count]) => `${action} ${count}`)
              .join(', '),
          },
          {
            part: 'economy',
            database: db,
            metric: 'SMS upstream -> STATUS_OK p50',
            value: percentile(delays, 0.5),
            unit: 'ms',
            target: '-',
            ok: null,
          },
          {
            part: 'economy',
            database: db,
            metric: 'SMS upstream -> STATUS_OK p99',
            value: p99,
            unit: 'ms',
            target: `<= ${POLL_INTERVAL_MS + 100} ms`,
            ok: p99 <= POLL_INTERVAL_MS + 100,
            note: `${delays.length} deliveries at random moments, customer polls every ${CUSTOMER_POLL_MS} ms`,
          },
          {
            part: 'economy',
            database: db,
            metric: 'SMS upstream -> STATUS_OK p99, upstream push',
            value: pushP99,
            unit: 'ms',
            target: '< 200 ms',
            ok: pushP99 < 200,
            note: `${pushed.length} deliveries, each pushed to /webhooks/upstream (p50 ${Math.round(percentile(pushed, 0.5))} ms); polling as above`,
          },
        ],
        details,
      };
    } finally {
      await server.stop();
      if (server.stderr.length > 0) details.serverStderr = server.stderr.slice(-20);
    }
  } finally {
    await fake.close();
  }
}

function pendingRows(db: string, reason: string): ResultRow[] {
  return ['upstream requests per poll interval', 'SMS upstream -> STATUS_OK p99'].map((metric) => ({
    part: 'economy' as const,
    database: db,
    metric,
    value: null,
    unit: '',
    target: '-',
    ok: null,
    note: `pending: ${reason}`,
  }));
}

/**
 * Delivers an SMS upstream for `samples` orders (in batches, each at a random moment of a poll
 * interval) and polls each order as its customer would until STATUS_OK; returns the delays in ms.
 */
async function timeDeliveries(
  url: string,
  orders: LiveOrder[],
  upstreamIdByPhone: Map<string, string>,
  deliver: (upstreamId: string, text: string) => void,
  samples: number,
): Promise<number[]> {
  const delays: number[] = [];
  const chosen = orders.filter((_, i) => i % Math.max(1, Math.floor(orders.length / samples)) === 0);
  for (let start = 0; start < samples && start < chosen.length; start += SAMPLE_BATCH) {
    const batch = chosen.slice(start, Math.min(start + SAMPLE_BATCH, samples));
    const results = await Promise.all(
      batch.map(async (order, i) => {
        await sleep(Math.random() * POLL_INTERVAL_MS);
        const upstreamId = upstreamIdByPhone.get(order.phone);
        if (!upstreamId) throw new Error(`no upstream activation for phone ${order.phone}`);
        const code = String(100000 + start + i);
        const sentAt = performance.now();
        deliver(upstreamId, `Your verification code is ${code}`);
        const path = smsPath(order.apiKey, { action: 'getStatus', id: order.id });
        for (;;) {
          const reply = await (await fetch(`${url}${path}`)).text();
          if (reply.startsWith('STATUS_OK:')) return performance.now() - sentAt;
          if (performance.now() - sentAt > 30_000) throw new Error(`no STATUS_OK after 30 s: ${reply}`);
          await sleep(CUSTOMER_POLL_MS);
        }
      }),
    );
    delays.push(...results);
  }
  return delays;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? Number.NaN;
}
