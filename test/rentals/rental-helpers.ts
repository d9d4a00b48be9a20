import assert from 'node:assert/strict';
import type { AdapterFactories } from '../../src/providers/registry.js';
import type { RentalProvider } from '../../src/providers/types.js';
import { insertUpstream } from '../../src/providers/upstreams.repository.js';
import { updateRentalServer } from '../../src/rentals/catalog.repository.js';
import { defaultAdapterFactories } from '../../src/upstream-adapters.js';
import { breakWrites as breakTableWrites } from '../helpers/break-writes.js';
import type { TestServer } from '../helpers/test-server.js';

export { assertLedgerClean } from '../helpers/ledger.js';

export const RENTAL = '/stubs/rental-handler.php';
export const HOUR = 3_600_000;

type JsonType = 'string' | 'number' | 'array' | 'object';

/**
 * Asserts an object has exactly these fields with these JSON types (string "720" and number 720
 * are different answers to a client), then returns it for value checks.
 */
export function assertFields(
  value: unknown,
  fields: Record<string, JsonType>,
  label = 'reply',
): Record<string, unknown> {
  assert.ok(value !== null && typeof value === 'object' && !Array.isArray(value), `${label} is an object`);
  const record = value as Record<string, unknown>;
  assert.deepEqual(
    Object.keys(record).sort(),
    Object.keys(fields).sort(),
    `${label} has exactly the documented fields`,
  );
  for (const [name, type] of Object.entries(fields)) {
    const field = record[name];
    const actual = Array.isArray(field) ? 'array' : typeof field;
    assert.equal(actual, type, `${label}.${name} is a ${type} (got ${JSON.stringify(field)})`);
  }
  return record;
}

/** A JSON error reply: `{status, message}` with both strings. */
export function assertError(value: unknown, status: string, message: string | RegExp): void {
  const record = assertFields(value, { status: 'string', message: 'string' }, `error ${status}`);
  assert.equal(record.status, status);
  if (typeof message === 'string') assert.equal(record.message, message);
  else assert.match(record.message as string, message);
}

/** The reply shapes of the reference's examples, field by field. */
export const SHAPES = {
  country: { id: 'string', provider: 'string', name: 'string', country_code: 'string' },
  tier: { id: 'string', duration_hours: 'string', price: 'string', country_name: 'string' },
  availability: { area_code: 'string', area_title: 'string', available: 'number', min_month: 'number' },
  rented: {
    status: 'string',
    message: 'string',
    phone: 'string',
    order_id: 'string',
    duration_hours: 'number',
    price_paid: 'string',
    new_balance: 'string',
    expires: 'string',
  },
  myRentals: { status: 'string', total: 'number', rentals: 'array' },
  rental: {
    id: 'string',
    server: 'string',
    phone_number: 'string',
    order_id: 'string',
    status: 'string',
    country_code: 'string',
    expiry_time: 'string',
  },
  inbox: { status: 'string', phone_number: 'string', total: 'number', messages: 'array' },
  message: { from: 'string', text: 'string', code: 'string', timestamp: 'string' },
  renewed: {
    status: 'string',
    message: 'string',
    rental_id: 'number',
    phone_number: 'string',
    duration_hours: 'number',
    price_paid: 'string',
    new_balance: 'string',
    new_expiry: 'string',
  },
} satisfies Record<string, Record<string, JsonType>>;

export async function call(
  server: TestServer,
  params: Record<string, string>,
): Promise<Record<string, unknown>> {
  return server.getJson(RENTAL, params);
}

/** Rents a number and returns the reply, asserting success. */
export async function rent(
  server: TestServer,
  apiKey: string,
  params: { country_code?: string; provider?: string; duration_hours?: string } = {},
): Promise<Record<string, unknown>> {
  const reply = await call(server, {
    api_key: apiKey,
    action: 'rentNumber',
    country_code: 'ca',
    provider: '2',
    duration_hours: '720',
    ...params,
  });
  assert.equal(reply.status, '200', JSON.stringify(reply));
  return reply;
}

export async function balanceOf(server: TestServer, accountId: number): Promise<number> {
  const row = await server.ctx.db
    .selectFrom('accounts')
    .select('balance')
    .where('id', '=', accountId)
    .executeTakeFirstOrThrow();
  return row.balance;
}

export async function rentalRow(server: TestServer, orderId: string) {
  return server.ctx.db
    .selectFrom('rentals')
    .selectAll()
    .where('order_id', '=', orderId)
    .executeTakeFirstOrThrow();
}

/**
 * Makes the database refuse one kind of write: every UPDATE setting a rental to `status` (or every
 * INSERT into `table`) raises. Returns the undo.
 */
export async function breakWrites(
  server: TestServer,
  target:
    | { rentalStatus: 'active' }
    | { renewalStatus: 'done' }
    | { insertInto: 'rentals' | 'rental_renewals' },
): Promise<() => Promise<void>> {
  if ('rentalStatus' in target)
    return breakTableWrites(server, 'rentals', 'UPDATE', `NEW.state = '${target.rentalStatus}'`);
  if ('renewalStatus' in target)
    return breakTableWrites(server, 'rental_renewals', 'UPDATE', `NEW.state = '${target.renewalStatus}'`);
  return breakTableWrites(server, target.insertInto, 'INSERT');
}

/**
 * Adapter factories whose sandbox rental provider can be told to fail its next calls, so upstream
 * errors can be tested without a real upstream.
 */
export function scriptedSandboxFactories(): {
  factories: AdapterFactories;
  failNext: (method: 'rentNumber' | 'extend' | 'getAvailability' | 'getMessages', error: Error) => void;
  /** The next call of `method` waits until the returned function is called (an upstream taking its time). */
  holdNext: (method: 'rentNumber' | 'extend') => { started: Promise<void>; release: () => void };
  calls: Record<string, number>;
} {
  const defaults = defaultAdapterFactories();
  const queued = new Map<string, Error[]>();
  const holds = new Map<string, Array<{ started: () => void; released: Promise<void> }>>();
  const calls: Record<string, number> = {};
  const sandbox = defaults.rental.sandbox;
  assert.ok(sandbox);
  const factories: AdapterFactories = {
    ...defaults,
    rental: {
      ...defaults.rental,
      sandbox: (ctx) => {
        const real = sandbox(ctx);
        const guard = async <T>(method: string, run: () => Promise<T>): Promise<T> => {
          calls[method] = (calls[method] ?? 0) + 1;
          const hold = holds.get(method)?.shift();
          if (hold) {
            hold.started();
            await hold.released;
          }
          const error = queued.get(method)?.shift();
          if (error) throw error;
          return run();
        };
        const provider: RentalProvider = {
          rentNumber: (request) => guard('rentNumber', () => real.rentNumber(request)),
          getMessages: (id) => guard('getMessages', () => real.getMessages(id)),
          extend: (id, hours) => guard('extend', () => real.extend(id, hours)),
          cancel: (id) => guard('cancel', () => real.cancel(id)),
          getAvailability: (country) =>
            guard('getAvailability', () =>
              real.getAvailability ? real.getAvailability(country) : Promise.resolve(0),
            ),
        };
        return provider;
      },
    },
  };
  return {
    factories,
    failNext: (method, error) => queued.set(method, [...(queued.get(method) ?? []), error]),
    holdNext: (method) => {
      let release = () => {};
      let started = () => {};
      const startedPromise = new Promise<void>((resolve) => {
        started = resolve;
      });
      const released = new Promise<void>((resolve) => {
        release = resolve;
      });
      holds.set(method, [...(holds.get(method) ?? []), { started, released }]);
      return { started: startedPromise, release };
    },
    calls,
  };
}

/**
 * Adds a rental upstream speaking the SMS-Activate protocol to the scripted fake (test/fakes) and
 * points `rentalServer` at it; returns the upstream's id.
 */
export async function rentFromFake(
  server: TestServer,
  rentalServer: number,
  fake: { url: string; apiKey: string },
  upstream: { name: string; timeoutMs: number },
): Promise<number> {
  const upstreamId = await insertUpstream(
    server.ctx.db,
    {
      name: upstream.name,
      kind: 'rental',
      protocol: 'sms-activate',
      baseUrl: fake.url,
      apiKey: fake.apiKey,
      currency: 'USD',
      timeoutMs: upstream.timeoutMs,
    },
    server.clock.now(),
  );
  await updateRentalServer(server.ctx.db, rentalServer, { upstreamId }, server.clock.now());
  return upstreamId;
}
