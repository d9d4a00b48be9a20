import assert from 'node:assert/strict';
import { after, before, it } from 'node:test';
import { findAccount } from '../../src/accounts/accounts.repository.js';
import { buyActivation } from '../../src/activations/activations.service.js';
import { findUpstreamByName } from '../../src/providers/upstreams.repository.js';
import { runOtpgetInProcess } from '../helpers/cli.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

describeEachDatabase('otpget order and otpget upstream', (kind) => {
  let server: TestServer;
  let env: Record<string, string>;
  const otpget = (...args: string[]) => runOtpgetInProcess(args, env);

  before(async () => {
    server = await startTestServer(kind);
    env = { DATABASE_URL: server.ctx.config.databaseUrl };
  });
  after(() => server.close());

  const audits = (action: string) =>
    server.ctx.db
      .selectFrom('audit_log')
      .select(['actor', 'target'])
      .where('action', '=', action)
      .orderBy('id')
      .execute();

  it('finds an order, shows its timeline with upstream calls and refunds it once with a reason', async () => {
    const customer = await server.newAccount(10_000);
    const sandbox = await findUpstreamByName(server.ctx.db, 'sandbox-sms');
    assert.ok(sandbox);
    const bought = await buyActivation(server.ctx, customer.id, {
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
    });
    if (bought.kind !== 'ok') throw new Error(bought.kind);
    const order = bought.activation;
    await server.ctx.upstreamCalls.flush();

    for (const query of [[order.publicId], [`+${order.phone}`], ['--account', String(customer.id)]]) {
      const found = await otpget('order', 'find', ...query);
      assert.equal(found.code, 0, found.stderr);
      assert.match(
        found.stdout,
        new RegExp(
          `^sms/${order.id}\\t${order.publicId}\\taccount ${customer.id}\\tactive\\t45\\.00 PKR`,
          'm',
        ),
      );
    }
    assert.equal((await otpget('order', 'find')).code, 2);

    const shown = await otpget('order', 'show', `sms/${order.id}`);
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /\tordered\t/);
    assert.match(shown.stdout, /\tupstream buyNumber\tok in \d+ ms at sandbox-sms/);
    assert.equal((await otpget('order', 'show', 'sms/999999')).code, 1);

    const noReason = await otpget('order', 'refund', `sms/${order.id}`);
    assert.equal(noReason.code, 2);
    assert.match(noReason.stderr, /--reason is required/);
    const refunded = await otpget('order', 'refund', order.publicId, '--reason', 'customer asked by phone');
    assert.equal(refunded.code, 0, refunded.stderr);
    assert.match(refunded.stdout, /refunded 45\.00 PKR to account \d+; order sms\/\d+ is cancelled/);
    assert.equal((await findAccount(server.ctx.db, customer.id))?.balance, 10_000);
    const again = await otpget('order', 'refund', `sms/${order.id}`, '--reason', 'twice');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already cancelled/);
    const [audit] = await audits('order.refund');
    assert.equal(audit?.target, `order:sms:${order.id}`);
    assert.match(String(audit?.actor), /^cli:.+/);
  });

  it('lists, configures, disables, enables, checks and shows upstreams, never printing a key', async () => {
    const configured = await otpget(
      'upstream',
      'configure',
      'sandbox-email',
      '--timeout-ms',
      '7000',
      '--key',
      'SECRET-KEY-9876',
    );
    assert.equal(configured.code, 0, configured.stderr);
    const listed = await otpget('upstream', 'list');
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, /\temail\tsandbox-email\tsandbox\tenabled\t.*key …9876\t7000 ms/);
    assert.doesNotMatch(listed.stdout, /SECRET-KEY/);

    assert.equal((await otpget('upstream', 'disable', 'sandbox-email')).code, 0);
    const customer = await server.newAccount(100_000);
    server.clock.advance(3_000); // the registry re-reads upstream rows every 2 s
    const refused = await server.getJson<{ status: string }>('/stubs/email_handler.php', {
      api_key: customer.apiKey,
      action: 'buyEmail',
      service_id: 'ig',
    });
    assert.equal(refused.status, '503', JSON.stringify(refused));
    assert.equal((await otpget('upstream', 'enable', 'sandbox-email')).code, 0);
    assert.deepEqual(
      (await audits('upstream.disable')).map((a) => a.actor.startsWith('cli:')),
      [true],
    );

    const checked = await otpget('upstream', 'check', 'sandbox-email');
    assert.equal(checked.code, 0, checked.stderr);
    assert.match(checked.stdout, /^getDomains ok in \d+ ms/);
    const unchecked = await otpget('upstream', 'check', 'sandbox-sms');
    assert.equal(unchecked.code, 1);
    assert.match(unchecked.stderr, /this protocol offers no read-only check/);
    const shown = await otpget('upstream', 'show', 'sandbox-sms');
    assert.equal(shown.code, 0, shown.stderr);
    assert.match(shown.stdout, /\tbuyNumber\tactivation:\d+\tok\t/);

    const added = await otpget(
      'upstream',
      'add',
      '--kind',
      'sms',
      '--name',
      'spare',
      '--protocol',
      'sandbox',
    );
    assert.equal(added.code, 0, added.stderr);
    assert.equal(
      (await otpget('upstream', 'add', '--kind', 'sms', '--name', 'spare', '--protocol', 'sandbox')).code,
      1,
    );
    assert.equal((await otpget('upstream', 'show', 'no-such-upstream')).code, 1);
    assert.equal((await otpget('upstream', 'configure', 'spare')).code, 2);
  });

  it('issues a push URL once, shows only that push is on, and turns it off', async () => {
    const off = await otpget('upstream', 'show', 'sandbox-sms');
    assert.match(off.stdout, /push: off \(otpget upstream push-url \d+/);
    const issued = await otpget('upstream', 'push-url', 'sandbox-sms');
    assert.equal(issued.code, 0, issued.stderr);
    const match = /^http:\/\/[^/]+\/webhooks\/upstream\/(\d+)\/([A-Za-z0-9_-]{32})\n$/.exec(issued.stdout);
    assert.ok(match, issued.stdout);
    const token = match[2] as string;
    assert.match(issued.stderr, /shown only now/);
    // Stored hashed: the token is nowhere in the row or the audit log, and show does not print it.
    const row = await server.ctx.db
      .selectFrom('upstreams')
      .selectAll()
      .where('id', '=', Number(match[1]))
      .executeTakeFirstOrThrow();
    assert.ok(row.push_token_hash && !JSON.stringify(row).includes(token));
    const audit = await server.ctx.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'upstream.push_token')
      .execute();
    assert.equal(audit.length, 1);
    assert.ok(!JSON.stringify(audit).includes(token));
    const on = await otpget('upstream', 'show', 'sandbox-sms');
    assert.match(on.stdout, /push: on since \d{4}-.*\/webhooks\/upstream\/\d+\/<token>/);
    assert.ok(!on.stdout.includes(token));
    assert.ok(
      !(await otpget('upstream', 'show', 'sandbox-sms', '--json')).stdout.includes('push_token_hash'),
    );

    const revoked = await otpget('upstream', 'push-url', 'sandbox-sms', '--off');
    assert.equal(revoked.code, 0, revoked.stderr);
    assert.match((await otpget('upstream', 'show', 'sandbox-sms')).stdout, /push: off/);
    assert.equal(
      (await otpget('upstream', 'push-url', 'sandbox-email')).code,
      1,
      'email upstreams do not push',
    );
  });
});
