import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { recordWebhookDelivery } from '../../src/metrics/counters.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { deliverToSandbox, smsClient, tick } from '../sms/sms-helpers.js';

interface Family {
  name: string;
  type: string;
  metrics: Array<{ labels?: Record<string, string>; value?: string }>;
}

const TOKEN = 'metrics-secret-token';

/**
 * Counters and gauges through parse-prometheus-text-format. Its histogram support drops labels and
 * _count, so histogram counts are read from their `_count` sample lines directly.
 */
async function scrape(server: TestServer): Promise<Map<string, Family>> {
  const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
  const text = await response.text();
  const families = new Map((parsePrometheusTextFormat(text) as Family[]).map((f) => [f.name, f]));
  for (const line of text.split('\n')) {
    const sample = /^(\w+)_count\{(.*)\} (\d+)$/.exec(line);
    if (!sample || families.get(sample[1] as string)?.type !== 'HISTOGRAM') continue;
    const name = `${sample[1]}_count`;
    const labels = Object.fromEntries(
      [...(sample[2] as string).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]),
    );
    const family = families.get(name) ?? { name, type: 'COUNTER', metrics: [] };
    family.metrics.push({ labels: labels as Record<string, string>, value: sample[3] as string });
    families.set(name, family);
  }
  return families;
}

/** The value of a counter/gauge sample with exactly these labels (0 when absent). */
function sampleValue(families: Map<string, Family>, name: string, labels: Record<string, string>): number {
  const family = families.get(name);
  const sample = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return Number(sample?.value ?? 0);
}

describeEachDatabase('/metrics', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind, { env: { OTPGET_METRICS_TOKEN: TOKEN } });
  });
  after(() => server.close());

  it('refuses a scrape without the bearer token, or with a wrong one', async () => {
    assert.equal((await fetch(`${server.url}/metrics`)).status, 401);
    const wrong = await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 401);
  });

  it('counts requests and latency by endpoint and action, orders by state, upstream calls and code delivery', async () => {
    const before = await scrape(server);
    const sms = { endpoint: '/stubs/handler_api.php', action: 'getStatus' };
    const { apiKey } = await server.newAccount(100_000);
    const client = smsClient(server, apiKey);
    const { id } = await client.buy();
    for (let i = 0; i < 3; i++) assert.equal(await client.status(id), 'STATUS_WAIT_CODE');
    await client.call('noSuchAction');
    await server.get('/stubs/rental-handler.php', { api_key: apiKey, action: 'getMyRentals' });
    server.clock.advance(30_000);
    await deliverToSandbox(server, id, 'Your Telegram code 12345');
    await tick(server);
    assert.equal(await client.status(id), 'STATUS_OK:12345');

    const now = await scrape(server);
    const moved = (name: string, labels: Record<string, string>) =>
      sampleValue(now, name, labels) - sampleValue(before, name, labels);
    assert.equal(moved('otpget_requests_total', sms), 4);
    assert.equal(moved('otpget_requests_total', { ...sms, action: 'getNumber' }), 1);
    assert.equal(moved('otpget_requests_total', { ...sms, action: 'other' }), 1);
    assert.equal(
      moved('otpget_requests_total', { endpoint: '/stubs/rental-handler.php', action: 'getMyRentals' }),
      1,
    );
    assert.equal(now.get('otpget_request_duration_seconds')?.type, 'HISTOGRAM');
    assert.equal(moved('otpget_request_duration_seconds_count', sms), 4, 'latency observed per request');
    assert.ok(moved('otpget_upstream_calls_total', { kind: 'sms', method: 'buyNumber' }) >= 1);
    assert.ok(sampleValue(now, 'otpget_orders', { line: 'sms', state: 'code_received' }) >= 1);
    assert.ok(moved('otpget_code_delivery_seconds_count', { line: 'sms' }) >= 1, 'code delivery observed');
  });

  it('exposes webhook delivery outcomes recorded by the webhook worker', async () => {
    const before = await scrape(server);
    recordWebhookDelivery('failed');
    recordWebhookDelivery('delivered');
    const now = await scrape(server);
    const moved = (outcome: string) =>
      sampleValue(now, 'otpget_webhook_deliveries_total', { outcome }) -
      sampleValue(before, 'otpget_webhook_deliveries_total', { outcome });
    assert.equal(moved('failed'), 1);
    assert.equal(moved('delivered'), 1);
  });
});

describeEachDatabase('/metrics without a token configured', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind);
  });
  after(() => server.close());

  it('is not served at all: 404 with or without an Authorization header, no metric names in the body', async () => {
    const variants: Array<Record<string, string>> = [
      {},
      { authorization: `Bearer ${TOKEN}` },
      { authorization: 'Bearer ' },
    ];
    for (const headers of variants) {
      const response = await fetch(`${server.url}/metrics`, { headers });
      assert.equal(response.status, 404);
      assert.doesNotMatch(await response.text(), /otpget_/);
    }
  });
});
