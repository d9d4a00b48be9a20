import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import { buyActivation } from '../../src/activations/activations.service.js';
import { submitTopupRequest } from '../../src/admin/topups.service.js';
import { configureProviderUpstream } from '../../src/catalog/catalog-admin.js';
import { MUTATING_CLI_COMMANDS, READ_ONLY_CLI_COMMANDS } from '../../src/cli/cli-audit.js';
import type { Command } from '../../src/cli/cli-support.js';
import { commands } from '../../src/cli/main.js';
import { setExchangeRateMicros } from '../../src/pricing/pricing.repository.js';
import { findUpstreamByName, insertUpstream } from '../../src/providers/upstreams.repository.js';
import { updateRentalServer } from '../../src/rentals/catalog.repository.js';
import { serveFromUpstream } from '../emails/email-test-support.js';
import { startFakeKopeechka } from '../fakes/email-fakes.js';
import { startFakeSmsActivate } from '../fakes/sms-activate-fake.js';
import {
  AUDIT_REFUSAL,
  acceptAuditRows,
  changes,
  refuseAuditRows,
  snapshot,
} from '../helpers/audit-refusal.js';
import { runOtpgetInProcess } from '../helpers/cli.js';
import { describeEachDatabase } from '../helpers/databases.js';
import { startTestServer, type TestServer } from '../helpers/test-server.js';

const root = join(import.meta.dirname, '..', '..');
/** Where each hand-written command (not a command group) dispatches its subcommands. */
const SOURCES: Record<string, string> = {
  ledger: 'src/cli/ledger-commands.ts',
  sandbox: 'src/cli/sandbox-commands.ts',
  price: 'src/cli/catalog-commands.ts',
};

/**
 * Subcommand names a group dispatches on: a command group names them itself; the few hand-written
 * commands are read from their source (`sub === 'x'`).
 */
function dispatched(group: string): Set<string> {
  const command = commands[group] as Command & { subcommands?: readonly string[] };
  if (command.subcommands) return new Set(command.subcommands);
  assert.ok(SOURCES[group], `the test knows where "${group}" dispatches`);
  const source = readFileSync(join(root, SOURCES[group] as string), 'utf8');
  const section = group === 'price' ? source.slice(source.indexOf('export const priceCommand')) : source;
  const names = new Set<string>();
  for (const m of section.matchAll(/sub [!=]== '([a-z-]+)'/g)) {
    names.add(m[1] as string);
  }
  return names;
}

it('lists every subcommand of every command group as mutating or read-only', () => {
  for (const group of Object.keys(commands)) {
    if (group === 'serve' || group === 'migrate') continue;
    const listed = new Set([
      ...(MUTATING_CLI_COMMANDS[group] ?? []),
      ...(READ_ONLY_CLI_COMMANDS[group] ?? []),
    ]);
    assert.deepEqual([...dispatched(group)].sort(), [...listed].sort(), group);
  }
});

describeEachDatabase('CLI audit log', (kind) => {
  let server: TestServer;
  let env: Record<string, string>;
  before(async () => {
    server = await startTestServer(kind);
    env = { DATABASE_URL: server.ctx.config.databaseUrl };
  });
  after(() => server.close());

  it("every mutating CLI command writes its audit row, naming the CLI user, in the change's own transaction", async () => {
    const db = server.ctx.db;
    // `catalog import 5` reads a scripted SMS-Activate upstream's catalogue.
    const fake = await startFakeSmsActivate();
    after(() => fake.close());
    fake.setCountryName('0', 'Pakistan');
    fake.setPrice('0', 'tg', '0.5');
    await configureProviderUpstream(
      db,
      5,
      { protocol: 'sms-activate', baseUrl: fake.url, apiKey: fake.apiKey, currency: 'USD', timeoutMs: 5_000 },
      server.clock.now(),
    );
    // `rental import 1` reads the same scripted upstream's rent catalogue (16: United Kingdom).
    fake.setRentOffer('16', 'full', { costPerHour: '0.01', stock: 3 });
    const rentUpstream = await insertUpstream(
      db,
      {
        name: 'rent-audit-import',
        kind: 'rental',
        protocol: 'sms-activate',
        baseUrl: fake.url,
        apiKey: fake.apiKey,
        currency: 'USD',
        timeoutMs: 5_000,
      },
      server.clock.now(),
    );
    await updateRentalServer(db, 1, { upstreamId: rentUpstream }, server.clock.now());
    // `email import 1` reads a scripted kopeechka upstream's domains.
    const mail = await startFakeKopeechka();
    after(() => mail.close());
    await serveFromUpstream(server, 1, {
      name: 'kopeechka-audit-import',
      protocol: 'kopeechka',
      baseUrl: mail.url,
      apiKey: mail.token,
    });
    await setExchangeRateMicros(db, 'USD', 280_000_000, server.clock.now());
    const customer = await server.newAccount(50_000);
    const id = String(customer.id);
    const sandbox = await findUpstreamByName(db, 'sandbox-sms');
    assert.ok(sandbox);
    const buy = async () => {
      const bought = await buyActivation(server.ctx, customer.id, {
        line: 'sms',
        routes: [
          {
            upstreamId: sandbox.id,
            upstreamCountry: '92',
            upstreamService: 'Telegram',
          },
        ],
        pricePaisa: 1_000,
        ttlSeconds: 1_200,
        catalogRef: 'type:1/country:61/service:101',
      });
      if (bought.kind !== 'ok') throw new Error(bought.kind);
      return bought.activation;
    };
    const refundable = await buy();
    const delivered = await buy();
    const topup = async (reference: string) =>
      String(
        (
          await submitTopupRequest(db, server.clock, {
            accountId: customer.id,
            amount: 1_000,
            method: 'bank',
            paymentReference: reference,
            note: null,
          })
        ).id,
      );
    const approve = await topup('AUDIT-1');
    const reject = await topup('AUDIT-2');

    const invocations: Record<string, string[][]> = {
      account: [
        ['create', '--name', 'Audited', '--balance', '10'],
        ['credit', id, '50', '--reference', 'audit-credit'],
        ['debit', id, '10'],
        ['block', id],
        ['unblock', id],
        ['rotate-key', id],
        ['invite', id, '--email', 'invited@example.com'],
      ],
      price: [
        ['rate', 'EUR', '300'],
        ['markup', 'sms:type:2', '15'],
      ],
      topup: [
        ['approve', approve],
        ['reject', reject],
      ],
      operator: [
        ['create', 'audited@example.com'],
        ['set-password', 'audited@example.com'],
        ['disable', 'audited@example.com'],
        ['enable', 'audited@example.com'],
      ],
      order: [['refund', `sms/${refundable.id}`, '--reason', 'audit test']],
      upstream: [
        ['add', '--kind', 'sms', '--name', 'audited-up', '--protocol', 'sandbox'],
        ['configure', 'audited-up', '--timeout-ms', '5000'],
        ['disable', 'audited-up'],
        ['enable', 'audited-up'],
        ['push-url', 'audited-up'],
      ],
      provider: [
        ['set', '6', '--protocol', 'sandbox', '--key', 'PROVIDER-SECRET'],
        ['route', '6', 'sandbox-sms', '--policy', 'cheapest'],
        ['disable', '6'],
        ['enable', '6'],
      ],
      catalog: [
        ['country', '901', 'Auditland'],
        ['service', '9001', 'Auditgram'],
        [
          'offer',
          '1',
          '901',
          '9001',
          '--upstream-country',
          '99',
          '--upstream-service',
          'au',
          '--price',
          '45',
        ],
        ['sync'],
        ['import', '5', '--countries', '0'],
      ],
      rental: [
        ['server', '1', '--name', 'Server One'],
        ['disable', '1'],
        ['enable', '1'],
        ['country', '1', 'de', '--name', 'Germany', '--upstream-country', '49'],
        ['price', '1', 'de', '24', '--price', '99'],
        ['import', '1', '--countries', '16', '--durations', '24'],
      ],
      email: [
        ['server', '2', '--enable'],
        ['price', '2', 'gmx.com', '2.50', '--stock', '10'],
        ['service', 'ig', '--site', 'mail.instagram.com'],
        ['import', '1', '--services', 'ig'],
        ['connect', '2', '--protocol', 'kopeechka', '--api-key', 'EMAIL-SECRET', '--name', 'kopeechka-audit'],
      ],
      cheap: [
        ['add', '--type', '1', '--name', 'Audited', '--price', '10', '--upstream', 'sandbox-sms'],
        ['set', '1', '--price', '12'],
      ],
      sim: [
        ['add', '+923001112233', '--label', 'audit'],
        ['disable', '+923001112233'],
        ['enable', '+923001112233'],
        ['remove', '+923001112233'],
      ],
      sandbox: [['deliver', delivered.publicId, 'Telegram code 12345']],
    };

    assert.deepEqual(
      Object.entries(invocations)
        .flatMap(([group, calls]) => calls.map((c) => `${group} ${c[0]}`))
        .sort(),
      Object.entries(MUTATING_CLI_COMMANDS)
        .flatMap(([group, subs]) => subs.map((sub) => `${group} ${sub}`))
        .sort(),
      'one invocation per mutating command',
    );

    for (const [group, calls] of Object.entries(invocations)) {
      for (const args of calls) {
        const command = `otpget ${group} ${args.join(' ')}`;
        // First with the audit row refused: the command fails on it, and its change is gone too.
        await refuseAuditRows(server);
        const unchanged = await snapshot(server);
        const refused = await runOtpgetInProcess([group, ...args], env);
        await acceptAuditRows(server);
        assert.notEqual(refused.code, 0, `${command} fails when its audit row cannot be written`);
        assert.ok(
          refused.stderr.includes(AUDIT_REFUSAL),
          `${command} failed on its audit row: ${refused.stderr}`,
        );
        assert.deepEqual(
          changes(unchanged, await snapshot(server)),
          {},
          `${command}: no change without its audit row`,
        );

        // Then for real: the change and its row.
        const last = await db.selectFrom('audit_log').select('id').orderBy('id', 'desc').executeTakeFirst();
        const result = await runOtpgetInProcess([group, ...args], env);
        assert.equal(result.code, 0, `${command}: ${result.stderr}`);
        const rows = await db
          .selectFrom('audit_log')
          .select(['actor', 'action', 'before_json', 'after_json'])
          .where('id', '>', last?.id ?? 0)
          .execute();
        assert.ok(rows.length >= 1, `${command} wrote an audit row`);
        for (const row of rows) {
          assert.match(row.actor, /^cli:.+/, `${command}: actor`);
          assert.doesNotMatch(`${row.before_json} ${row.after_json}`, /SECRET/, `${command}: no secret`);
        }
      }
    }
  });
});
