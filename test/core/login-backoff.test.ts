import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { CLI_ACTOR } from '../../src/admin/audit.repository.js';
import { createOperator } from '../../src/admin/operators.service.js';
import { LOGIN_BACKOFF, lockDurationMs } from '../../src/shared/login-backoff.js';
import { hashPassword } from '../../src/shared/passwords.js';
import { adminCall } from '../admin/admin-client.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, TEST_PASSWORD_COST, type TestServer } from '../helpers/test-server.js';
import { nextLoginWindow, PortalClient } from '../portal/portal-client.js';

const RIGHT = 'the right password';
const WRONG = 'not the password';
const OLD_COST = { N: 16_384, r: 8, p: 1 };

it('locks from the sixth failure, doubling from one minute up to an hour', () => {
  assert.equal(LOGIN_BACKOFF.freeFailures, 5);
  assert.deepEqual([1, 4, 5, 6, 7, 10].map(lockDurationMs), [0, 0, 60_000, 120_000, 240_000, 1_920_000]);
  assert.equal(lockDurationMs(11), 3_600_000);
  assert.equal(lockDurationMs(500), 3_600_000);
});

describeEachDatabase('login backoff per account and rehash on login', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind);
  });
  after(() => server.close());

  /** A portal login attempt: status and the problem shown (waits out the per-address limit). */
  async function portalLogin(email: string, password: string): Promise<{ status: number; problem: string }> {
    const client = new PortalClient(server.url);
    await client.get('/login');
    let reply = await client.post('/login', { email, password });
    if (reply.status === 429) {
      await nextLoginWindow();
      reply = await client.post('/login', { email, password });
    }
    const problem = /<div class="alert error" role="alert"><ul><li>([^<]*)</.exec(reply.body)?.[1] ?? '';
    return { status: reply.status, problem };
  }

  async function failPortal(email: string, times: number): Promise<void> {
    for (let i = 0; i < times; i++) assert.equal((await portalLogin(email, WRONG)).status, 400);
  }

  it('refuses a customer email after five failures, even with the right password, for longer each time', async () => {
    await new PortalClient(server.url).signUp('locked@example.com', RIGHT);
    await failPortal('locked@example.com', 5);
    const wrong = await portalLogin('locked@example.com', WRONG);
    const locked = await portalLogin('locked@example.com', RIGHT);
    assert.deepEqual(locked, wrong, 'the same refusal as a wrong password');
    assert.match(locked.problem, /That email and password do not match\./);
    server.clock.advance(61_000);
    await failPortal('locked@example.com', 1);
    server.clock.advance(61_000);
    assert.equal(
      (await portalLogin('locked@example.com', RIGHT)).status,
      400,
      'the sixth failure locked 2 minutes',
    );
    server.clock.advance(60_000);
    assert.equal((await portalLogin('locked@example.com', RIGHT)).status, 303);
    // The success forgot the failures: four more do not lock.
    await failPortal('locked@example.com', 4);
    assert.equal((await portalLogin('locked@example.com', RIGHT)).status, 303);
  });

  it('backs off an unknown email the same way, so a lock does not tell that an address is registered', async () => {
    await new PortalClient(server.url).signUp('known@example.com', RIGHT);
    await failPortal('known@example.com', 5);
    await failPortal('unknown@example.com', 5);
    const known = await portalLogin('known@example.com', RIGHT);
    const unknown = await portalLogin('unknown@example.com', RIGHT);
    assert.deepEqual(known, unknown);
    server.clock.advance(LOGIN_BACKOFF.firstLockMs + 1_000);
    assert.equal((await portalLogin('known@example.com', RIGHT)).status, 303);
  });

  it('backs off an operator email after five failures with the same 401', async () => {
    const email = 'op-locked@example.com';
    await createOperator(server.ctx.db, server.clock, { email, password: RIGHT, actor: CLI_ACTOR });
    const replies = [];
    for (let i = 0; i < 6; i++)
      replies.push(await adminCall(server, null, 'POST', '/login', { email, password: WRONG }));
    await nextLoginWindow();
    const locked = await adminCall(server, null, 'POST', '/login', { email, password: RIGHT });
    assert.equal(locked.status, 401);
    assert.deepEqual(locked.body, replies[0]?.body);
    assert.match(String(locked.body.error), /wrong email or password/);
    server.clock.advance(lockDurationMs(6) + 1_000);
    assert.equal((await adminCall(server, null, 'POST', '/login', { email, password: RIGHT })).status, 200);
  });

  it('rehashes an old-cost customer hash at the next successful login, and still logs in after', async () => {
    await new PortalClient(server.url).signUp('oldhash@example.com', RIGHT);
    const old = await hashPassword(RIGHT, OLD_COST);
    await server.ctx.db
      .updateTable('customer_logins')
      .set({ password_hash: old })
      .where('email', '=', 'oldhash@example.com')
      .execute();
    await nextLoginWindow();
    assert.equal((await portalLogin('oldhash@example.com', WRONG)).status, 400);
    const stored = async () =>
      (
        await server.ctx.db
          .selectFrom('customer_logins')
          .select('password_hash')
          .where('email', '=', 'oldhash@example.com')
          .executeTakeFirstOrThrow()
      ).password_hash;
    assert.equal(await stored(), old, 'a failed login changes nothing');
    assert.equal((await portalLogin('oldhash@example.com', RIGHT)).status, 303);
    assert.match(await stored(), new RegExp(`^scrypt\\$${TEST_PASSWORD_COST.N}\\$8\\$1\\$`));
    assert.equal((await portalLogin('oldhash@example.com', RIGHT)).status, 303);
  });

  it('rehashes an old-cost operator hash at the next successful login', async () => {
    const email = 'op-oldhash@example.com';
    await createOperator(server.ctx.db, server.clock, { email, password: RIGHT, actor: CLI_ACTOR });
    const old = await hashPassword(RIGHT, OLD_COST);
    await server.ctx.db
      .updateTable('operator_users')
      .set({ password_hash: old })
      .where('email', '=', email)
      .execute();
    await nextLoginWindow();
    assert.equal((await adminCall(server, null, 'POST', '/login', { email, password: RIGHT })).status, 200);
    const row = await server.ctx.db
      .selectFrom('operator_users')
      .select('password_hash')
      .where('email', '=', email)
      .executeTakeFirstOrThrow();
    assert.match(row.password_hash, new RegExp(`^scrypt\\$${TEST_PASSWORD_COST.N}\\$`));
    assert.equal((await adminCall(server, null, 'POST', '/login', { email, password: RIGHT })).status, 200);
  });
});
