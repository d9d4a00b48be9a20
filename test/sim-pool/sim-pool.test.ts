import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { CLI_ACTOR } from '../../src/admin/audit.repository.js';
import { SIM_POOL_UPSTREAM } from '../../src/db/migrations/0201-sim-pool.js';
import type { SmsProvider } from '../../src/providers/types.js';
import { UpstreamError } from '../../src/providers/types.js';
import { ORPHAN_GRACE_MS } from '../../src/sim-pool/sim-pool-jobs.js';
import { addSim } from '../../src/sim-pool/sims.service.js';
import { signGatewayPayload } from '../../src/sim-pool/sms-gateway-signature.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { postSigned, smsReceivedEvent } from './gateway-client.js';

const SECRET = 'gateway-signing-key';

describeEachDatabase('own SIM pool: webhook and sim-pool upstream', (kind) => {
  let server: TestServer;
  let pool: SmsProvider;
  let device = 0;
  before(async () => {
    server = await startTestServer(kind, { env: { OTPGET_SIM_WEBHOOK_SECRET: SECRET } });
    const upstream = await server.ctx.db
      .selectFrom('upstreams')
      .select('id')
      .where('name', '=', SIM_POOL_UPSTREAM)
      .executeTakeFirstOrThrow();
    pool = await server.ctx.providers.sms(upstream.id);
  });
  after(() => server.close());

  /** A SIM on a device of its own, so tests do not see each other's SIMs through the gateway. */
  async function newSim(options: { enabled?: boolean } = {}) {
    device += 1;
    const deviceId = `${kind.name}-device-${device}`;
    const sim = await addSim(
      server.ctx.db,
      { actor: CLI_ACTOR, now: server.clock.now() },
      {
        phone: `92300${String(device).padStart(7, '0')}`,
        deviceId,
        simSlot: 1,
      },
    );
    if (options.enabled === false) {
      await server.ctx.db.updateTable('sims').set({ enabled: 0 }).where('id', '=', sim.id).execute();
    }
    return { sim, deviceId };
  }

  /** Takes every free SIM out of circulation so a test controls exactly which SIMs are free. */
  async function disableAllSims() {
    await server.ctx.db.updateTable('sims').set({ enabled: 0 }).execute();
  }

  const post = (body: unknown, options: Partial<Parameters<typeof postSigned>[2]> = {}) =>
    postSigned(server.url, body, { secret: SECRET, nowMs: server.clock.now(), ...options });

  async function storedCount(eventId: string): Promise<number> {
    const rows = await server.ctx.db
      .selectFrom('sim_messages')
      .select('id')
      .where('event_id', '=', eventId)
      .execute();
    return rows.length;
  }

  it('gives a signed SMS to the live order on its SIM, read back through getActivation', async () => {
    await disableAllSims();
    const { sim, deviceId } = await newSim();
    const bought = await pool.buyNumber({ country: '92', service: 'fb' });
    assert.equal(bought.phone, sim.phone);
    assert.deepEqual(await pool.getActivation(bought.upstreamOrderId), { state: 'waiting' });
    const text = 'Your Facebook code is 482913';
    const reply = await post(smsReceivedEvent({ id: `${kind.name}-ev-live`, deviceId, message: text }));
    assert.equal(reply.status, 200);
    assert.deepEqual(JSON.parse(reply.body), { status: 'stored' });
    const state = await pool.getActivation(bought.upstreamOrderId);
    assert.equal(state.state, 'received');
    assert.deepEqual(state.state === 'received' && state.messages.map((m) => [m.text, m.sender]), [
      [text, 'Facebook'],
    ]);
    // An upstream refuses to cancel a number whose SMS came; finishing frees the SIM.
    assert.equal(await pool.cancel(bought.upstreamOrderId), false);
    await pool.finish(bought.upstreamOrderId);
    assert.equal((await pool.getActivation(bought.upstreamOrderId)).state, 'finished');
    const again = await pool.buyNumber({ country: '92', service: 'fb' });
    assert.equal(again.phone, sim.phone);
    assert.notEqual(again.upstreamOrderId, bought.upstreamOrderId);
    assert.equal(await pool.cancel(again.upstreamOrderId), true);
    assert.equal(await pool.cancel(again.upstreamOrderId), true, 'a repeated cancel is still done');
  });

  it('refuses a bad, missing or stale signature with 401 and stores nothing', async () => {
    const { deviceId } = await newSim();
    const event = smsReceivedEvent({ id: `${kind.name}-ev-forged`, deviceId, message: 'code 111111' });
    const raw = JSON.stringify(event);
    const now = server.clock.now();
    const attempts = [
      await post(event, { secret: 'not-the-key' }),
      await post(event, { signature: '0'.repeat(64) }),
      await post(event, { omit: 'signature' }),
      await post(event, { omit: 'timestamp' }),
      await post(event, { timestamp: String(Math.floor(now / 1000) - 6 * 60) }),
      await post(event, { timestamp: 'yesterday' }),
      // Signed over other bytes than the ones sent.
      await post(`${raw} `, {
        signature: signGatewayPayload(SECRET, raw, String(Math.floor(now / 1000))),
      }),
    ];
    for (const attempt of attempts) assert.equal(attempt.status, 401, attempt.body);
    assert.equal(await storedCount(`${kind.name}-ev-forged`), 0);
    const good = await post(event);
    assert.equal(good.status, 200);
    assert.equal(await storedCount(`${kind.name}-ev-forged`), 1);
  });

  it('stores a redelivered event once and gives it to the order once', async () => {
    await disableAllSims();
    const { deviceId } = await newSim();
    const bought = await pool.buyNumber({ country: '92', service: 'fb' });
    const event = smsReceivedEvent({ id: `${kind.name}-ev-dup`, deviceId, message: 'G-123456 is your code' });
    const replies = [await post(event), await post(event), await post(event)];
    assert.deepEqual(
      replies.map((r) => [r.status, JSON.parse(r.body).status]),
      [
        [200, 'stored'],
        [200, 'duplicate'],
        [200, 'duplicate'],
      ],
    );
    assert.equal(await storedCount(`${kind.name}-ev-dup`), 1);
    const state = await pool.getActivation(bought.upstreamOrderId);
    assert.equal(state.state === 'received' && state.messages.length, 1);
    await pool.finish(bought.upstreamOrderId);
  });

  it('keeps an SMS for a free SIM, or an unknown device, and gives it to nobody', async () => {
    await disableAllSims();
    const { sim, deviceId } = await newSim();
    assert.equal(
      (await post(smsReceivedEvent({ id: `${kind.name}-ev-free`, deviceId, message: 'code 222222' }))).status,
      200,
    );
    assert.equal(
      (
        await post(
          smsReceivedEvent({
            id: `${kind.name}-ev-stranger`,
            deviceId: 'unknown-device',
            message: 'code 333333',
          }),
        )
      ).status,
      200,
    );
    const rows = await server.ctx.db
      .selectFrom('sim_messages')
      .select(['event_id', 'sim_id', 'sim_order_id', 'text'])
      .where('event_id', 'in', [`${kind.name}-ev-free`, `${kind.name}-ev-stranger`])
      .orderBy('id')
      .execute();
    assert.deepEqual(rows, [
      { event_id: `${kind.name}-ev-free`, sim_id: sim.id, sim_order_id: null, text: 'code 222222' },
      { event_id: `${kind.name}-ev-stranger`, sim_id: null, sim_order_id: null, text: 'code 333333' },
    ]);
    // The next buyer of that SIM does not inherit it.
    const bought = await pool.buyNumber({ country: '92', service: 'fb' });
    assert.equal(bought.phone, sim.phone);
    assert.deepEqual(await pool.getActivation(bought.upstreamOrderId), { state: 'waiting' });
    // Nor a late redelivery of an SMS the device received well before this order began.
    const stale = new Date(server.clock.now() - 10 * 60_000).toISOString();
    await post(
      smsReceivedEvent({ id: `${kind.name}-ev-late`, deviceId, message: 'code 444444', receivedAt: stale }),
    );
    assert.deepEqual(await pool.getActivation(bought.upstreamOrderId), { state: 'waiting' });
    assert.equal(await pool.cancel(bought.upstreamOrderId), true);
  });

  it('never gives one SIM to two concurrent buyers, and frees SIMs when orders end', async () => {
    await disableAllSims();
    const sims = [];
    for (let i = 0; i < 4; i++) sims.push((await newSim()).sim);
    const results = await Promise.allSettled(
      Array.from({ length: 24 }, () => pool.buyNumber({ country: '92', service: 'fb' })),
    );
    const won = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    const lost = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    assert.equal(won.length, 4);
    assert.deepEqual(new Set(won.map((w) => w.phone)), new Set(sims.map((s) => s.phone)));
    assert.equal(lost.length, 20);
    for (const reason of lost) assert.ok(reason instanceof UpstreamError && reason.kind === 'no_numbers');
    const live = await server.ctx.db
      .selectFrom('sim_orders')
      .select(['sim_id'])
      .where('state', '=', 'live')
      .where(
        'sim_id',
        'in',
        sims.map((s) => s.id),
      )
      .execute();
    assert.equal(live.length, 4);
    // Ending one order (cancelled here; finished works the same) frees exactly that SIM.
    const first = won[0];
    assert.ok(first);
    assert.equal(await pool.cancel(first.upstreamOrderId), true);
    const next = await pool.buyNumber({ country: '92', service: 'fb' });
    assert.equal(next.phone, first.phone);
    await assert.rejects(
      pool.buyNumber({ country: '92', service: 'fb' }),
      (e: unknown) => e instanceof UpstreamError && e.kind === 'no_numbers',
    );
    for (const w of [...won.slice(1), next]) await pool.finish(w.upstreamOrderId);
  });

  it('does not hand out disabled SIMs', async () => {
    await disableAllSims();
    await newSim({ enabled: false });
    await assert.rejects(pool.buyNumber({ country: '92', service: 'fb' }), /NO_NUMBERS/);
  });

  it('acknowledges other gateway events and refuses signed garbage with 400', async () => {
    const ping = await post({ deviceId: 'd', event: 'system:ping', id: 'p1', payload: { health: {} } });
    assert.equal(ping.status, 200);
    assert.deepEqual(JSON.parse(ping.body), { status: 'ignored', event: 'system:ping' });
    assert.equal((await post('{not json')).status, 400);
    assert.equal((await post({ event: 'sms:received', id: 'x' })).status, 400);
  });

  it('takes back a SIM whose hand-out no live order holds, after the grace period', async () => {
    await disableAllSims();
    const { sim } = await newSim();
    const orphan = await pool.buyNumber({ country: '92', service: 'fb' });
    assert.equal(orphan.phone, sim.phone);
    server.clock.advance(ORPHAN_GRACE_MS - 1);
    await server.runJobs();
    await assert.rejects(pool.buyNumber({ country: '92', service: 'fb' }), /NO_NUMBERS/);
    server.clock.advance(2);
    await server.runJobs();
    const next = await pool.buyNumber({ country: '92', service: 'fb' });
    assert.equal(next.phone, sim.phone);
    assert.deepEqual(await pool.getActivation(orphan.upstreamOrderId), { state: 'cancelled' });
    await pool.finish(next.upstreamOrderId);
  });
});

describeEachDatabase('own SIM pool: webhook without a secret', (kind) => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer(kind);
  });
  after(() => server.close());

  it('answers 503 and stores nothing while OTPGET_SIM_WEBHOOK_SECRET is unset', async () => {
    const reply = await postSigned(
      server.url,
      smsReceivedEvent({ id: 'no-secret', deviceId: 'd', message: 'x' }),
      {
        secret: '',
        nowMs: server.clock.now(),
      },
    );
    assert.equal(reply.status, 503);
    const rows = await server.ctx.db.selectFrom('sim_messages').select('id').execute();
    assert.equal(rows.length, 0);
  });
});
