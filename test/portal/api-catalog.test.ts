import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { blockAccount } from '../../src/accounts/accounts.service.js';
import { customerEndpoints } from '../../src/app.js';
import { type ApiDoc, apiCatalog, type ErrorDoc } from '../../src/docs/api-catalog.js';
import type { WireEndpoint } from '../../src/http/wire-types.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

/**
 * The docs are generated from the catalogue; this holds the catalogue against the wire modules:
 * every served action is documented, the docs mark exactly the documented actions this build does
 * not serve, and documented replies are what the endpoints really answer.
 */

/**
 * Whether a live reply is what the table documents: the row's pattern when it has one, else one of
 * its " / " alternatives, a trailing "…" meaning "and more".
 */
function matchesDoc(doc: ErrorDoc, reply: string): boolean {
  if (doc.pattern) return new RegExp(doc.pattern).test(reply);
  return doc.reply
    .split(' / ')
    .some((alt) => (alt.endsWith('…') ? reply.startsWith(alt.slice(0, -1)) : reply === alt));
}

/** Checks one reply (text body, or parsed JSON) against a documented error. */
function assertDocumented(api: ApiDoc, key: string, body: string, context: string): void {
  const doc = api.errors[key];
  assert.ok(doc, `${api.id}: error "${key}" is in the table`);
  if (api.format === 'text') {
    assert.ok(matchesDoc(doc, body), `${context}: "${body}" is documented as "${doc.reply}"`);
    return;
  }
  const parsed = JSON.parse(body) as { status?: unknown; message?: unknown };
  assert.equal(parsed.status, doc.status, `${context}: status (a string) in ${body}`);
  assert.equal(typeof parsed.message, 'string', `${context}: message in ${body}`);
  assert.ok(
    matchesDoc(doc, parsed.message as string),
    `${context}: message "${parsed.message}" vs "${doc.reply}"`,
  );
}

/** Documented failures a fresh account can provoke: [api, action, params, error key]. */
const SAMPLES: [ApiDoc['id'], string, Record<string, string>, string][] = [
  ['sms', 'getNumber', { service: '101', country: '61', type: '9' }, 'BAD_TYPE'],
  ['sms', 'getStatus', {}, 'BAD_ID'],
  ['sms', 'getStatus', { id: '999999999' }, 'NO_ACTIVATION'],
  ['sms', 'setStatus', { id: '999999999', status: '5' }, 'BAD_STATUS'],
  ['cheap', 'getStatus', {}, 'BAD_ID'],
  ['cheap', 'getStatus', { id: 'ORD_nothing_1' }, 'NO_ACTIVATION'],
  ['rental', 'rentNumber', { provider: '2' }, 'missingParam'],
  ['rental', 'renewRental', { rental_id: '999999', duration_hours: '720' }, 'rentalNotFound'],
  ['email', 'getEmailCode', {}, 'badRequest'],
  ['email', 'getEmailCode', { email_id: '999999999' }, 'notFound'],
];

/** Successful calls whose replies must have the documented example's shape: [api, action, params]. */
const SUCCESSES: [ApiDoc['id'], string, Record<string, string>][] = [
  ['sms', 'getNumber', { service: '101', country: '61', type: '1' }],
  ['cheap', 'buyNumber', { server: '1', type: '1' }],
  ['rental', 'getRentalCountries', { provider: '2' }],
  ['rental', 'getRentalPricing', { country_code: 'ca', provider: '2' }],
  ['rental', 'rentNumber', { country_code: 'ca', provider: '2', duration_hours: '720' }],
  ['rental', 'getMyRentals', {}],
  ['email', 'getEmailServices', { server: '1', domain: 'gmail.com' }],
  ['email', 'buyEmail', { server: '1', service_id: 'ig', domain: 'gmail.com' }],
];

/** The JSON type of every field of the documented example (and of the first element of its arrays) holds live. */
function assertSameJsonShape(documented: unknown, live: unknown, path: string): void {
  if (Array.isArray(documented)) {
    assert.ok(Array.isArray(live), `${path} is an array`);
    if (documented.length > 0 && live.length > 0) assertSameJsonShape(documented[0], live[0], `${path}[0]`);
    return;
  }
  if (documented !== null && typeof documented === 'object') {
    assert.ok(live !== null && typeof live === 'object' && !Array.isArray(live), `${path} is an object`);
    for (const [key, value] of Object.entries(documented)) {
      assert.ok(Object.hasOwn(live, key), `${path}.${key} is present`);
      assertSameJsonShape(value, (live as Record<string, unknown>)[key], `${path}.${key}`);
    }
    return;
  }
  assert.equal(
    typeof live,
    typeof documented,
    `${path}: ${JSON.stringify(live)} has the type of ${JSON.stringify(documented)}`,
  );
}

describeEachDatabase('API catalogue against the wire modules', (kind) => {
  let server: TestServer;
  let endpoints: WireEndpoint[];
  before(async () => {
    server = await startTestServer(kind);
    endpoints = customerEndpoints(server.ctx);
  });
  after(() => server.close());

  const docFor = (endpoint: WireEndpoint) => apiCatalog.find((api) => api.path === endpoint.path);

  it('documents every served endpoint and every action it serves', () => {
    assert.equal(endpoints.length > 0, true);
    for (const endpoint of endpoints) {
      const api = docFor(endpoint);
      assert.ok(api, `${endpoint.path} is in the catalogue`);
      const documented = new Set(api.actions.map((a) => a.name));
      for (const action of Object.keys(endpoint.actions)) {
        assert.ok(
          documented.has(action),
          `${endpoint.path} serves ${action}, which the docs do not describe`,
        );
      }
    }
  });

  it('marks on the docs pages exactly the documented actions this build does not serve', async (t) => {
    const missing: string[] = [];
    for (const api of apiCatalog) {
      const served = new Set(Object.keys(endpoints.find((e) => e.path === api.path)?.actions ?? {}));
      const page = await (await fetch(`${server.url}/docs/${api.id}`)).text();
      const marks = new Map(
        [...page.matchAll(/data-action-doc="(\w+)" data-served="([01])"/g)].map((m) => [m[1], m[2]]),
      );
      assert.deepEqual(
        [...marks.keys()],
        api.actions.map((a) => a.name),
        `${api.id}: every action has a section`,
      );
      for (const action of api.actions) {
        assert.equal(marks.get(action.name), served.has(action.name) ? '1' : '0', `${api.id}.${action.name}`);
        if (!served.has(action.name)) missing.push(`${api.id}.${action.name}`);
      }
    }
    t.diagnostic(
      missing.length
        ? `documented, not served yet: ${missing.join(', ')}`
        : 'every documented action is served',
    );
  });

  it('answers a bad key, a blocked account and an unknown action as documented', async () => {
    const { apiKey, id } = await server.newAccount(0);
    const blocked = await server.newAccount(0);
    await blockAccount(server.ctx.db, server.clock, blocked.id);
    server.ctx.auth.forget();
    for (const endpoint of endpoints) {
      const api = docFor(endpoint);
      assert.ok(api);
      const badKey = await server.get(endpoint.path, { api_key: 'og_nope', action: 'getBalance' });
      assertDocumented(api, api.common.badKey, badKey, `${api.id} bad key`);
      const noKey = await server.get(endpoint.path, { action: 'getBalance' });
      assertDocumented(api, api.common.badKey, noKey, `${api.id} no key`);
      const isBlocked = await server.get(endpoint.path, {
        api_key: blocked.apiKey,
        action: api.actions[0]?.name ?? '',
      });
      assertDocumented(api, api.common.blocked, isBlocked, `${api.id} blocked`);
      const unknown = await server.get(endpoint.path, { api_key: apiKey, action: 'noSuchAction' });
      assertDocumented(api, api.common.badAction, unknown, `${api.id} unknown action`);
      assert.ok(id > 0);
    }
  });

  it('documents the rate-limit and internal-error replies every endpoint can give', () => {
    for (const endpoint of endpoints) {
      const api = docFor(endpoint);
      assert.ok(api);
      for (const [key, wire] of [
        [api.common.rateLimited, endpoint.rateLimited()],
        [api.common.internalError, endpoint.internalError()],
      ] as const) {
        const body = wire.kind === 'text' ? wire.body : JSON.stringify(wire.body);
        assertDocumented(api, key, body, `${api.id} ${key}`);
      }
    }
  });

  it('answers getBalance exactly as the documented example', async () => {
    const { apiKey } = await server.newAccount(50_000);
    for (const endpoint of endpoints) {
      const api = docFor(endpoint);
      const action = api?.actions.find((a) => a.name === 'getBalance');
      if (!api || !action || !endpoint.actions.getBalance) continue;
      const reply = await server.get(endpoint.path, { api_key: apiKey, action: 'getBalance' });
      assert.equal(reply, action.replies[0]?.body, `${api.id} getBalance`);
    }
  });

  it('answers successful calls in the documented shape, field types included', async () => {
    const { apiKey } = await server.newAccount(10_000_000);
    for (const [apiId, actionName, params] of SUCCESSES) {
      const api = apiCatalog.find((a) => a.id === apiId);
      const action = api?.actions.find((a) => a.name === actionName);
      const reply = action?.replies[0];
      assert.ok(api && action && reply, `${apiId}.${actionName} is documented with a reply`);
      const live = await server.get(api.path, { api_key: apiKey, action: actionName, ...params });
      const context = `${apiId}.${actionName}: ${live}`;
      if (api.format === 'json') assertSameJsonShape(JSON.parse(reply.body), JSON.parse(live), context);
      else assert.match(live, new RegExp(reply.shape ?? `^${reply.body}$`), context);
    }
  });

  it('answers documented failures of served actions with the documented reply', async (t) => {
    const { apiKey } = await server.newAccount(0);
    let checked = 0;
    for (const [apiId, action, params, errorKey] of SAMPLES) {
      const api = apiCatalog.find((a) => a.id === apiId);
      const endpoint = endpoints.find((e) => e.path === api?.path);
      assert.ok(
        api?.actions.some((a) => a.name === action && a.errors.includes(errorKey)),
        `${apiId}.${action} documents ${errorKey}`,
      );
      if (!api || !endpoint?.actions[action]) continue;
      const reply = await server.get(api.path, { api_key: apiKey, action, ...params });
      assertDocumented(api, errorKey, reply, `${apiId}.${action} ${JSON.stringify(params)}`);
      checked += 1;
    }
    t.diagnostic(`${checked} of ${SAMPLES.length} samples ran against served actions`);
  });
});
