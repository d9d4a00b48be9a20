import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { UsageError } from '../../src/cli/cli-support.js';
import { runCli } from '../../src/cli/main.js';
import { openDatabase } from '../../src/db/database.js';
import { simCommand } from '../../src/sim-pool/sim-commands.js';
import { runOtpget } from '../helpers/cli.js';
import { describeEachDatabase } from '../helpers/databases.js';

const io = { out: () => {}, err: () => {} };

/**
 * Runs `otpget sim …` in this process against the database (the command reads DATABASE_URL as the
 * CLI does), with exit codes as runCli gives them; one real child process per suite shows the wiring.
 */
async function sim(args: string[], url: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const lines = { out: [] as string[], err: [] as string[] };
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = url;
  try {
    const code = await runCli(['sim', ...args], {
      out: (l) => lines.out.push(l),
      err: (l) => lines.err.push(l),
    });
    return { code, stdout: lines.out.join('\n'), stderr: lines.err.join('\n') };
  } finally {
    if (previous === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = previous;
  }
}

describe('otpget sim: arguments', () => {
  it('refuses a wrong command line before touching the database', async () => {
    for (const args of [
      [],
      ['nope'],
      ['add'],
      ['add', '923001234567', '--slot', 'x'],
      ['add', '1', '2'],
      ['remove'],
      ['list', 'x'],
    ]) {
      await assert.rejects(simCommand(args, io), UsageError, args.join(' '));
    }
  });
});

describeEachDatabase('otpget sim', (kind) => {
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

  it('adds, refuses a duplicate, disables, lists and removes SIMs', async () => {
    const added = await sim(
      ['add', '+92 300 1234567', '--label', 'Jazz 1', '--device', 'pixel', '--slot', '1', '--json'],
      url,
    );
    assert.equal(added.code, 0, added.stderr);
    const card = JSON.parse(added.stdout) as { id: number; phone: string; simSlot: number; label: string };
    assert.deepEqual([card.phone, card.simSlot, card.label], ['923001234567', 1, 'Jazz 1']);
    assert.equal((await sim(['add', '923009999999', '--device', 'pixel', '--slot', '2'], url)).code, 0);
    const duplicate = await sim(['add', '923001234567', '--device', 'other'], url);
    assert.equal(duplicate.code, 1);
    assert.match(duplicate.stderr, /already in the pool/);
    assert.equal((await sim(['disable', String(card.id)], url)).code, 0);
    // The real `otpget` command, in a child process.
    const listed = await runOtpget(['sim', 'list', '--json'], env);
    assert.equal(listed.code, 0, listed.stderr);
    const rows = listed.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { phone: string; enabled: boolean; liveOrderId: number | null });
    assert.deepEqual(
      rows.map((r) => [r.phone, r.enabled, r.liveOrderId]),
      [
        ['923001234567', false, null],
        ['923009999999', true, null],
      ],
    );
    const removed = await sim(['remove', '+92 300 9999999'], url);
    assert.equal(removed.code, 0, removed.stderr);
    const database = openDatabase(url, { poolSize: 1 });
    try {
      const phones = await database.db.selectFrom('sims').select('phone').execute();
      assert.deepEqual(
        phones.map((p) => p.phone),
        ['923001234567'],
      );
    } finally {
      await database.close();
    }
  });
});
