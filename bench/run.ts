/**
 * `npm run bench`: builds otpget, then for each database (SQLite, PostgreSQL) starts the real
 * server as a child process and measures purchases, status polls, upstream economy and memory;
 * prints a table and writes bench/results/latest.json. See docs/PERFORMANCE.md.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { runCatalogueImport } from './catalogue-import.js';
import { runCustomerLoad } from './customer-load.js';
import { type BenchDatabase, type BenchDatabaseName, createBenchDatabase } from './databases.js';
import { parseOptions, USAGE } from './options.js';
import { formatSummary, summariseProfile } from './profile-summary.js';
import {
  type BenchReport,
  formatTable,
  gitState,
  machineInfo,
  type ResultRow,
  writeReport,
} from './report.js';
import { ROOT } from './server-process.js';
import { runUpstreamEconomy } from './upstream-economy.js';

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  if (options === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!options.noBuild) {
    log('npm run build');
    const build = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
    if (build.status !== 0) log('build reported errors; benchmarking whatever dist/ holds');
  }
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    finishedAt: '',
    quick: options.quick,
    machine: machineInfo(),
    ...gitState(),
    loadAverage: { start: loadavg()[0] ?? 0, end: 0 },
    rows: [],
    details: {},
    notes: [
      `load generator: ${options.loadGenerator} for status polls and purchases (with wrk the orders are read back from the database), ${options.connections} connections in its own process, on the same ${machineInfo().nproc}-core machine as the server`,
    ],
  };
  const stamp = report.startedAt.replace(/[:.]/g, '-');
  for (const name of options.databases) {
    const database = await createBenchDatabase(name);
    const profileDir = options.profile ? join(ROOT, 'bench/results/profiles', `${stamp}-${name}`) : null;
    try {
      if (options.parts.some((p) => p !== 'economy' && p !== 'import')) {
        const outcome = await runCustomerLoad(database, options, profileDir);
        report.rows.push(...outcome.rows);
        report.details[name] = outcome.details;
      }
    } catch (error) {
      log(`${name}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      report.notes.push(`${name}: failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      await database.drop();
    }
    if (options.parts.includes('economy')) {
      await onFreshDatabase(report, name, 'economy', (db) => runUpstreamEconomy(db, options));
    }
    if (options.parts.includes('import')) {
      await onFreshDatabase(report, name, 'import', runCatalogueImport);
    }
    if (profileDir) report.details[`${name}-profiles`] = summariseProfiles(profileDir);
  }
  report.finishedAt = new Date().toISOString();
  report.loadAverage.end = loadavg()[0] ?? 0;
  report.notes.push(
    `commit ${report.commit}${report.dirtyFiles > 0 ? ` + ${report.dirtyFiles} uncommitted files in the tree` : ''}; load average ${report.loadAverage.start.toFixed(1)} at start, ${report.loadAverage.end.toFixed(1)} at end`,
  );
  const path = writeReport(report, options.output);
  const table = formatTable(report.rows);
  process.stdout.write(`\n${table}\n\n${report.notes.map((n) => `note: ${n}`).join('\n')}\n`);
  process.stdout.write(`results: ${path}\n`);
  const missed = report.rows.filter((r: ResultRow) => r.ok === false);
  process.stdout.write(
    `targets missed: ${missed.length ? missed.map((r) => `${r.part}/${r.database} ${r.metric}`).join('; ') : 'none'}\n`,
  );
  return 0;
}

/** Runs one part on a database of its own, dropped afterwards; a failure becomes a note, not the end of the run. */
async function onFreshDatabase(
  report: BenchReport,
  name: BenchDatabaseName,
  part: string,
  run: (database: BenchDatabase) => Promise<{ rows: ResultRow[]; details: Record<string, unknown> }>,
): Promise<void> {
  const database = await createBenchDatabase(name);
  try {
    const outcome = await run(database);
    report.rows.push(...outcome.rows);
    report.details[`${name}-${part}`] = outcome.details;
  } catch (error) {
    log(`${name} ${part}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    report.notes.push(`${name} ${part}: failed: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await database.drop();
  }
}

function summariseProfiles(dir: string): string[] {
  const summaries: string[] = [];
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.cpuprofile'))) {
    const text = `${join(dir, file)}\n${formatSummary(summariseProfile(join(dir, file), 20))}`;
    process.stdout.write(`\nprofile ${text}\n`);
    summaries.push(text);
  }
  return summaries;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 2;
  },
);
