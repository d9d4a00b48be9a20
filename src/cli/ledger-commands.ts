import { productLines } from '../app.js';
import { ledgerInvariants } from '../wallet/invariants.js';
import { runInvariantChecks } from '../wallet/ledger-check.js';
import { type Command, parseCommandArgs, progressReporter, UsageError, withDatabase } from './cli-support.js';

export const LEDGER_USAGE = `otpget ledger check [--json]   verify every balance equals its ledger and every order's money is settled; exit 1 on any problem`;

export const ledgerCommand: Command = async (args, io) => {
  const [sub, ...rest] = args;
  if (sub !== 'check') throw new UsageError(LEDGER_USAGE);
  const { values } = parseCommandArgs(rest, { json: { type: 'boolean' } });
  const invariantChecks = ledgerInvariants(productLines());
  const report = progressReporter(io, 'ledger check: invariants checked');
  const problems = await withDatabase(({ db }) => runInvariantChecks(db, invariantChecks, report));
  if (values.json) io.out(JSON.stringify({ ok: problems.length === 0, problems }));
  else if (problems.length === 0) io.out(`ledger check: clean (${invariantChecks.length} invariants)`);
  else {
    io.err(`ledger check: ${problems.length} problem(s)`);
    for (const p of problems) io.err(`  - ${p.message}`);
  }
  return problems.length === 0 ? 0 : 1;
};
