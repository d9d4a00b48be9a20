import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { KopeechkaEmailProvider } from '../../../src/providers/email/kopeechka-client.js';
import { UpstreamError, type UpstreamFailureKind } from '../../../src/providers/types.js';
import { type EmailFake, startFakeKopeechka } from '../../fakes/email-fakes.js';

const TOKEN = 'kopeechka-Token+/=';

describe('KopeechkaEmailProvider wire details', () => {
  let fake: EmailFake;
  let provider: KopeechkaEmailProvider;
  before(async () => {
    fake = await startFakeKopeechka({ token: TOKEN });
    provider = new KopeechkaEmailProvider({ baseUrl: `${fake.url}/`, token: TOKEN, timeoutMs: 5000 });
  });
  after(() => fake.close());

  async function rejects(promise: Promise<unknown>, kind: UpstreamFailureKind): Promise<void> {
    await assert.rejects(promise, (error) => {
      assert.ok(error instanceof UpstreamError);
      assert.equal(error.kind, kind, error.raw);
      assert.ok(!error.message.includes(TOKEN));
      return true;
    });
  }

  it('sends the documented query parameters', async () => {
    const { upstreamOrderId } = await provider.buyEmail({ domain: 'outlook.com', site: 'telegram.org' });
    await provider.getActivation(upstreamOrderId);
    await provider.cancel(upstreamOrderId);
    await provider.getDomains('telegram.org');
    const [buy, check, cancel, zones] = fake.requests.slice(-4);
    assert.equal(buy?.path, '/mailbox-get-email');
    assert.deepEqual(buy?.query, {
      token: TOKEN,
      type: 'JSON',
      api: '2.0',
      site: 'telegram.org',
      mail_type: 'outlook.com',
    });
    assert.equal(check?.path, '/mailbox-get-message');
    assert.equal(check?.query.id, upstreamOrderId);
    assert.equal(check?.query.full, '1');
    assert.equal(cancel?.path, '/mailbox-cancel');
    assert.equal(cancel?.query.id, upstreamOrderId);
    assert.equal(zones?.path, '/mailbox-zones');
    assert.equal(zones?.query.popular, '1');
    assert.equal(zones?.query.site, 'telegram.org');
  });

  it('maps the documented error values', async () => {
    const cases: Array<[string, UpstreamFailureKind]> = [
      ['BAD_TOKEN', 'bad_key'],
      ['BAD_BALANCE', 'no_balance'],
      ['OUT_OF_STOCK', 'no_numbers'],
      ['BAD_SITE', 'bad_request'],
      ['BAD_DOMAIN', 'bad_request'],
      ['BAD_EMAIL', 'bad_request'],
      ['TIME_LIMIT_EXCEED', 'unavailable'],
      ['SYSTEM_ERROR', 'unavailable'],
      ['SOMETHING_NEW', 'unavailable'],
    ];
    for (const [value, kind] of cases) {
      fake.failNext('buy', value);
      await rejects(provider.buyEmail({ domain: 'gmail.com', site: 'x.com' }), kind);
    }
    for (const value of ['NO_ACTIVATION', 'ACTIVATION_NOT_FOUND', 'Activation not found']) {
      fake.failNext('check', value);
      await rejects(provider.getActivation('1'), 'not_found');
    }
    fake.failNext('domains', 'BAD_TOKEN');
    await rejects(provider.getDomains('x.com'), 'bad_key');
  });

  it('treats an unknown refusal to cancel as not cancelled, but infrastructure errors as errors', async () => {
    const { upstreamOrderId } = await provider.buyEmail({ domain: 'gmail.com', site: 'x.com' });
    fake.failNext('cancel', 'SOME_REFUSAL');
    assert.equal(await provider.cancel(upstreamOrderId), false);
    fake.failNext('cancel', 'SYSTEM_ERROR');
    await rejects(provider.cancel(upstreamOrderId), 'unavailable');
    fake.failNext('cancel', 'TIME_LIMIT_EXCEED');
    await rejects(provider.cancel(upstreamOrderId), 'unavailable');
    assert.equal(fake.mailbox(upstreamOrderId)?.status, 'waiting');
  });

  it('keeps a long task id exactly', async () => {
    fake.failNext('buy', {
      status: 200,
      body: '{"status":"OK","id":90071992547409931,"mail":"a@gmail.com"}',
    });
    const purchase = await provider.buyEmail({ domain: 'gmail.com', site: 'x.com' });
    assert.equal(purchase.upstreamOrderId, '90071992547409931');
  });

  it('calls an OK purchase without an id unknown_outcome: a mailbox may be paid for', async () => {
    fake.failNext('buy', { status: 200, body: '{"status":"OK"}' });
    await rejects(provider.buyEmail({ domain: 'gmail.com', site: 'x.com' }), 'unknown_outcome');
  });

  it('skips malformed price entries and keeps the good ones', async () => {
    fake.failNext('domains', {
      status: 200,
      body:
        '{"status":"OK","popular":[{"name":"gmail.com","cost":"abc","count":1},{"name":"x.com","cost":-1,"count":2},' +
        '{"name":"y.com","cost":1e-3,"count":2},{"cost":1,"count":2},{"name":"ok.com","cost":0.25,"count":"7"}]}',
    });
    // 1e-3 is a JSON number like any other (0.001), so y.com is kept; a negative cost is no price.
    assert.deepEqual(await provider.getDomains('x.com'), [
      { domain: 'y.com', costMicros: 1_000, stock: 2 },
      { domain: 'ok.com', costMicros: 250_000, stock: 7 },
    ]);
  });

  it('answers unavailable to a JSON reply without a status', async () => {
    fake.failNext('check', { status: 200, body: '{"hello":"world"}' });
    await rejects(provider.getActivation('1'), 'unavailable');
  });
});
