/**
 * Catalogue import: `otpget catalog import 2` against a scripted SMS-Activate-protocol upstream
 * (test/fakes/sms-activate-fake.ts, in this process on 127.0.0.1) publishing 150 countries × 40
 * services, timed as the whole command an operator runs (process start, upstream calls, the one
 * transaction); then a re-import after the upstream changed every cost and dropped a country.
 * Target: each under 10 s. The test suite checks what the import writes, not how fast.
 */
import { startFakeSmsActivate } from '../test/fakes/sms-activate-fake.js';
import type { BenchDatabase } from './databases.js';
import type { ResultRow } from './report.js';
import { runOtpget, seedAccounts } from './seed.js';

const COUNTRIES = 150;
const SERVICES = 40;
const TYPE = '2';
const TARGET_SECONDS = 10;

const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

export async function runCatalogueImport(
  database: BenchDatabase,
): Promise<{ rows: ResultRow[]; details: Record<string, unknown> }> {
  const fake = await startFakeSmsActivate({ balance: '1000' });
  try {
    const codes = Array.from({ length: SERVICES }, (_, i) => `s${i}`);
    for (let c = 0; c < COUNTRIES; c++) {
      fake.setCountryName(String(c), `Upland ${c}`);
      for (const [i, code] of codes.entries()) {
        fake.setPrice(String(c), code, `0.${String(10 + i).padStart(2, '0')}`);
        fake.setStock(String(c), code, 100 + i);
      }
    }
    for (const code of codes) fake.setServiceName(code, `Service ${code}`);
    await seedAccounts(database.url, 0, 0); // migrates
    await otpget(database, [
      'provider',
      'set',
      TYPE,
      '--protocol',
      'sms-activate',
      '--url',
      fake.url,
      '--key',
      fake.apiKey,
    ]);

    log(`${database.name} import: ${COUNTRIES} countries × ${SERVICES} services`);
    const first = await otpget(database, ['catalog', 'import', TYPE]);
    for (let c = 0; c < COUNTRIES; c++) for (const code of codes) fake.setPrice(String(c), code, '0.50');
    for (const code of codes) fake.removeOffer(String(COUNTRIES - 1), code);
    log(`${database.name} import: again, every cost changed and one country dropped`);
    const again = await otpget(database, ['catalog', 'import', TYPE]);
    const row = (metric: string, seconds: number): ResultRow => ({
      part: 'import',
      database: database.name,
      metric,
      value: Number(seconds.toFixed(2)),
      unit: 's',
      target: `< ${TARGET_SECONDS}`,
      ok: seconds < TARGET_SECONDS,
    });
    return {
      rows: [
        row(`first import, ${COUNTRIES * SERVICES} offers`, first.seconds),
        row('re-import, all costs changed', again.seconds),
      ],
      details: { first: first.stdout.trim(), again: again.stdout.trim() },
    };
  } finally {
    await fake.close();
  }
}

async function otpget(database: BenchDatabase, args: string[]) {
  const result = await runOtpget(database.url, args);
  if (result.code !== 0) throw new Error(`otpget ${args.slice(0, 2).join(' ')}: ${result.stderr.trim()}`);
  return result;
}
