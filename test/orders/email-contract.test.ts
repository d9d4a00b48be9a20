/**
 * The reservation contract (reservation-contract.ts) run against the temp email line: purchases
 * through /stubs/email_handler.php from a scripted upstream the test controls (lost replies,
 * give-backs), refunds by the customer's cancel, expiry, the reconciler and an operator.
 */

import { createOtpget } from '../../packages/sdk/src/index.js';
import { refundOrder } from '../../src/admin/orders.service.js';
import { lostEmailPurchases, runEmailOrders } from '../../src/emails/email-jobs.js';
import { reconcileDelayMs, reconcileLostPurchases } from '../../src/orders/reconcile.js';
import { UpstreamError } from '../../src/providers/types.js';
import {
  EMAIL,
  type Json,
  ScriptedEmailProvider,
  scriptedFactories,
  serveFromUpstream,
} from '../emails/email-test-support.js';
import { breakWrites } from '../helpers/break-writes.js';
import type { TestDatabaseKind } from '../helpers/databases.js';
import { startTestServer } from '../helpers/test-server.js';
import { type PortalClient, signedUpCustomer } from '../portal/portal-client.js';
import {
  type ContractCustomer,
  describeReservationContract,
  type LineDriver,
} from './reservation-contract.js';

const PRICE_PAISA = 12_000; // Instagram on gmail.com, server 1
const TTL_MS = 1_200_000;
const UPSTREAM_TIMEOUT_MS = 5_000;

async function startEmailDriver(kind: TestDatabaseKind): Promise<LineDriver> {
  const provider = new ScriptedEmailProvider();
  const server = await startTestServer(kind, { factories: scriptedFactories(provider) });
  await serveFromUpstream(server, 1, {
    name: 'scripted',
    protocol: 'scripted',
    timeoutMs: UPSTREAM_TIMEOUT_MS,
  });
  const sell = provider.buy;
  const portals = new Map<number, PortalClient>();
  // Mailboxes sold while our write was broken, and which of them went back upstream.
  const soldUnrecorded = new Set<string>();
  const cancelled = new Set<string>();
  provider.cancelResult = async (id) => {
    cancelled.add(id);
    return true;
  };
  let failWrite = false;
  let customers = 0;

  const lastOrderId = async (customer: ContractCustomer) => {
    const row = await server.ctx.db
      .selectFrom('email_orders')
      .select('id')
      .where('account_id', '=', customer.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    return row.id;
  };
  const buyThroughApi = (customer: ContractCustomer) =>
    server.getJson<Json>(EMAIL, { api_key: customer.apiKey, action: 'buyEmail', service_id: 'ig' });

  return {
    server,
    pricePaisa: PRICE_PAISA,
    async customer() {
      const email = `contract-${++customers}@example.com`;
      const client = await signedUpCustomer(server, email, PRICE_PAISA * 2);
      const login = await server.ctx.db
        .selectFrom('customer_logins')
        .select('account_id')
        .where('email', '=', email)
        .executeTakeFirstOrThrow();
      const id = Number(login.account_id);
      portals.set(id, client);
      return { id, apiKey: client.apiKey ?? '' };
    },
    async buy(customer) {
      const undo = failWrite
        ? await breakWrites(server, 'email_orders', 'UPDATE', "NEW.state = 'waiting'")
        : null;
      try {
        const reply = await buyThroughApi(customer);
        if (reply.status !== '200') throw new Error(`not bought: ${JSON.stringify(reply)}`);
      } finally {
        failWrite = false;
        await undo?.();
      }
    },
    purchasePaths: {
      api: buyThroughApi,
      async portal(customer) {
        const client = portals.get(customer.id);
        if (!client) throw new Error('no portal session');
        await client.get('/dashboard');
        return client.post('/dashboard/emails', { offer: '1:ig:gmail.com' });
      },
      sdk: (customer) =>
        createOtpget({ baseUrl: server.url, apiKey: customer.apiKey })
          .email.buyEmail({ server: 1, serviceId: 'ig' })
          .catch((error: unknown) => error),
    },
    refunders: {
      cancel: async (customer) =>
        server.getJson<Json>(EMAIL, {
          api_key: customer.apiKey,
          action: 'cancelEmail',
          email_id: String(await lastOrderId(customer)),
        }),
      expiry: async () => {
        server.clock.advance(TTL_MS);
        await runEmailOrders(server.ctx, new AbortController().signal);
      },
      reconciler: async () => {
        server.clock.advance(reconcileDelayMs(UPSTREAM_TIMEOUT_MS));
        await reconcileLostPurchases(server.ctx, lostEmailPurchases);
      },
      operator: async (customer) =>
        refundOrder(
          server.ctx,
          { operatorId: null, name: 'contract' },
          'email',
          await lastOrderId(customer),
          'contract',
        ),
    },
    loseNextReply() {
      provider.buy = async () => {
        provider.buy = sell;
        throw new UpstreamError('unknown_outcome', 'timeout after the request was sent');
      };
    },
    async reconcile() {
      server.clock.advance(reconcileDelayMs(UPSTREAM_TIMEOUT_MS));
      await server.runJobs();
    },
    failNextWrite() {
      failWrite = true;
      provider.buy = async (request) => {
        provider.buy = sell;
        const sold = await sell(request);
        soldUnrecorded.add(sold.upstreamOrderId);
        return sold;
      };
    },
    givenBack: () => [...soldUnrecorded].filter((id) => cancelled.has(id)).length,
    close: () => server.close(),
  };
}

describeReservationContract('email', startEmailDriver);
