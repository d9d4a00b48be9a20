import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { CLI_ACTOR } from '../../src/admin/audit.repository.js';
import { insertCheapServer } from '../../src/cheap/cheap-servers.repository.js';
import { SIM_POOL_UPSTREAM } from '../../src/db/migrations/0201-sim-pool.js';
import { listSims } from '../../src/sim-pool/sims.repository.js';
import { addSim } from '../../src/sim-pool/sims.service.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';
import { postSigned, smsReceivedEvent } from '../sim-pool/gateway-client.js';
import { balanceOf, cheap, ledgerProblems, parseBought } from './cheap-helpers.js';

const SECRET = 'sim-gateway-secret';
const SECOND = 1000;

describeEachDatabase('cheap numbers API on the own SIM pool', (kind) => {
  let server: TestServer;
  let buy: Record<string, string>;
  const devices = new Map<string, string>(); // phone → gateway deviceId

  before(async () => {
    server = await startTestServer(kind, { env: { OTPGET_SIM_WEBHOOK_SECRET: SECRET } });
    const pool = await server.ctx.db
      .selectFrom('upstreams')
      .select('id')
      .where('name', '=', SIM_POOL_UPSTREAM)
      .executeTakeFirstOrThrow();
    const serverId = await insertCheapServer(
      server.ctx.db,
      {
        type: 2,
        name: 'Pakistan - Own SIMs',
        serviceName: 'Pakistan Own SIMs',
        pricePaisa: 2_000,
        upstreamId: pool.id,
        upstreamCountry: '92',
        upstreamService: 'any',
        enabled: true,
      },
      server.clock.now(),
    );
    buy = { action: 'buyNumber', server: String(serverId), type: '2' };
    for (const [i, phone] of ['923001110001', '923001110002', '923001110003'].entries()) {
      const deviceId = `${kind.name}-phone-${i}`;
      await addSim(
        server.ctx.db,
        { actor: CLI_ACTOR, now: server.clock.now() },
        { phone, deviceId, simSlot: 1 },
      );
      devices.set(phone, deviceId);
    }
  });
  after(() => server.close());

  const sms = (phone: string, id: string, message: string) =>
    postSigned(
      server.url,
      smsReceivedEvent({
        id,
        deviceId: devices.get(phone) ?? '',
        message,
        receivedAt: new Date(server.clock.now()).toISOString(),
      }),
      {
        secret: SECRET,
        nowMs: server.clock.now(),
      },
    );

  async function freePhones(): Promise<string[]> {
    return (await listSims(server.ctx.db)).filter((s) => s.liveOrderId === null).map((s) => s.phone);
  }

  it('sells each SIM to one buyer at a time under concurrent purchases, and follows each order to its end', async () => {
    const customers = await Promise.all(Array.from({ length: 12 }, () => server.newAccount(2_000)));
    const replies = await Promise.all(customers.map((c) => cheap(server, c.apiKey, buy)));
    const sold = replies.flatMap((reply, i) =>
      reply.startsWith('ORD_') ? [{ ...parseBought(reply), customer: customers[i] }] : [],
    );
    assert.equal(sold.length, 3, replies.join(' | '));
    assert.deepEqual(new Set(sold.map((s) => s.phone)), new Set(devices.keys()));
    for (const s of sold) assert.equal(s.expiresIn, '900');
    for (const [i, reply] of replies.entries()) {
      const customer = customers[i];
      assert.ok(customer);
      if (reply.startsWith('ORD_')) continue;
      assert.equal(reply, 'NO_NUMBERS');
      assert.equal(await balanceOf(server, customer.id), 2_000, 'refunded when no SIM was free');
    }
    assert.deepEqual(await freePhones(), []);

    const [delivered, cancelled, expired] = sold;
    assert.ok(delivered?.customer && cancelled?.customer && expired?.customer);

    // An SMS on the first SIM becomes that order's code; completing the order frees the SIM.
    assert.equal((await sms(delivered.phone, `${kind.name}-1`, 'Your Facebook code is 730412')).status, 200);
    server.clock.advance(3 * SECOND);
    await server.runJobs();
    const key = (s: typeof delivered) => s.customer?.apiKey ?? '';
    assert.equal(
      await cheap(server, key(delivered), { action: 'getStatus', id: delivered.orderId }),
      'STATUS_OK:730412',
    );
    for (const other of [cancelled, expired]) {
      assert.equal(
        await cheap(server, key(other), { action: 'getStatus', id: other.orderId }),
        'STATUS_WAIT_CODE',
      );
    }
    assert.equal(
      await cheap(server, key(delivered), { action: 'setStatus', id: delivered.orderId, status: '6' }),
      'ACCESS_FINISH',
    );
    assert.deepEqual(await freePhones(), [delivered.phone]);

    // The freed SIM is sold again; an SMS meant for the finished order does not reach the new one.
    const next = await server.newAccount(2_000);
    const again = parseBought(await cheap(server, next.apiKey, buy));
    assert.equal(again.phone, delivered.phone);
    assert.equal((await sms(delivered.phone, `${kind.name}-1`, 'Your Facebook code is 730412')).status, 200);
    server.clock.advance(3 * SECOND);
    await server.runJobs();
    assert.equal(
      await cheap(server, next.apiKey, { action: 'getStatus', id: again.orderId }),
      'STATUS_WAIT_CODE',
    );

    // Live orders keep their SIMs whatever time passes before they end.
    server.clock.advance(6 * 60 * SECOND);
    await server.runJobs();
    assert.deepEqual(await freePhones(), []);

    // A cancel after the lock refunds and frees the second SIM.
    server.clock.advance(SECOND);
    assert.equal(
      await cheap(server, key(cancelled), { action: 'setStatus', id: cancelled.orderId, status: '8' }),
      'ACCESS_READY',
    );
    assert.equal(await balanceOf(server, cancelled.customer.id), 2_000);
    assert.deepEqual(await freePhones(), [cancelled.phone]);

    // An SMS on a free SIM is kept for the operator and given to nobody.
    assert.equal((await sms(cancelled.phone, `${kind.name}-2`, 'Your code is 999000')).status, 200);
    const stray = await server.ctx.db
      .selectFrom('sim_messages')
      .select(['sim_id', 'sim_order_id'])
      .where('event_id', '=', `${kind.name}-2`)
      .executeTakeFirstOrThrow();
    assert.equal(stray.sim_order_id, null);
    assert.notEqual(stray.sim_id, null);

    // Expiry without a code refunds and frees the third SIM (and the re-sold first one).
    server.clock.advance(540 * SECOND);
    await server.runJobs();
    assert.equal(
      await cheap(server, key(expired), { action: 'getStatus', id: expired.orderId }),
      'STATUS_CANCEL',
    );
    assert.equal(
      await cheap(server, next.apiKey, { action: 'getStatus', id: again.orderId }),
      'STATUS_CANCEL',
    );
    assert.equal(await balanceOf(server, expired.customer.id), 2_000);
    assert.equal(await balanceOf(server, next.id), 2_000);
    assert.deepEqual((await freePhones()).sort(), [...devices.keys()].sort());
    assert.equal(await balanceOf(server, delivered.customer.id), 0, 'the delivered number stays paid');
    assert.deepEqual(await ledgerProblems(server), []);
  });
});
