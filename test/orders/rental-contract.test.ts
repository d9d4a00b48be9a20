/**
 * The reservation contract (reservation-contract.ts) run against the rental line's two kinds of
 * order: a rental's purchase and a rental's renewal, on SQLite and PostgreSQL.
 *
 * Which refunders race, and why:
 * - a rental: the operator's refund (it may refund a rental in any state but `failed`) and the
 *   reconciler (it refunds a purchase still pending once its reply is lost), raced while the
 *   upstream's rent call is held, against that call answering. Expiry is not a refunder: a rental
 *   that was activated is never refunded on expiry (the customer had the number for its term), and a
 *   pending one does not expire. Customers cannot cancel a rental.
 * - a renewal: the reconciler and the renewal's own failure path (the held extend is refused).
 *   Nothing else refunds a renewal on its own: the operator refunds renewals only with their
 *   rental (which would refund the rental's price too), and once extended a renewal stays paid.
 */
import assert from 'node:assert/strict';
import { createOtpget, OtpgetJsonApiError } from '../../packages/sdk/src/index.js';
import { adjustBalance } from '../../src/accounts/accounts.service.js';
import { refundOrder } from '../../src/admin/orders.service.js';
import { reconcileDelayMs } from '../../src/orders/reconcile.js';
import { UpstreamError } from '../../src/providers/types.js';
import { DEFAULT_RENTAL_JOB_OPTIONS, reconcileRentals } from '../../src/rentals/rental-jobs.js';
import { RENTAL_REPLIES } from '../../src/rentals/rental-replies.js';
import type { TestDatabaseKind } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { PortalClient } from '../portal/portal-client.js';
import { breakWrites, call, scriptedSandboxFactories } from '../rentals/rental-helpers.js';
import {
  type ContractCustomer,
  describeReservationContract,
  type LineDriver,
} from './reservation-contract.js';

/** Canada on Server 2 for 720 hours: what every purchase and renewal here buys. */
const OFFER = { country_code: 'ca', provider: '2', duration_hours: '720' };
const PRICE = 84_000;
/** The sandbox upstream's timeout: the reconciler's delay follows from it. */
const SANDBOX_TIMEOUT_MS = 5_000;

/** What both drivers share: a server whose sandbox rental upstream can be scripted. */
async function rentalWorld(kind: TestDatabaseKind) {
  const scripted = scriptedSandboxFactories();
  const server = await startTestServer(kind, { factories: scripted.factories });
  const portals = new Map<number, PortalClient>();
  let customers = 0;
  let breakNextWrite = false;

  return {
    server,
    scripted,
    portal: (customer: ContractCustomer) => portals.get(customer.id) as PortalClient,
    /** A customer signed up through the portal (so every purchase path is theirs), with `paisa`. */
    async customer(paisa: number): Promise<ContractCustomer> {
      const email = `rental-contract-${++customers}@example.com`;
      const portal = new PortalClient(server.url);
      const apiKey = await portal.signUp(email);
      const login = await server.ctx.db
        .selectFrom('customer_logins')
        .select('account_id')
        .where('email', '=', email)
        .executeTakeFirstOrThrow();
      const id = Number(login.account_id);
      await adjustBalance(server.ctx.db, server.clock, {
        accountId: id,
        amount: paisa,
        reference: `seed:${email}`,
      });
      portals.set(id, portal);
      return { id, apiKey };
    },
    /** Runs `attempt` with `write` broken if failNextWrite asked for it, then mends it. */
    async maybeBroken<T>(write: Parameters<typeof breakWrites>[1], attempt: () => Promise<T>): Promise<T> {
      if (!breakNextWrite) return attempt();
      breakNextWrite = false;
      const mend = await breakWrites(server, write);
      try {
        return await attempt();
      } finally {
        await mend();
      }
    },
    failNextWrite: () => {
      breakNextWrite = true;
    },
    /** The reconciler's run once a lost purchase is due by the engine's rule. */
    async reconcile(): Promise<void> {
      server.clock.advance(reconcileDelayMs(SANDBOX_TIMEOUT_MS));
      await reconcileRentals(server.ctx, DEFAULT_RENTAL_JOB_OPTIONS);
    },
  };
}

// The purchase paths are tried by a blocked account only: each must be refused as blocked (not
// for some other reason that would also leave the balance alone).
function assertBlockedReply(reply: Record<string, unknown>): void {
  assert.deepEqual(reply, { ...RENTAL_REPLIES.blocked });
}

function assertBlockedPage(page: { status: number; body: string }): void {
  assert.equal(page.status, 400);
  assert.ok(page.body.includes(RENTAL_REPLIES.blocked.message), 'the portal says the account is blocked');
}

async function assertBlockedSdk(attempt: Promise<unknown>): Promise<void> {
  await assert.rejects(attempt, (error) => error instanceof OtpgetJsonApiError && error.status === '403');
}

/** A JSON call that must answer 200; anything else rejects with the reply. */
async function succeed(server: TestServer, params: Record<string, string>): Promise<Record<string, unknown>> {
  const reply = await call(server, params);
  if (reply.status !== '200') throw new Error(`refused: ${JSON.stringify(reply)}`);
  return reply;
}

async function startRentalDriver(kind: TestDatabaseKind): Promise<LineDriver> {
  const world = await rentalWorld(kind);
  const { server, scripted } = world;
  const inFlight = new Map<number, { release: () => void; answer: Promise<unknown> }>();

  const latestRental = async (accountId: number) =>
    (
      await server.ctx.db
        .selectFrom('rentals')
        .select('id')
        .where('account_id', '=', accountId)
        .orderBy('id', 'desc')
        .executeTakeFirstOrThrow()
    ).id;
  const rentByApi = (customer: ContractCustomer) =>
    succeed(server, { api_key: customer.apiKey, action: 'rentNumber', ...OFFER });

  return {
    server,
    pricePaisa: PRICE,
    customer: () => world.customer(3 * PRICE),
    buy: async (customer) => {
      await world.maybeBroken({ rentalStatus: 'active' }, () => rentByApi(customer));
    },
    buyInFlight: async (customer) => {
      const held = scripted.holdNext('rentNumber');
      const answer = rentByApi(customer).catch(() => undefined);
      await held.started;
      inFlight.set(customer.id, { release: held.release, answer });
    },
    purchasePaths: {
      api: async (customer) =>
        assertBlockedReply(await call(server, { api_key: customer.apiKey, action: 'rentNumber', ...OFFER })),
      portal: async (customer) => {
        const portal = world.portal(customer);
        await portal.get('/dashboard');
        assertBlockedPage(await portal.post('/dashboard/rentals', { offer: '2:ca:720' }));
      },
      sdk: (customer) =>
        assertBlockedSdk(
          createOtpget({ baseUrl: server.url, apiKey: customer.apiKey }).rental.rentNumber({
            countryCode: 'ca',
            provider: 2,
            durationHours: 720,
          }),
        ),
    },
    refunders: {
      'the held rent call answers': async (customer) => {
        const rental = inFlight.get(customer.id);
        rental?.release();
        await rental?.answer;
      },
      'an operator refund': async (customer) =>
        refundOrder(
          server.ctx,
          { operatorId: null, name: 'contract' },
          'rental',
          await latestRental(customer.id),
          'contract race',
        ),
      'the reconciler': () => world.reconcile(),
    },
    loseNextReply: () => scripted.failNext('rentNumber', new UpstreamError('unknown_outcome', 'reset')),
    reconcile: () => world.reconcile(),
    failNextWrite: world.failNextWrite,
    givenBack: () => scripted.calls.cancel ?? 0,
    close: () => server.close(),
  };
}

async function startRenewalDriver(kind: TestDatabaseKind): Promise<LineDriver> {
  const world = await rentalWorld(kind);
  const { server, scripted } = world;
  const rentalOf = new Map<number, number>();
  const inFlight = new Map<number, { release: () => void; answer: Promise<unknown> }>();

  const renewByApi = (customer: ContractCustomer) =>
    succeed(server, {
      api_key: customer.apiKey,
      action: 'renewRental',
      rental_id: String(rentalOf.get(customer.id)),
      duration_hours: OFFER.duration_hours,
    });

  return {
    server,
    pricePaisa: PRICE,
    // Holds a live rental (its own debit is in the ledger) and the price of renewals to spare.
    customer: async () => {
      const customer = await world.customer(4 * PRICE);
      const rented = await succeed(server, { api_key: customer.apiKey, action: 'rentNumber', ...OFFER });
      const row = await server.ctx.db
        .selectFrom('rentals')
        .select('id')
        .where('order_id', '=', String(rented.order_id))
        .executeTakeFirstOrThrow();
      rentalOf.set(customer.id, row.id);
      return customer;
    },
    buy: async (customer) => {
      await world.maybeBroken({ renewalStatus: 'done' }, () => renewByApi(customer));
    },
    buyInFlight: async (customer) => {
      const held = scripted.holdNext('extend');
      // Released, the held extend is refused: the renewal's own failure path refunds it.
      scripted.failNext('extend', new UpstreamError('unavailable', 'upstream down'));
      const answer = renewByApi(customer).catch(() => undefined);
      await held.started;
      inFlight.set(customer.id, { release: held.release, answer });
    },
    purchasePaths: {
      api: async (customer) =>
        assertBlockedReply(
          await call(server, {
            api_key: customer.apiKey,
            action: 'renewRental',
            rental_id: String(rentalOf.get(customer.id)),
            duration_hours: '720',
          }),
        ),
      portal: async (customer) => {
        const portal = world.portal(customer);
        await portal.get('/dashboard');
        return portal.post(`/dashboard/rentals/${rentalOf.get(customer.id)}/renew`, {
          duration_hours: '720',
        });
      },
      sdk: (customer) =>
        assertBlockedSdk(
          createOtpget({ baseUrl: server.url, apiKey: customer.apiKey }).rental.renewRental(
            rentalOf.get(customer.id) as number,
            720,
          ),
        ),
    },
    refunders: {
      'the held extend is refused': async (customer) => {
        const renewal = inFlight.get(customer.id);
        renewal?.release();
        await renewal?.answer;
      },
      'the reconciler': () => world.reconcile(),
    },
    // A lost extend cannot be looked up later: the renewal refunds it at once (the reconciler finds
    // nothing left to do, and must not refund it again).
    loseNextReply: () => scripted.failNext('extend', new UpstreamError('unknown_outcome', 'reset')),
    reconcile: () => world.reconcile(),
    failNextWrite: world.failNextWrite,
    close: () => server.close(),
  };
}

describeReservationContract('rental', startRentalDriver);
describeReservationContract('rental renewal', startRenewalDriver);
