import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { findAccount } from '../../src/accounts/accounts.repository.js';
import {
  type ActivationOffer,
  buyActivation,
  cancelActivation,
  completeActivation,
  findCustomerActivation,
} from '../../src/activations/activations.service.js';
import { productLines } from '../../src/app.js';
import { deliverSandboxMessage } from '../../src/providers/sandbox/deliver.js';
import { findSandboxOrder } from '../../src/providers/sandbox/sandbox.repository.js';
import { findUpstreamByName } from '../../src/providers/upstreams.repository.js';
import { upstreamOrderResolvers } from '../../src/sandbox-order-resolvers.js';
import { defaultAdapterFactories } from '../../src/upstream-adapters.js';
import { ledgerInvariants } from '../../src/wallet/invariants.js';
import { runInvariantChecks } from '../../src/wallet/ledger-check.js';
import { listLedgerEntries } from '../../src/wallet/wallet.repository.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describeEachDatabase('activation engine on the sandbox', (kind) => {
  let server: TestServer;
  let offer: ActivationOffer;

  before(async () => {
    server = await startTestServer(kind);
    const sandbox = await findUpstreamByName(server.ctx.db, 'sandbox-sms');
    assert.ok(sandbox);
    offer = {
      line: 'sms',
      routes: [
        {
          upstreamId: sandbox.id,
          upstreamCountry: '92',
          upstreamService: 'Telegram',
        },
      ],
      pricePaisa: 4_500,
      ttlSeconds: 1_200,
      catalogRef: 'type:1/country:61/service:101',
    };
  });
  after(() => server.close());

  const balanceOf = async (id: number) => (await findAccount(server.ctx.db, id))?.balance;
  const deliver = (publicId: string, text: string) =>
    deliverSandboxMessage(server.ctx.db, upstreamOrderResolvers, {
      orderId: publicId,
      text,
      now: server.clock.now(),
    });
  const poll = async () => {
    server.clock.advance(1_000);
    await server.runJobs();
  };
  async function buy(accountId: number, override: Partial<ActivationOffer> = {}) {
    const result = await buyActivation(server.ctx, accountId, { ...offer, ...override });
    assert.equal(result.kind, 'ok');
    return (result as Extract<typeof result, { kind: 'ok' }>).activation;
  }

  it('debits and activates in one purchase, with a random public id and a sandbox number', async () => {
    const account = await server.newAccount(10_000);
    const activation = await buy(account.id);
    assert.match(activation.publicId, /^[1-9]\d{12}$/);
    assert.match(activation.phone ?? '', /^92555\d{7}$/);
    assert.equal(activation.state, 'active');
    assert.equal(activation.expiresAt - activation.createdAt, 1_200_000);
    assert.equal(activation.cancelAllowedAt - activation.createdAt, 120_000);
    assert.equal(await balanceOf(account.id), 5_500);
    const ledger = await listLedgerEntries(server.ctx.db, account.id, { limit: 5 });
    assert.deepEqual(
      ledger.map((l) => [l.kind, l.reference, l.amount]),
      [
        ['order_debit', `activation:${activation.id}`, -4_500],
        ['topup', `opening:${account.id}`, 10_000],
      ],
    );
    const other = await buy(account.id);
    assert.notEqual(other.publicId, activation.publicId);
  });

  it('refuses without a balance and leaves no order behind; a free offer needs none', async () => {
    const account = await server.newAccount(4_499);
    const result = await buyActivation(server.ctx, account.id, offer);
    assert.deepEqual(result, { kind: 'no_balance', balancePaisa: 4_499 });
    const count = await server.ctx.db
      .selectFrom('activations')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', account.id)
      .executeTakeFirstOrThrow();
    assert.equal(Number(count.n), 0);
    const free = await buy(account.id, { pricePaisa: 0, line: 'cheap' });
    assert.match(free.publicId, /^ORD_[0-9a-f]{10}_[1-9]\d{2}$/);
    assert.equal(await balanceOf(account.id), 4_499);
  });

  it('finds an order only for its owner and its line', async () => {
    const owner = await server.newAccount(10_000);
    const stranger = await server.newAccount(10_000);
    const activation = await buy(owner.id);
    assert.equal(
      (await findCustomerActivation(server.ctx, owner.id, 'sms', activation.publicId))?.id,
      activation.id,
    );
    assert.equal(await findCustomerActivation(server.ctx, stranger.id, 'sms', activation.publicId), null);
    assert.equal(await findCustomerActivation(server.ctx, owner.id, 'cheap', activation.publicId), null);
    assert.equal(await cancelActivation(server.ctx, stranger.id, 'sms', activation.publicId), 'not_found');
    assert.equal(await completeActivation(server.ctx, stranger.id, 'sms', activation.publicId), 'not_found');
  });

  it('picks up a delivered code on the next poll and completes (upstream finished too)', async () => {
    const account = await server.newAccount(10_000);
    const activation = await buy(account.id);
    assert.equal(
      await completeActivation(server.ctx, account.id, 'sms', activation.publicId),
      'no_sms_received',
    );
    await deliver(activation.publicId, 'Telegram code: 52917. Do not give this code to anyone.');
    await poll();
    const received = await findCustomerActivation(server.ctx, account.id, 'sms', activation.publicId);
    assert.equal(received?.state, 'code_received');
    assert.equal(received?.code, '52917');
    assert.equal(received?.smsText, 'Telegram code: 52917. Do not give this code to anyone.');
    assert.equal(await cancelActivation(server.ctx, account.id, 'sms', activation.publicId), 'code_received');
    assert.equal(await completeActivation(server.ctx, account.id, 'sms', activation.publicId), 'finished');
    assert.equal(
      await completeActivation(server.ctx, account.id, 'sms', activation.publicId),
      'already_changed',
    );
    assert.equal(
      (await findSandboxOrder(server.ctx.db, Number(activation.upstreamOrderId)))?.status,
      'finished',
    );
    assert.equal(await balanceOf(account.id), 5_500);
  });

  it('cancels only after the lock, upstream first, refunding exactly once', async () => {
    const account = await server.newAccount(10_000);
    const activation = await buy(account.id);
    assert.equal(
      await cancelActivation(server.ctx, account.id, 'sms', activation.publicId),
      'early_cancel_denied',
    );
    server.clock.advance(120_000);
    const results = await Promise.all(
      Array.from({ length: 5 }, () => cancelActivation(server.ctx, account.id, 'sms', activation.publicId)),
    );
    assert.ok(results.includes('cancelled'), results.join());
    assert.ok(
      results.every((r) => r === 'cancelled' || r === 'already_changed'),
      results.join(),
    );
    assert.equal(
      await cancelActivation(server.ctx, account.id, 'sms', activation.publicId),
      'already_changed',
    );
    assert.equal(await balanceOf(account.id), 10_000);
    assert.equal(
      (await findSandboxOrder(server.ctx.db, Number(activation.upstreamOrderId)))?.status,
      'cancelled',
    );
    assert.equal(
      await completeActivation(server.ctx, account.id, 'sms', activation.publicId),
      'already_changed',
    );
  });

  it('answers a cancel refused upstream because a code came with that code, and charges', async () => {
    const account = await server.newAccount(10_000);
    const activation = await buy(account.id);
    server.clock.advance(150_000);
    await deliver(activation.publicId, 'Your Telegram code is 771204');
    assert.equal(await cancelActivation(server.ctx, account.id, 'sms', activation.publicId), 'code_received');
    const after = await findCustomerActivation(server.ctx, account.id, 'sms', activation.publicId);
    assert.equal(after?.code, '771204');
    assert.equal(await balanceOf(account.id), 5_500);
  });

  it('expires: no code → refunded and cancelled upstream; code → finished and charged', async () => {
    const account = await server.newAccount(20_000);
    const silent = await buy(account.id);
    const answered = await buy(account.id);
    await deliver(answered.publicId, 'Your Telegram code 314-159');
    await poll();
    server.clock.advance(1_200_000);
    await server.runJobs();
    const silentAfter = await findCustomerActivation(server.ctx, account.id, 'sms', silent.publicId);
    const answeredAfter = await findCustomerActivation(server.ctx, account.id, 'sms', answered.publicId);
    assert.equal(silentAfter?.state, 'expired');
    assert.equal(answeredAfter?.state, 'finished');
    assert.equal(answeredAfter?.code, '314159');
    assert.equal(await balanceOf(account.id), 15_500);
    assert.equal(
      (await findSandboxOrder(server.ctx.db, Number(silent.upstreamOrderId)))?.status,
      'cancelled',
    );
    await server.runJobs();
    assert.equal(await balanceOf(account.id), 15_500);
  });

  it('keeps the ledger invariants', async () => {
    assert.deepEqual(await runInvariantChecks(server.ctx.db, ledgerInvariants(productLines())), []);
  });
});

describe('public ids', () => {
  it('are 13 digits on the SMS line, exact as JS numbers, and do not repeat', async () => {
    const { newActivationId } = await import('../../src/activations/public-id.js');
    const ids = new Set(Array.from({ length: 10_000 }, () => newActivationId('sms')));
    assert.equal(ids.size, 10_000);
    const leads = new Set<string>();
    for (const id of ids) {
      assert.match(id, /^[1-9]\d{12}$/);
      assert.ok(Number.isSafeInteger(Number(id)) && String(parseInt(id, 10)) === id, id);
      leads.add(id[0] as string);
    }
    // Random, not sequential: every lead digit turns up in 10,000 ids.
    assert.equal(leads.size, 9);
  });

  it('keep the reference ORD_<hex>_<n> layout on the cheap line', async () => {
    const { newActivationId } = await import('../../src/activations/public-id.js');
    const ids = new Set(Array.from({ length: 10_000 }, () => newActivationId('cheap')));
    assert.equal(ids.size, 10_000);
    for (const id of ids) assert.match(id, /^ORD_[0-9a-f]{10}_[1-9]\d{2}$/);
  });
});

describeEachDatabase('activation polling cost', (kind) => {
  let server: TestServer;
  const statusCalls: string[] = [];

  before(async () => {
    const factories = defaultAdapterFactories();
    const sandbox = factories.sms.sandbox as NonNullable<typeof factories.sms.sandbox>;
    factories.sms.sandbox = (adapterCtx) => {
      const provider = sandbox(adapterCtx);
      const getActivation = provider.getActivation.bind(provider);
      provider.getActivation = (id, signal) => {
        statusCalls.push(id);
        return getActivation(id, signal);
      };
      return provider;
    };
    server = await startTestServer(kind, { factories });
  });
  after(() => server.close());

  it('asks the sandbox only about orders whose sandbox state changed', async () => {
    const sandbox = await findUpstreamByName(server.ctx.db, 'sandbox-sms');
    assert.ok(sandbox);
    const account = await server.newAccount(100_000);
    const offer: ActivationOffer = {
      line: 'sms',
      routes: [
        {
          upstreamId: sandbox.id,
          upstreamCountry: '92',
          upstreamService: 'Telegram',
        },
      ],
      pricePaisa: 100,
      ttlSeconds: 1_200,
      catalogRef: 'type:1/country:61/service:101',
    };
    const bought = [];
    for (let i = 0; i < 30; i++) {
      const result = await buyActivation(server.ctx, account.id, offer);
      assert.equal(result.kind, 'ok');
      if (result.kind === 'ok') bought.push(result.activation);
    }
    server.clock.advance(1_000);
    await server.runJobs();
    assert.equal(statusCalls.length, 0);
    const target = bought[7];
    assert.ok(target);
    await deliverSandboxMessage(server.ctx.db, upstreamOrderResolvers, {
      orderId: target.publicId,
      text: 'Telegram code 11223',
      now: server.clock.now(),
    });
    server.clock.advance(1_000);
    await server.runJobs();
    assert.deepEqual(statusCalls, [target.upstreamOrderId]);
    const after = await findCustomerActivation(server.ctx, account.id, 'sms', target.publicId);
    assert.equal(after?.code, '11223');
  });
});
