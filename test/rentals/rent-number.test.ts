import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { reconcileDelayMs } from '../../src/orders/reconcile.js';
import { deliverSandboxMessage } from '../../src/providers/sandbox/deliver.js';
import { UpstreamError } from '../../src/providers/types.js';
import { upstreamOrderResolvers } from '../../src/sandbox-order-resolvers.js';
import { formatDateTime, formatIsoSeconds } from '../../src/shared/clock.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import {
  assertError,
  assertFields,
  assertLedgerClean,
  balanceOf,
  breakWrites,
  call,
  HOUR,
  rent,
  rentalRow,
  SHAPES,
  scriptedSandboxFactories,
} from './rental-helpers.js';

describeEachDatabase('Rental API: rentNumber, getMyRentals, getRentalSMS', (kind) => {
  let server: TestServer;
  const scripted = scriptedSandboxFactories();
  before(async () => {
    server = await startTestServer(kind, { factories: scripted.factories });
  });
  after(() => server.close());

  const ledgerOf = (accountId: number) =>
    server.ctx.db
      .selectFrom('ledger_entries')
      .select(['amount', 'kind', 'reference'])
      .where('account_id', '=', accountId)
      .where('kind', '!=', 'topup')
      .orderBy('id')
      .execute();

  it('rents a number: every field typed as the reference shows, debit once, listed in getMyRentals', async () => {
    const { id, apiKey } = await server.newAccount(506_000);
    const now = server.clock.now();
    const reply = await rent(server, apiKey);
    assertFields(reply, SHAPES.rented, 'rentNumber');
    assert.equal(reply.message, 'Number rented successfully');
    assert.match(reply.phone as string, /^\d{6,15}$/);
    assert.match(reply.order_id as string, /^[1-9]\d{18}$/);
    assert.equal(reply.duration_hours, 720);
    assert.equal(reply.price_paid, '840.00');
    assert.equal(reply.new_balance, '4220.00', 'the reference example: 5060.00 - 840.00');
    assert.equal(reply.expires, formatDateTime(now + 720 * HOUR));
    assert.match(reply.expires as string, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    assert.equal(await balanceOf(server, id), 422_000);

    const row = await rentalRow(server, reply.order_id as string);
    assert.equal(row.state, 'active');
    assert.deepEqual(await ledgerOf(id), [
      { amount: -84_000, kind: 'order_debit', reference: `rental:${row.id}` },
    ]);

    const mine = await call(server, { api_key: apiKey, action: 'getMyRentals' });
    assertFields(mine, SHAPES.myRentals, 'getMyRentals');
    assert.equal(mine.total, 1);
    const [listed] = mine.rentals as unknown[];
    assertFields(listed, SHAPES.rental, 'rental');
    assert.deepEqual(listed, {
      id: String(row.id),
      server: 'Server 2',
      phone_number: reply.phone,
      order_id: reply.order_id,
      status: 'active',
      country_code: 'ca',
      expiry_time: reply.expires,
    });
    await assertLedgerClean(server.ctx);
  });

  it('gives each rental its own unguessable 19-digit order id and lists the newest first', async () => {
    const { apiKey } = await server.newAccount(1_000_000);
    const first = await rent(server, apiKey, { country_code: 'gb', provider: '1', duration_hours: '12' });
    const second = await rent(server, apiKey, { country_code: 'us', provider: '1', duration_hours: '168' });
    assert.notEqual(first.order_id, second.order_id);
    assert.equal(first.price_paid, '80.00');
    assert.equal(second.duration_hours, 168);
    const mine = await call(server, { api_key: apiKey, action: 'getMyRentals' });
    assert.equal(mine.total, 2);
    const rentals = mine.rentals as Array<{ order_id: string; server: string; id: string }>;
    assert.deepEqual(
      rentals.map((r) => [r.order_id, r.server]),
      [
        [second.order_id, 'Server 1'],
        [first.order_id, 'Server 1'],
      ],
    );
    assert.ok(Number(rentals[0]?.id) > Number(rentals[1]?.id));
    const { apiKey: other } = await server.newAccount(0);
    const empty = await call(server, { api_key: other, action: 'getMyRentals' });
    assert.deepEqual(empty, { status: '200', total: 0, rentals: [] });
  });

  it('serves SMS from our database, once each, in order, with the code extracted', async () => {
    const { apiKey } = await server.newAccount(100_000);
    const rented = await rent(server, apiKey);
    const orderId = rented.order_id as string;
    const empty = await call(server, { api_key: apiKey, action: 'getRentalSMS', order_id: orderId });
    assertFields(empty, SHAPES.inbox, 'getRentalSMS');
    assert.deepEqual(empty, { status: '200', phone_number: rented.phone, total: 0, messages: [] });

    const texts = [
      'Your WhatsApp code 740-279',
      'Telegram code: 55123. Do not give it to anyone',
      'Welcome to the service',
    ];
    for (const [index, text] of texts.entries()) {
      server.clock.advance(61_000);
      await deliverSandboxMessage(server.ctx.db, upstreamOrderResolvers, {
        orderId,
        text,
        ...(index === 0 ? { sender: 'WhatsApp' } : {}),
        now: server.clock.now(),
      });
      await server.runJobs();
      await server.runJobs();
    }
    const inbox = await call(server, { api_key: apiKey, action: 'getRentalSMS', order_id: orderId });
    assert.equal(inbox.total, 3);
    const messages = inbox.messages as unknown[];
    for (const m of messages) assertFields(m, SHAPES.message, 'message');
    assert.deepEqual(
      messages.map((m) => (m as { text: string }).text),
      texts,
    );
    assert.deepEqual(messages[0], {
      from: 'WhatsApp',
      text: 'Your WhatsApp code 740-279',
      code: '740279',
      timestamp: formatIsoSeconds(server.clock.now() - 2 * 61_000),
    });
    assert.equal((messages[1] as { code: string }).code, '55123');
    assert.equal((messages[2] as { code: string }).code, '', 'no code in the text: an empty string');
    assert.equal((messages[1] as { from: string }).from, 'Sandbox');
    assert.match((messages[0] as { timestamp: string }).timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    const stored = await server.ctx.db
      .selectFrom('rental_messages')
      .select('id')
      .where('rental_id', '=', (await rentalRow(server, orderId)).id)
      .execute();
    assert.equal(stored.length, 3, 'each message stored once however often the job ran');
  });

  it('keeps a customer out of other customers’ rentals', async () => {
    const { apiKey: owner } = await server.newAccount(100_000);
    const { apiKey: stranger } = await server.newAccount(100_000);
    const rented = await rent(server, owner);
    for (const orderId of [rented.order_id as string, '1234567890123456789', 'abc', `${rented.order_id}0`]) {
      assertError(
        await call(server, { api_key: stranger, action: 'getRentalSMS', order_id: orderId }),
        '404',
        'Rental not found or does not belong to you.',
      );
    }
    const row = await rentalRow(server, rented.order_id as string);
    assertError(
      await call(server, {
        api_key: stranger,
        action: 'renewRental',
        rental_id: String(row.id),
        duration_hours: '720',
      }),
      '404',
      'Rental not found or does not belong to you.',
    );
    assert.equal((await call(server, { api_key: stranger, action: 'getMyRentals' })).total, 0);
  });

  it('refuses with 402 when the balance is short, charging nothing', async () => {
    const { id, apiKey } = await server.newAccount(83_999);
    assertError(
      await call(server, {
        api_key: apiKey,
        action: 'rentNumber',
        country_code: 'ca',
        provider: '2',
        duration_hours: '720',
      }),
      '402',
      'Insufficient balance.',
    );
    assert.equal(await balanceOf(server, id), 83_999);
    assert.deepEqual(await ledgerOf(id), []);
    assert.equal((await call(server, { api_key: apiKey, action: 'getMyRentals' })).total, 0);
  });

  it('refuses bad durations: Server 2 monthly only, unknown durations, durations without a tier', async () => {
    const { id, apiKey } = await server.newAccount(10_000_000);
    const rentWith = (params: Record<string, string>) =>
      call(server, { api_key: apiKey, action: 'rentNumber', ...params });
    for (const hours of ['12', '24', '168']) {
      assertError(
        await rentWith({ country_code: 'ca', provider: '2', duration_hours: hours }),
        '400',
        'Server 2 only supports monthly durations (720, 4320 or 8640 hours).',
      );
    }
    for (const hours of ['100', '0', 'abc', '720.0', '-720', '1e3']) {
      assertError(
        await rentWith({ country_code: 'ca', provider: '2', duration_hours: hours }),
        '400',
        'Invalid duration_hours. Use 12, 24, 168, 720, 4320 or 8640.',
      );
    }
    assertError(
      await rentWith({ country_code: 'gb', provider: '1', duration_hours: '4320' }),
      '404',
      'No pricing found for this country, provider and duration.',
    );
    assertError(
      await rentWith({ country_code: 'fr', provider: '1', duration_hours: '24' }),
      '404',
      'No pricing found for this country, provider and duration.',
    );
    assert.equal(await balanceOf(server, id), 10_000_000);
  });

  it('maps an upstream refusal to 502 with the money back at once', async () => {
    const { id, apiKey } = await server.newAccount(100_000);
    scripted.failNext('rentNumber', new UpstreamError('no_numbers', 'NO_NUMBERS'));
    assertError(
      await call(server, {
        api_key: apiKey,
        action: 'rentNumber',
        country_code: 'ca',
        provider: '2',
        duration_hours: '720',
      }),
      '502',
      'Server 2 error: no numbers available for this country right now. Nothing was charged.',
    );
    scripted.failNext('rentNumber', new UpstreamError('bad_key', 'BAD_KEY secret-ish'));
    const refused = await call(server, {
      api_key: apiKey,
      action: 'rentNumber',
      country_code: 'ca',
      provider: '2',
      duration_hours: '720',
    });
    assertError(
      refused,
      '502',
      'Server 2 error: the provider cannot fill orders right now. Nothing was charged.',
    );
    assert.equal(await balanceOf(server, id), 100_000);
    const entries = await ledgerOf(id);
    assert.deepEqual(
      entries.map((e) => [e.kind, e.amount]),
      [
        ['order_debit', -84_000],
        ['order_refund', 84_000],
        ['order_debit', -84_000],
        ['order_refund', 84_000],
      ],
    );
    assert.equal(
      (await call(server, { api_key: apiKey, action: 'getMyRentals' })).total,
      0,
      'failed purchases are not listed',
    );
    await assertLedgerClean(server.ctx);
  });

  it('holds the payment when the upstream does not answer, and the reconciler refunds it once', async () => {
    const { id, apiKey } = await server.newAccount(100_000);
    scripted.failNext('rentNumber', new UpstreamError('unknown_outcome', 'timeout'));
    const reply = await call(server, {
      api_key: apiKey,
      action: 'rentNumber',
      country_code: 'ca',
      provider: '2',
      duration_hours: '720',
    });
    assertError(reply, '502', /^Server 2 error: no answer from the provider\. The payment is on hold/);
    assert.equal(await balanceOf(server, id), 16_000, 'held while the outcome is unknown');
    const mine = await call(server, { api_key: apiKey, action: 'getMyRentals' });
    assert.deepEqual(
      (mine.rentals as Array<{ status: string; phone_number: string; expiry_time: string }>).map((r) => [
        r.status,
        r.phone_number,
        r.expiry_time,
      ]),
      [['pending', '', '']],
    );
    await server.runJobs();
    assert.equal(await balanceOf(server, id), 16_000, 'not before the reconciler’s wait');
    // The engine's one rule: lost once reconcileDelayMs of the upstream's timeout (the sandbox's 5 s) passed.
    server.clock.advance(reconcileDelayMs(5_000) - 1);
    await server.runJobs();
    assert.equal(await balanceOf(server, id), 16_000, 'not a millisecond before the reconcile delay');
    server.clock.advance(1);
    await Promise.all([server.runJobs(), server.runJobs()]);
    await server.runJobs();
    assert.equal(await balanceOf(server, id), 100_000, 'refunded exactly once');
    assert.equal((await call(server, { api_key: apiKey, action: 'getMyRentals' })).total, 0);
    await assertLedgerClean(server.ctx);
  });

  it('answers 500 Database error with the balance not deducted when our own write fails', async () => {
    const { id, apiKey } = await server.newAccount(100_000);
    const restoreInsert = await breakWrites(server, { insertInto: 'rentals' });
    try {
      assertError(
        await call(server, {
          api_key: apiKey,
          action: 'rentNumber',
          country_code: 'ca',
          provider: '2',
          duration_hours: '720',
        }),
        '500',
        'Database error: the order could not be saved. Your balance was not deducted.',
      );
    } finally {
      await restoreInsert();
    }
    assert.equal(await balanceOf(server, id), 100_000);

    const sandboxBefore = await server.ctx.db
      .selectFrom('sandbox_orders')
      .select('id')
      .where('status', '=', 'cancelled')
      .execute();
    const restoreActivate = await breakWrites(server, { rentalStatus: 'active' });
    try {
      const reply = await call(server, {
        api_key: apiKey,
        action: 'rentNumber',
        country_code: 'ca',
        provider: '2',
        duration_hours: '720',
      });
      assertError(
        reply,
        '500',
        'Database error: the order could not be saved. Your balance was not deducted.',
      );
      assert.doesNotMatch(JSON.stringify(reply), /disk on fire/, 'no internals in the reply');
    } finally {
      await restoreActivate();
    }
    assert.equal(await balanceOf(server, id), 100_000, 'refunded at once');
    const sandboxAfter = await server.ctx.db
      .selectFrom('sandbox_orders')
      .select('id')
      .where('status', '=', 'cancelled')
      .execute();
    assert.equal(sandboxAfter.length, sandboxBefore.length + 1, 'the rented number went back upstream');
    await assertLedgerClean(server.ctx);
  });
});
