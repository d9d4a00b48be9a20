/** Upstream economy: filled in once the SMS line lets a provider type use an SMS-Activate upstream. */
import type { BenchDatabase } from './databases.js';
import type { BenchOptions } from './options.js';
import type { ResultRow } from './report.js';

export async function runUpstreamEconomy(
  database: BenchDatabase,
  _options: BenchOptions,
): Promise<{ rows: ResultRow[]; details: Record<string, unknown> }> {
  const pending = (metric: string): ResultRow => ({
    part: 'economy',
    database: database.name,
    metric,
    value: null,
    unit: '',
    target: '-',
    ok: null,
    note: 'pending: no way yet to point a provider type at an SMS-Activate upstream',
  });
  return {
    rows: [pending('upstream requests per poll interval'), pending('SMS to STATUS_OK p99')],
    details: {},
  };
}
