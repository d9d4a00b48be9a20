/**
 * Benchmark results: rows of the printed table, and bench/results/latest.json for comparing runs.
 */

import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { PartName } from './options.js';
import { ROOT } from './server-process.js';

/** One figure: what was measured, its value, its target and whether the target was met (null: no target or not comparable). */
export interface ResultRow {
  part: PartName;
  database: string;
  metric: string;
  value: number | null;
  unit: string;
  target: string;
  ok: boolean | null;
  note?: string;
}

export interface BenchReport {
  startedAt: string;
  finishedAt: string;
  quick: boolean;
  machine: { nproc: number; cpu: string; memoryBytes: number; node: string; platform: string };
  /** The commit measured and whether the working tree had other changes (they are compiled in too). */
  commit: string;
  dirtyFiles: number;
  /** 1-minute load average before and after: other work on the machine competes with the benchmark. */
  loadAverage: { start: number; end: number };
  rows: ResultRow[];
  /** Free-form details per part and database: raw load-generator results, ledger output, … */
  details: Record<string, unknown>;
  notes: string[];
}

export function machineInfo(): BenchReport['machine'] {
  return {
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    memoryBytes: totalmem(),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
  };
}

function formatValue(row: ResultRow): string {
  if (row.value === null) return 'pending';
  const digits = Math.abs(row.value) >= 100 || Number.isInteger(row.value) ? 0 : 2;
  const text = row.value.toLocaleString('en-US', {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  });
  return row.unit ? `${text} ${row.unit}` : text;
}

/** The table as fixed-width text (also pasted into docs/PERFORMANCE.md). */
export function formatTable(rows: ResultRow[]): string {
  const header = ['part', 'db', 'metric', 'value', 'target', 'met'];
  const body = rows.map((r) => [
    r.part,
    r.database,
    r.metric,
    formatValue(r),
    r.target,
    r.ok === null ? '-' : r.ok ? 'yes' : 'NO',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((cells) => (cells[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  const notes = rows.filter((r) => r.note).map((r) => `  * ${r.part}/${r.database} ${r.metric}: ${r.note}`);
  return [
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...body.map(line),
    ...(notes.length ? ['', ...notes] : []),
  ].join('\n');
}

export function writeReport(report: BenchReport, file = 'latest.json'): string {
  const dir = join(ROOT, 'bench/results');
  mkdirSync(dir, { recursive: true });
  const path = join(dir, file);
  writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`);
  return path;
}

/** HEAD and the number of changed or untracked files (the build compiles the working tree). */
export function gitState(): { commit: string; dirtyFiles: number } {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
    }).trim();
    const status = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' });
    return { commit, dirtyFiles: status.split('\n').filter((l) => l.trim() !== '').length };
  } catch {
    return { commit: 'unknown', dirtyFiles: -1 };
  }
}
