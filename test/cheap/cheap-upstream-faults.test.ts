import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import type { AdapterContext } from '../../src/providers/types.js';
import { type SmsProvider, UpstreamError } from '../../src/providers/types.js';
import { ManualClock } from '../../src/shared/clock.js';
import { defaultAdapterFactories } from '../../src/upstream-adapters.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { balanceOf, cheap, parseBought } from './cheap-helpers.js';

const BUY = { action: 'buyNumber', server: '2', type: '1' };

describeEachDatabase('cheap numbers API: a slow and unreliable upstream', (kind) => {
  let server: TestServer;
  const clock = new ManualClock();
  /** What the wrapped sandbox does next: how long a purchase takes, whether cancel fails. */
  const behaviour = { purchaseMs: 0, cancelFails: false };

  before(async () => {
    const factories = defaultAdapterFactories();
    const sandbox = factories.sms.sandbox;
    if (!sandbox) throw new Error('no sandbox factory');
    factories.sms.sandbox = (ctx: AdapterContext): SmsProvider => {
      const inner = sandbox(ctx);
      return {
        buyNumber: async (request) => {
          const bought = await inner.buyNumber(request);
          clock.advance(behaviour.purchaseMs); // the upstream took this long to answer
          return bought;
        },
        getActivation: (id) => inner.getActivation(id),
        cancel: async (id) => {
          if (behaviour.cancelFails) throw new UpstreamError('unavailable', 'HTTP 502');
          return inner.cancel(id);
        },
        finish: (id) => inner.finish(id),
      };
    };
    server = await startTestServer(kind, { clock, factories });
  });
  after(() => server.close());

  it('reports the real remaining validity when the upstream was slow to sell', async () => {
    const customer = await server.newAccount(10_000);
    behaviour.purchaseMs = 2_500;
    try {
      assert.match(await cheap(server, customer.apiKey, BUY), /^ORD_[0-9a-f]{10}_[1-9]\d{2},92555\d{7},898$/);
    } finally {
      behaviour.purchaseMs = 0;
    }
    assert.match(await cheap(server, customer.apiKey, BUY), /,900$/);
  });

  it('changes nothing when the upstream cannot confirm a cancel, and refunds once it can', async () => {
    const customer = await server.newAccount(10_000);
    const { orderId } = parseBought(await cheap(server, customer.apiKey, BUY));
    clock.advance(120_000);
    behaviour.cancelFails = true;
    try {
      assert.equal(
        await cheap(server, customer.apiKey, { action: 'setStatus', id: orderId, status: '8' }),
        'DATABASE_ERROR',
      );
    } finally {
      behaviour.cancelFails = false;
    }
    assert.equal(await balanceOf(server, customer.id), 5_000);
    assert.equal(
      await cheap(server, customer.apiKey, { action: 'getStatus', id: orderId }),
      'STATUS_WAIT_CODE',
    );
    assert.equal(
      await cheap(server, customer.apiKey, { action: 'setStatus', id: orderId, status: '8' }),
      'ACCESS_READY',
    );
    assert.equal(await balanceOf(server, customer.id), 10_000);
  });
});
