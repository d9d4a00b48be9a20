/**
 * The reservation contract for the two lines on the activation table — SMS OTP numbers
 * (/stubs/handler_api.php) and cheap numbers (/stubs/cheap_handler.php) — plus racing identical
 * cancels: exactly one success, and for the others what a sequential repeat answers.
 */
import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { createOtpget } from '../../packages/sdk/src/index.js';
import { refundOrder } from '../../src/admin/orders.service.js';
import { type SmsProvider, UpstreamError } from '../../src/providers/types.js';
import { defaultAdapterFactories } from '../../src/upstream-adapters.js';
import { breakWrites } from '../helpers/break-writes.js';
import { describeEachDatabase, type TestDatabaseKind } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { portalLoginFor } from '../portal/portal-client.js';
import {
  type ContractCustomer,
  describeReservationContract,
  type LineDriver,
} from './reservation-contract.js';

const TTL_SECONDS = 1_200;

/** The sandbox SMS upstream, with a switch that loses the next purchase's reply after it sold. */
function controlledSandbox() {
  const control = { loseNext: false, cancelled: new Set<string>() };
  const defaults = defaultAdapterFactories();
  const sandbox = defaults.sms.sandbox;
  if (!sandbox) throw new Error('no sandbox SMS adapter');
  const factories = {
    ...defaults,
    sms: {
      ...defaults.sms,
      sandbox: (ctx: Parameters<typeof sandbox>[0]): SmsProvider => {
        const inner = sandbox(ctx);
        return new Proxy(inner, {
          get(target, property, receiver) {
            if (property === 'buyNumber') {
              return async (...args: Parameters<SmsProvider['buyNumber']>) => {
                const bought = await target.buyNumber(...args);
                if (control.loseNext) {
                  control.loseNext = false;
                  throw new UpstreamError('unknown_outcome', 'reply lost');
                }
                return bought;
              };
            }
            if (property === 'cancel') {
              return async (id: string, signal?: AbortSignal) => {
                control.cancelled.add(id);
                return target.cancel(id, signal);
              };
            }
            const value = Reflect.get(target, property, receiver);
            return typeof value === 'function' ? value.bind(target) : value;
          },
        });
      },
    },
  };
  return { control, factories };
}

interface ActivationLineSpec {
  line: 'sms' | 'cheap';
  pricePaisa: number;
  /** Buys through the API; the public id, or throws with the reply. */
  buy(server: TestServer, apiKey: string): Promise<string>;
  cancel(server: TestServer, apiKey: string, id: string): Promise<string>;
  portalBuy: { path: string; body: Record<string, string> };
  sdkBuy(server: TestServer, apiKey: string): Promise<unknown>;
}

const SMS_PATH = '/stubs/handler_api.php';
const CHEAP_PATH = '/stubs/cheap_handler.php';

const sms: ActivationLineSpec = {
  line: 'sms',
  pricePaisa: 4_500,
  async buy(server, apiKey) {
    const reply = await server.get(SMS_PATH, {
      api_key: apiKey,
      action: 'getNumber',
      service: '101',
      country: '61',
      type: '1',
    });
    const id = /^ACCESS_NUMBER:([^:]+):\d+$/.exec(reply)?.[1];
    if (!id) throw new Error(`getNumber answered ${reply}`);
    return id;
  },
  cancel: (server, apiKey, id) =>
    server.get(SMS_PATH, { api_key: apiKey, action: 'setStatus', id, status: '8' }),
  portalBuy: { path: '/portal/api/sms/orders', body: { type: '1', country: '61', service: '101' } },
  sdkBuy: (server, apiKey) =>
    createOtpget({ baseUrl: server.url, apiKey }).sms.getNumber({ service: 101, country: 61, type: 1 }),
};

const cheap: ActivationLineSpec = {
  line: 'cheap',
  pricePaisa: 5_000,
  async buy(server, apiKey) {
    const reply = await server.get(CHEAP_PATH, {
      api_key: apiKey,
      action: 'buyNumber',
      server: '2',
      type: '1',
    });
    const id = /^(ORD_[^,]+),\d+,\d+$/.exec(reply)?.[1];
    if (!id) throw new Error(`buyNumber answered ${reply}`);
    return id;
  },
  cancel: (server, apiKey, id) =>
    server.get(CHEAP_PATH, { api_key: apiKey, action: 'setStatus', id, status: '8' }),
  portalBuy: { path: '/portal/api/cheap/orders', body: { server: '2' } },
  sdkBuy: (server, apiKey) =>
    createOtpget({ baseUrl: server.url, apiKey }).cheap.buyNumber({ server: 2, type: 1 }),
};

async function startActivationDriver(kind: TestDatabaseKind, spec: ActivationLineSpec): Promise<LineDriver> {
  const { control, factories } = controlledSandbox();
  const server = await startTestServer(kind, {
    env: { OTPGET_CANCEL_LOCK_SECONDS: '0', OTPGET_ACTIVATION_TTL_SECONDS: String(TTL_SECONDS) },
    factories,
  });
  let breakNextWrite = false;
  let failedWrites: string[] = [];
  /** The order each customer bought last (the refunders work on it). */
  const lastOrder = new Map<number, string>();

  async function buy(customer: ContractCustomer): Promise<void> {
    const undo = breakNextWrite
      ? await breakWrites(server, 'activations', 'UPDATE', "NEW.state = 'active'")
      : null;
    breakNextWrite = false;
    const soldBefore = await soldUpstreamIds(server);
    try {
      lastOrder.set(customer.id, await spec.buy(server, customer.apiKey));
    } finally {
      if (undo) {
        await undo();
        failedWrites = (await soldUpstreamIds(server)).filter((id) => !soldBefore.includes(id));
      }
    }
  }

  const orderOf = (customer: ContractCustomer) => {
    const id = lastOrder.get(customer.id);
    if (!id) throw new Error('the customer bought nothing yet');
    return id;
  };

  return {
    server,
    pricePaisa: spec.pricePaisa,
    customer: () => server.newAccount(spec.pricePaisa * 4),
    buy,
    purchasePaths: {
      api: (customer) => spec.buy(server, customer.apiKey).catch(() => undefined),
      portal: async (customer) => {
        const browser = await portalLoginFor(server, customer.id);
        const answer = await browser.json('POST', spec.portalBuy.path, spec.portalBuy.body);
        assert.equal(answer.status, 403, `the portal refused: ${JSON.stringify(answer.data)}`);
      },
      sdk: (customer) => spec.sdkBuy(server, customer.apiKey).catch(() => undefined),
    },
    refunders: {
      cancel: (customer) => spec.cancel(server, customer.apiKey, orderOf(customer)),
      expiry: async () => {
        server.clock.advance(TTL_SECONDS * 1_000 + 1_000);
        await server.runJobs();
      },
      reconciler: () => server.runJobs(),
      operator: async (customer) => {
        const order = await server.ctx.db
          .selectFrom('activations')
          .select('id')
          .where('public_id', '=', orderOf(customer))
          .executeTakeFirstOrThrow();
        await refundOrder(
          server.ctx,
          { operatorId: null, name: 'test' },
          spec.line,
          order.id,
          'contract test',
        );
      },
    },
    loseNextReply: () => {
      control.loseNext = true;
    },
    reconcile: async () => {
      server.clock.advance(10 * 60_000);
      await server.runJobs();
    },
    failNextWrite: () => {
      breakNextWrite = true;
    },
    givenBack: () => failedWrites.filter((id) => control.cancelled.has(id)).length,
    close: () => server.close(),
  };
}

/** The sandbox's order ids, oldest first: what the sandbox upstream has sold. */
async function soldUpstreamIds(server: TestServer): Promise<string[]> {
  const rows = await server.ctx.db.selectFrom('sandbox_orders').select('id').orderBy('id').execute();
  return rows.map((row) => String(row.id));
}

describeReservationContract('SMS OTP numbers', (kind) => startActivationDriver(kind, sms));
describeReservationContract('cheap numbers', (kind) => startActivationDriver(kind, cheap));

describeEachDatabase('racing identical cancels', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind, { env: { OTPGET_CANCEL_LOCK_SECONDS: '0' } });
  });
  after(() => server.close());

  for (const [spec, success, repeat] of [
    [sms, 'ACCESS_READY', 'STATUS_ALREADY_CHANGED'],
    [cheap, 'ACCESS_READY', 'STATUS_CANCEL'],
  ] as const) {
    it(`${spec.line}: one success, the repeat's reply for the others, one refund`, async () => {
      for (let round = 0; round < 3; round++) {
        const customer = await server.newAccount(spec.pricePaisa);
        const id = await spec.buy(server, customer.apiKey);
        const replies = await Promise.all([1, 2, 3].map(() => spec.cancel(server, customer.apiKey, id)));
        const sequentialRepeat = await spec.cancel(server, customer.apiKey, id);
        assert.equal(sequentialRepeat, repeat);
        assert.deepEqual(
          [...replies].sort(),
          [success, repeat, repeat].sort(),
          `round ${round}: ${replies.join(' | ')}`,
        );
        const balance = await server.ctx.db
          .selectFrom('accounts')
          .select('balance')
          .where('id', '=', customer.id)
          .executeTakeFirstOrThrow();
        assert.equal(balance.balance, spec.pricePaisa, 'refunded once');
      }
    });
  }
});
