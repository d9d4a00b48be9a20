import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cheapCommand } from '../../src/cheap/cheap-commands.js';
import { UsageError } from '../../src/cli/cli-support.js';
import { runCli } from '../../src/cli/main.js';
import { openDatabase } from '../../src/db/database.js';
import { listUpstreams } from '../../src/providers/upstreams.repository.js';
import { runOtpget } from '../helpers/cli.js';
import { describeEachDatabase } from '../helpers/databases.js';

const io = { out: () => {}, err: () => {} };

/** `otpget cheap …` in this process (the command reads DATABASE_URL as the CLI does). */
async function cheap(args: string[], url: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const lines = { out: [] as string[], err: [] as string[] };
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = url;
  try {
    const code = await runCli(['cheap', ...args], {
      out: (l) => lines.out.push(l),
      err: (l) => lines.err.push(l),
    });
    return { code, stdout: lines.out.join('\n'), stderr: lines.err.join('\n') };
  } finally {
    if (previous === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previous;
  }
}

describe('otpget cheap: arguments', () => {
  it('refuses a wrong command line before touching the database', async () => {
    const base = ['--type', '1', '--name', 'X', '--price', '5', '--upstream', 'sim-pool'];
    for (const args of [
      [],
      ['nope'],
      ['add', '--name', 'X', '--price', '5', '--upstream', 'sim-pool'],
      ['add', ...base, '--type', '3'],
      ['add', ...base, '--price', 'abc'],
      ['add', ...base, '--price', '-1'],
      ['add', ...base, '--price', '1.234'],
      ['add', ...base, '--enable', '--disable'],
      ['add', ...base, '--name', ''],
      ['set'],
      ['set', 'x', '--price', '5'],
      ['set', '1', '--price', 'free'],
    ]) {
      await assert.rejects(cheapCommand(args, io), UsageError, args.join(' '));
    }
  });
});

describeEachDatabase('otpget cheap', (kind) => {
  let env: Record<string, string>;
  let url: string;
  let drop: () => Promise<void>;
  before(async () => {
    const database = await kind.create();
    url = database.url;
    env = { DATABASE_URL: url };
    drop = database.drop;
  });
  after(() => drop());

  it('adds a server fed by the SIM pool, changes it, and lists every server', async () => {
    const added = await cheap(
      [
        'add',
        '--type',
        '2',
        '--name',
        'Pakistan - Own SIMs',
        '--price',
        '20',
        '--upstream',
        'sim-pool',
        '--json',
      ],
      url,
    );
    assert.equal(added.code, 0, added.stderr);
    const { id } = JSON.parse(added.stdout) as { id: number };
    const changed = await cheap(
      ['set', String(id), '--price', '25.50', '--service-name', 'Own SIMs', '--disable'],
      url,
    );
    assert.equal(changed.code, 0, changed.stderr);
    const unknown = await cheap(['set', String(id), '--upstream', 'nowhere'], url);
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /no SMS upstream named "nowhere"/);
    // An upstream named by its id, as `otpget upstream list` shows it.
    const opened = openDatabase(url);
    const simPool = (await listUpstreams(opened.db)).find((u) => u.name === 'sim-pool');
    await opened.close();
    assert.ok(simPool);
    const byId = await cheap(['set', String(id), '--upstream', String(simPool.id)], url);
    assert.equal(byId.code, 0, byId.stderr);
    // The real `otpget` command, in a child process.
    const listed = await runOtpget(['cheap', 'list', '--json'], env);
    assert.equal(listed.code, 0, listed.stderr);
    const rows = listed.stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            id: number;
            type: number;
            name: string;
            serviceName: string;
            price: string;
            upstream: string;
            enabled: boolean;
          },
      );
    assert.deepEqual(
      rows.map((r) => [r.id, r.type, r.name, r.serviceName, r.price, r.upstream, r.enabled]),
      [
        [1, 1, 'Random Facebook - Free', 'Random Facebook - Free', '0.00', 'sandbox-sms', true],
        [2, 1, 'Pakistan - Server 2', 'Pakistan Server 2', '50.00', 'sandbox-sms', true],
        [id, 2, 'Pakistan - Own SIMs', 'Own SIMs', '25.50', 'sim-pool', false],
      ],
    );
  });
});
