import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  assertLedgerClean,
  assertShape,
  balanceOf,
  deliver,
  EMAIL,
  type Json,
  orderLedger,
  poll,
} from './email-test-support.js';

const TTL_MS = 1_200_000;
const HEAD = { status: 'string', message: 'string', email_id: 'string', email: 'string', server: 'number' };
const MESSAGE_SHAPE = {
  code: 'string',
  link: 'string',
  from: 'string',
  text: 'string',
  received_at: 'string',
};

describeEachDatabase('temp email API: codes, cancel, expiry', (kind) => {
  let server: TestServer;
  let apiKey: string;
  let accountId: number;
  const call = (params: Record<string, string>, key = apiKey) =>
    server.getJson<Json>(EMAIL, { api_key: key, ...params });
  const buy = async (params: Record<string, string> = { service_id: 'ig' }) => {
    const reply = await call({ action: 'buyEmail', ...params });
    assert.equal(reply.status, '200', JSON.stringify(reply));
    return reply.email_id as string;
  };

  before(async () => {
    server = await startTestServer(kind);
    ({ apiKey, id: accountId } = await server.newAccount(1_000_000));
  });
  after(() => server.close());

  it('answers 202 while waiting, then 200 with the code once the worker fetched the letter', async () => {
    const id = await buy();
    const waiting = await call({ action: 'getEmailCode', email_id: id });
    assertShape(waiting, { ...HEAD, expires_in: 'number' });
    assert.deepEqual(
      [waiting.status, waiting.message, waiting.email_id, waiting.server],
      ['202', 'Waiting for code...', id, 1],
    );
    assert.equal(waiting.expires_in, 1200);
    await deliver(
      server,
      id,
      'Your Instagram confirmation code is 482913. Do not share it.',
      'security@mail.instagram.com',
    );
    // Customers' polls read our database only: nothing shows before the worker ran.
    assert.equal((await call({ action: 'getEmailCode', email_id: id })).status, '202');
    await poll(server);
    const got = await call({ action: 'getEmailCode', email_id: id, server: '1' });
    assertShape(got, { ...HEAD, code: 'string', messages: 'array' });
    assert.deepEqual([got.status, got.message, got.code], ['200', 'Code received', '482913']);
    const [message] = got.messages as Json[];
    assertShape(message, MESSAGE_SHAPE, 'message');
    assert.equal(message.code, '482913');
    assert.equal(message.from, 'security@mail.instagram.com');
    assert.equal(message.link, '');
    assert.match(message.received_at as string, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.deepEqual(await orderLedger(server, id), [['order_debit', -12_000]]);
  });

  it('reads the code out of an HTML letter and gives the link when a letter has no code', async () => {
    const html = await buy({ server: '2', domain: 'gmail.com', site: 'telegram.org' });
    await deliver(
      server,
      html,
      '<html><body style="color:#333333;font-size:16px"><p>Your login code:</p><td style="padding:24px">739 105</td></body></html>',
    );
    const link = await buy({ service_id: 'dr' });
    await deliver(
      server,
      link,
      'Welcome! Please confirm your email address: https://auth.openai.com/verify?token=abc123 (link valid 24 hours)',
    );
    await poll(server);
    const first = await call({ action: 'getEmailCode', email_id: html });
    assert.equal(first.code, '739105');
    assert.equal((first.messages as Json[])[0]?.text, 'Your login code:\n739 105');
    const second = await call({ action: 'getEmailCode', email_id: link });
    assert.equal(second.status, '200');
    assert.equal(second.code, '');
    assert.equal((second.messages as Json[])[0]?.link, 'https://auth.openai.com/verify?token=abc123');
  });

  it('cancels a waiting email with a full refund, then answers 300', async () => {
    const before = await balanceOf(server, accountId);
    const id = await buy();
    const reply = await call({ action: 'cancelEmail', email_id: id });
    assertShape(reply, { ...HEAD, refunded: 'number', balance: 'number' });
    assert.deepEqual(
      [reply.status, reply.message, reply.refunded, reply.balance],
      ['200', 'Email activation cancelled. 120.00 PKR refunded', 120, before / 100],
    );
    assert.equal(await balanceOf(server, accountId), before);
    assert.deepEqual(await orderLedger(server, id), [
      ['order_debit', -12_000],
      ['order_refund', 12_000],
    ]);
    const code = await call({ action: 'getEmailCode', email_id: id });
    assertShape(code, HEAD);
    assert.deepEqual([code.status, code.message], ['300', 'Email activation cancelled']);
    const again = await call({ action: 'cancelEmail', email_id: id });
    assert.deepEqual([again.status, again.message], ['300', 'Email activation already cancelled']);
    await poll(server);
    assert.equal(await balanceOf(server, accountId), before);
  });

  it('returns the code instead of cancelling once one arrived, and completes the order', async () => {
    const before = await balanceOf(server, accountId);
    const id = await buy({ service_id: 'tg' });
    await deliver(server, id, 'Telegram code: 71825. Do not give this code to anyone.');
    await poll(server);
    const reply = await call({ action: 'cancelEmail', email_id: id });
    assertShape(reply, { ...HEAD, code: 'string', messages: 'array' });
    assert.deepEqual(
      [reply.status, reply.message, reply.code],
      ['200', 'Code already received. Email activation completed', '71825'],
    );
    const again = await call({ action: 'cancelEmail', email_id: id });
    assert.deepEqual(
      [again.status, again.message, again.code],
      ['200', 'Email activation already completed', '71825'],
    );
    const code = await call({ action: 'getEmailCode', email_id: id });
    assert.deepEqual([code.status, code.code], ['200', '71825']);
    assert.equal(await balanceOf(server, accountId), before - 9_500);
  });

  it('looks upstream before cancelling, so a letter the worker has not fetched yet is returned', async () => {
    const id = await buy();
    await deliver(server, id, 'Instagram code 118 442');
    const reply = await call({ action: 'cancelEmail', email_id: id });
    assert.deepEqual([reply.status, reply.code], ['200', '118442']);
    assert.deepEqual(await orderLedger(server, id), [['order_debit', -12_000]]);
  });

  it('expires an email with no letter after its lifetime and refunds it once', async () => {
    const before = await balanceOf(server, accountId);
    const id = await buy();
    server.clock.advance(TTL_MS - 10_000);
    await server.runJobs();
    assert.equal((await call({ action: 'getEmailCode', email_id: id })).status, '202');
    server.clock.advance(10_000);
    await server.runJobs();
    const code = await call({ action: 'getEmailCode', email_id: id });
    assert.deepEqual(
      [code.status, code.message],
      ['300', 'Email activation expired without a code and was refunded'],
    );
    for (let i = 0; i < 3; i++) await poll(server);
    assert.equal(await balanceOf(server, accountId), before);
    assert.deepEqual(await orderLedger(server, id), [
      ['order_debit', -12_000],
      ['order_refund', 12_000],
    ]);
    assert.deepEqual([(await call({ action: 'cancelEmail', email_id: id })).status], ['300']);
  });

  it('completes a received email at the end of its lifetime and keeps showing the code', async () => {
    const id = await buy();
    await deliver(server, id, 'Your code is 550 112');
    await poll(server);
    server.clock.advance(TTL_MS);
    await server.runJobs();
    const row = await server.ctx.db
      .selectFrom('email_orders')
      .select('state')
      .where('id', '=', Number(id))
      .executeTakeFirstOrThrow();
    assert.equal(row.state, 'completed');
    assert.deepEqual([(await call({ action: 'getEmailCode', email_id: id })).code], ['550112']);
  });

  it('asks the sandbox only about mailboxes with news', async () => {
    const quiet = await buy({ server: '2', domain: 'mail.com' });
    const busy = await buy({ server: '2', domain: 'mail.com' });
    const nextCheck = async (id: string) =>
      (
        await server.ctx.db
          .selectFrom('email_orders')
          .select('next_check_at')
          .where('id', '=', Number(id))
          .executeTakeFirstOrThrow()
      ).next_check_at;
    const before = await nextCheck(quiet);
    await deliver(server, busy, 'Your code is 330 214');
    await poll(server);
    await poll(server);
    assert.equal((await call({ action: 'getEmailCode', email_id: busy })).code, '330214');
    // Never claimed: its schedule is untouched, and it still waits.
    assert.equal(await nextCheck(quiet), before);
    assert.equal((await call({ action: 'getEmailCode', email_id: quiet })).status, '202');
  });

  it("answers 404 for an unknown id and for another customer's email, and never touches it", async () => {
    const id = await buy();
    const { apiKey: other } = await server.newAccount(100_000);
    for (const action of ['getEmailCode', 'cancelEmail']) {
      for (const emailId of [id, '999999', 'abc', '-1', '1e3']) {
        assert.deepEqual(await call({ action, email_id: emailId }, other), {
          status: '404',
          message: 'Email activation not found',
        });
      }
    }
    assert.equal((await call({ action: 'getEmailCode', email_id: id })).status, '202');
  });

  it('keeps the ledger consistent', async () => {
    await assertLedgerClean(server);
  });
});

describeEachDatabase('temp email API: history and pagination', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind);
  });
  after(() => server.close());

  const HISTORY_ITEM = {
    email_id: 'string',
    email_address: 'string',
    server: 'number',
    service_code: 'string',
    service: 'string',
    domain: 'string',
    site: 'string',
    price: 'number',
    status: 'string',
    code: 'string',
    created_at: 'string',
    expires_at: 'string',
  };
  const PAGE_SHAPE = {
    status: 'string',
    page: 'number',
    per_page: 'number',
    total: 'number',
    total_pages: 'number',
    count: 'number',
    history: 'array',
  };

  it('gives an empty first page to a new customer', async () => {
    const { apiKey } = await server.newAccount(0);
    const reply = await server.getJson(EMAIL, { api_key: apiKey, action: 'getEmailHistory', page: '1' });
    assertShape(reply, PAGE_SHAPE);
    assert.deepEqual(reply, {
      status: '200',
      page: 1,
      per_page: 20,
      total: 0,
      total_pages: 0,
      count: 0,
      history: [],
    });
  });

  it('pages 20 at a time, newest first, across both servers, with an empty page past the end', async () => {
    const { apiKey } = await server.newAccount(1_000_000);
    const ids: string[] = [];
    for (let i = 0; i < 25; i++) {
      const params: Record<string, string> =
        i % 5 === 0 ? { server: '2', domain: 'mail.com' } : { service_id: 'tg' };
      const reply = await server.getJson<Json>(EMAIL, { api_key: apiKey, action: 'buyEmail', ...params });
      ids.push(reply.email_id as string);
      server.clock.advance(1_000);
    }
    await server.getJson(EMAIL, { api_key: apiKey, action: 'cancelEmail', email_id: ids[24] as string });
    const page = (n: string) =>
      server.getJson<Json>(EMAIL, { api_key: apiKey, action: 'getEmailHistory', page: n });

    const first = await page('1');
    assertShape(first, PAGE_SHAPE);
    assert.deepEqual(
      [first.page, first.per_page, first.total, first.total_pages, first.count],
      [1, 20, 25, 2, 20],
    );
    const items = first.history as Json[];
    for (const item of items) assertShape(item, HISTORY_ITEM, 'history item');
    assert.deepEqual(
      items.map((h) => h.email_id),
      ids.slice(5).reverse(),
    );
    assert.deepEqual(items[0], {
      email_id: ids[24],
      email_address: items[0]?.email_address,
      server: 1,
      service_code: 'tg',
      service: 'Telegram',
      domain: 'gmail.com',
      site: 'telegram.org',
      price: 95,
      status: 'cancelled',
      code: '',
      created_at: '2026-01-01 00:00:24',
      expires_at: '2026-01-01 00:20:24',
    });
    assert.match(items[0]?.email_address as string, /@gmail\.com$/);
    assert.equal(items[4]?.server, 2);
    assert.equal(items[4]?.status, 'waiting');

    const last = await page('2');
    assert.deepEqual([last.page, last.count, last.total_pages], [2, 5, 2]);
    assert.deepEqual(
      (last.history as Json[]).map((h) => h.email_id),
      ids.slice(0, 5).reverse(),
    );
    const past = await page('3');
    assert.deepEqual([past.status, past.page, past.count, past.total, past.history], ['200', 3, 0, 25, []]);
    const huge = await page('999999999999999');
    assert.deepEqual([huge.status, huge.count], ['200', 0]);
    // A missing or unreadable page is the first page, as PHP panels read it.
    for (const value of ['', '0', '-2', 'abc']) assert.equal((await page(value)).page, 1);
    const missing = await server.getJson<Json>(EMAIL, { api_key: apiKey, action: 'getEmailHistory' });
    assert.equal(missing.count, 20);
  });

  it("shows only the caller's own emails", async () => {
    const { apiKey: a } = await server.newAccount(100_000);
    const { apiKey: b } = await server.newAccount(100_000);
    await server.getJson(EMAIL, { api_key: a, action: 'buyEmail', server: '2', domain: 'gmx.com' });
    const theirs = await server.getJson<Json>(EMAIL, { api_key: b, action: 'getEmailHistory' });
    assert.equal(theirs.total, 0);
    const mine = await server.getJson<Json>(EMAIL, { api_key: a, action: 'getEmailHistory' });
    assert.equal(mine.total, 1);
  });
});
