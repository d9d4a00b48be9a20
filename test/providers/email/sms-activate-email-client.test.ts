import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SmsActivateEmailProvider } from '../../../src/providers/email/sms-activate-email-client.js';
import { UpstreamError, type UpstreamFailureKind } from '../../../src/providers/types.js';
import { type EmailFake, startFakeSmsActivateEmail } from '../../fakes/email-fakes.js';

const TOKEN = 'sa-Key+/=123';

describe('SmsActivateEmailProvider wire details', () => {
  let fake: EmailFake;
  let provider: SmsActivateEmailProvider;
  before(async () => {
    fake = await startFakeSmsActivateEmail({ token: TOKEN, currency: 840 });
    provider = new SmsActivateEmailProvider({ baseUrl: fake.url, token: TOKEN, timeoutMs: 5000 });
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

  it('uses the documented routes, the X-API-Key header and a JSON body; the key stays out of URLs', async () => {
    const { upstreamOrderId } = await provider.buyEmail({ domain: 'gmail.com', site: 'telegram.com' });
    await provider.getActivation(upstreamOrderId);
    await provider.cancel(upstreamOrderId);
    await provider.getDomains('telegram.com');
    const calls = fake.requests.slice(-4);
    assert.deepEqual(
      calls.map((request) => [request.method, request.path]),
      [
        ['POST', '/api/v2/emails'],
        ['GET', `/api/v2/emails/${upstreamOrderId}`],
        ['DELETE', `/api/v2/emails/${upstreamOrderId}`],
        ['GET', '/api/v2/emails/domains'],
      ],
    );
    assert.deepEqual(calls[0]?.body, { site: 'telegram.com', mailDomain: 'gmail.com' });
    assert.equal(calls[3]?.query.site, 'telegram.com');
    for (const request of calls) {
      assert.equal(request.headers['x-api-key'], TOKEN);
      assert.ok(!JSON.stringify(request.query).includes(TOKEN));
    }
  });

  it('maps error titles, falling back on the HTTP status for unknown ones', async () => {
    const cases: Array<[string, UpstreamFailureKind]> = [
      ['MISSING_API_KEY', 'bad_key'],
      ['BAD_API_KEY', 'bad_key'],
      ['BAD_BALANCE', 'no_balance'],
      ['NO_BALANCE', 'no_balance'],
      ['OUT_OF_STOCK', 'no_numbers'],
      ['NO_NUMBERS', 'no_numbers'],
      ['BLOCKED_SITE', 'bad_request'],
      ['MAIL_TYPE_ERROR', 'bad_request'],
      ['CHANNELS_LIMIT', 'unavailable'],
      ['VALIDATION_ERROR', 'bad_request'], // unknown 422 title → the upstream refused the parameters
      ['NOT_FOUND', 'unavailable'], // a 404 on a purchase means a wrong URL, not a missing order
    ];
    const mailboxesBefore = fake.mailboxes().length;
    for (const [title, kind] of cases) {
      fake.failNext('buy', title);
      await rejects(provider.buyEmail({ domain: 'gmail.com', site: 'x.com' }), kind);
    }
    fake.failNext('check', 'NOT_FOUND');
    await rejects(provider.getActivation('1'), 'not_found');
    assert.equal(fake.mailboxes().length, mailboxesBefore);
  });

  it('maps an empty key to bad_key and a validation error to bad_request', async () => {
    const withoutKey = new SmsActivateEmailProvider({ baseUrl: fake.url, token: '', timeoutMs: 5000 });
    await rejects(withoutKey.getDomains('x.com'), 'bad_key');
    fake.failNext('buy', {
      status: 422,
      body: JSON.stringify({ title: 'VALIDATION_ERROR', details: 'x', errors: { site: ['required'] } }),
    });
    await rejects(provider.buyEmail({ domain: 'gmail.com', site: '' }), 'bad_request');
  });

  it('falls back on 401, 402 and 409 without a title, and treats 429 as unavailable', async () => {
    const statuses: Array<[number, UpstreamFailureKind]> = [
      [401, 'bad_key'],
      [402, 'no_balance'],
      [409, 'bad_request'],
      [429, 'unavailable'],
    ];
    for (const [status, kind] of statuses) {
      fake.failNext('buy', { status, body: JSON.stringify({ message: 'no' }) });
      await rejects(provider.buyEmail({ domain: 'gmail.com', site: 'x.com' }), kind);
    }
  });

  it('treats a refusal to cancel as not cancelled, but auth and server errors as errors', async () => {
    const { upstreamOrderId } = await provider.buyEmail({ domain: 'gmail.com', site: 'x.com' });
    fake.failNext('cancel', 'ACTIVATION_ALREADY_USED');
    assert.equal(await provider.cancel(upstreamOrderId), false);
    fake.failNext('cancel', 'BAD_API_KEY');
    await rejects(provider.cancel(upstreamOrderId), 'bad_key');
    fake.failNext('cancel', 'http500');
    await rejects(provider.cancel(upstreamOrderId), 'unavailable');
    assert.equal(fake.mailbox(upstreamOrderId)?.status, 'waiting');
  });

  it('answers unavailable to an activation status it does not know', async () => {
    fake.failNext('check', {
      status: 200,
      body: JSON.stringify({
        data: { id: 5, status: 'CANCEL_AFTER_SUCCESS', cost: 1, currency: 643, date: '' },
      }),
    });
    await rejects(provider.getActivation('5'), 'unavailable');
  });

  it('reads the purchase cost exactly', async () => {
    fake.failNext('buy', {
      status: 201,
      body: '{"data":{"id":7,"email":"a@gmail.com","status":"WAIT","cost":0.3,"currency":840,"date":"x"}}',
    });
    const purchase = await provider.buyEmail({ domain: 'gmail.com', site: 'x.com' });
    assert.deepEqual(purchase, { upstreamOrderId: '7', email: 'a@gmail.com', costMicros: 300_000 });
  });
});
