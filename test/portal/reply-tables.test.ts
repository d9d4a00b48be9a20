import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CHEAP_WORDS } from '../../src/cheap/cheap-replies.js';
import { type ApiDoc, apiCatalog, type ErrorDoc } from '../../src/docs/api-catalog.js';
import { buildOpenApi } from '../../src/docs/openapi.js';
import { BOUGHT_MESSAGE, EMAIL_COMMON, EMAIL_ERRORS } from '../../src/emails/email-replies.js';
import { IDEMPOTENCY_JSON, IDEMPOTENCY_WORDS } from '../../src/idempotency/idempotency-replies.js';
import { RENTAL_REPLIES, RENTAL_SUCCESS } from '../../src/rentals/rental-replies.js';
import { SMS_WORDS } from '../../src/sms/sms-replies.js';

/**
 * The other half of api-catalog.test.ts, without a server: every reply in the wire modules' own
 * tables is documented on its API's page, so a new word cannot reach the wire undocumented.
 */

function api(id: ApiDoc['id']): ApiDoc {
  const found = apiCatalog.find((a) => a.id === id);
  assert.ok(found, id);
  return found;
}

/** A documented error row (or, for success words, a documented reply) that says exactly this. */
function documents(row: ErrorDoc, message: string): boolean {
  if (row.pattern && new RegExp(row.pattern).test(message)) return true;
  return row.reply
    .split(' / ')
    .some((alt) => (alt.endsWith('…') ? message.startsWith(alt.slice(0, -1)) : alt === message));
}

function assertTextWordDocumented(doc: ApiDoc, word: string): void {
  const asError = Object.values(doc.errors).some((row) => documents(row, word));
  const asReply = doc.actions.some((a) => a.replies.some((r) => r.body === word));
  assert.ok(asError || asReply, `${doc.id}: "${word}" is sent but not documented`);
}

function assertJsonReplyDocumented(doc: ApiDoc, reply: { status: string; message: string }): void {
  const rows = Object.values(doc.errors).filter((row) => row.status === reply.status);
  assert.ok(
    rows.some((row) => documents(row, reply.message)),
    `${doc.id}: ${JSON.stringify(reply)} is sent but not documented`,
  );
}

describe('the wire modules’ reply tables are documented', () => {
  it('SMS OTP API: every word', () => {
    for (const word of Object.values(SMS_WORDS)) assertTextWordDocumented(api('sms'), word);
  });

  it('cheap numbers API: every word', () => {
    for (const word of Object.values(CHEAP_WORDS)) assertTextWordDocumented(api('cheap'), word);
  });

  it('rental API: every failure, with real values in the variable parts', () => {
    const r = RENTAL_REPLIES;
    const sent = [
      r.invalidKey,
      r.blocked,
      r.rateLimited,
      r.internal,
      r.badDuration,
      r.noPricing,
      r.noPricingForDuration,
      r.insufficientBalance,
      r.rentalNotFound,
      r.notActive,
      r.expired,
      r.database,
      r.unknownAction('getFoo'),
      r.missingParam('country_code'),
      r.badProvider([1, 2]),
      r.monthlyOnly('Server 2'),
      r.serverUnavailable('Server 1'),
      r.upstream('Server 2', 'the provider refused the request.', true),
      r.upstreamUnknown('Server 1'),
    ];
    for (const reply of sent) assertJsonReplyDocumented(api('rental'), reply);
  });

  it('temp email API: every failure', () => {
    for (const reply of [...Object.values(EMAIL_ERRORS), ...Object.values(EMAIL_COMMON)]) {
      assertJsonReplyDocumented(api('email'), reply);
    }
  });

  it('documents the idempotency refusals on every purchase action, with the words really sent', () => {
    for (const doc of apiCatalog) {
      const purchases = doc.actions.filter((a) => a.params.some((p) => p.name === 'idempotency_key'));
      assert.ok(purchases.length > 0, `${doc.id} has purchases`);
      for (const reason of ['different_params', 'invalid_key', 'in_progress'] as const) {
        const key =
          doc.format === 'text'
            ? IDEMPOTENCY_WORDS[reason]
            : Object.keys(doc.errors).find((k) => doc.errors[k]?.reply === IDEMPOTENCY_JSON[reason].message);
        assert.ok(key && doc.errors[key], `${doc.id}: ${reason} has a row`);
        if (doc.format === 'json') assert.equal(doc.errors[key]?.status, IDEMPOTENCY_JSON[reason].status);
        for (const action of purchases) {
          assert.ok(action.errors.includes(key), `${doc.id}.${action.name} lists ${key}`);
        }
      }
    }
    assert.equal(IDEMPOTENCY_WORDS.different_params, 'IDEMPOTENCY_CONFLICT');
    assert.equal(IDEMPOTENCY_JSON.invalid_key.status, '400');
  });

  it('/openapi.json carries the idempotency refusals as examples', () => {
    const text = JSON.stringify(buildOpenApi('http://example.test'));
    for (const word of Object.values(IDEMPOTENCY_WORDS)) assert.ok(text.includes(word), word);
    for (const { message } of Object.values(IDEMPOTENCY_JSON)) assert.ok(text.includes(message), message);
  });

  it('shows the email API’s real replies, not placeholders', () => {
    const email = api('email');
    for (const name of ['getEmailCode', 'cancelEmail', 'getEmailHistory']) {
      const action = email.actions.find((a) => a.name === name);
      assert.ok(action && action.replies.length > 0, name);
      for (const reply of action.replies) {
        const body = JSON.parse(reply.body) as { status?: unknown };
        assert.equal(typeof body.status, 'string', `${name}: ${reply.label}`);
        assert.doesNotMatch(reply.body, /…/, `${name}: ${reply.label} has no placeholder`);
      }
    }
  });

  it('the reference examples of the JSON purchases carry the messages the wire sends', () => {
    const message = (apiId: ApiDoc['id'], action: string) =>
      (
        JSON.parse(api(apiId).actions.find((a) => a.name === action)?.replies[0]?.body ?? '{}') as {
          message?: string;
        }
      ).message;
    assert.equal(message('rental', 'rentNumber'), RENTAL_SUCCESS.rented);
    assert.equal(message('rental', 'renewRental'), RENTAL_SUCCESS.renewed);
    assert.equal(message('email', 'buyEmail'), BOUGHT_MESSAGE);
  });
});
