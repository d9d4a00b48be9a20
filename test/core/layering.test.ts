import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';

// The rules of .dependency-cruiser.cjs (run by `npm run lint`), checked on a small tree of
// probe files in a temporary directory: each forbidden import fails its rule, the allowed ones
// pass. Nothing is written into the project.

const ROOT = resolve(import.meta.dirname, '../..');
const DEPCRUISE = join(ROOT, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

const PROBES: Record<string, string> = {
  'src/rentals/rental-line.ts': 'export const rentalLine = 1;\n',
  'src/rentals/rentals.repository.ts': 'export const findRental = 1;\nexport type Rental = { id: number };\n',
  'src/rentals/rental-tables.ts': 'export type RentalsTable = { id: number };\n',
  'src/emails/email-catalog.ts': 'export const DEFAULT_SERVICES = [];\n',
  // Core importing a product line.
  'src/wallet/invariants.ts':
    "import { rentalLine } from '../rentals/rental-line.js';\nexport const x = rentalLine;\n",
  // A cycle through type-only imports.
  'src/http/wire.ts': "import type { B } from './wire-types.js';\nexport type A = B;\n",
  'src/http/wire-types.ts': "import type { A } from './wire.js';\nexport type B = { a?: A };\n",
  // A migration importing live code, and one importing only Kysely and its helpers (allowed).
  'src/db/migrations/0401-email-catalog.ts':
    "import { DEFAULT_SERVICES } from '../../emails/email-catalog.js';\nexport const m = DEFAULT_SERVICES;\n",
  'src/db/migrations/helpers.ts': 'export const withId = 1;\n',
  'src/db/migrations/0001-core.ts':
    "import { sql } from 'kysely';\nimport { withId } from './helpers.js';\nexport const m = [sql, withId];\n",
  // The schema may name a line's table types, and only those.
  'src/db/schema.ts':
    "import type { RentalsTable } from '../rentals/rental-tables.js';\nexport type Schema = { rentals: RentalsTable };\n",
  // A wire module querying a repository (forbidden), and one naming a row type (allowed).
  'src/rentals/rental-handler.wire.ts':
    "import { findRental } from './rentals.repository.js';\nexport const w = findRental;\n",
  'src/emails/email-handler.wire.ts':
    "import type { Rental } from '../rentals/rentals.repository.js';\nexport type W = Rental;\n",
  // The composition names lines (allowed); a line importing the composition is not.
  'src/app.ts':
    "import { rentalLine } from './rentals/rental-line.js';\nexport const lines = [rentalLine];\n",
  'src/emails/email-line.ts': "import { lines } from '../app.js';\nexport const e = lines;\n",
};

interface Violation {
  rule: string;
  from: string;
  to: string;
}

describe('layering rules (npm run lint)', () => {
  let dir: string;
  let status: number | null;
  let violations: Violation[];

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'otpget-layering-'));
    for (const [path, text] of Object.entries(PROBES)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), text);
    }
    copyFileSync(join(ROOT, '.dependency-cruiser.cjs'), join(dir, '.dependency-cruiser.cjs'));
    copyFileSync(join(ROOT, 'tsconfig.json'), join(dir, 'tsconfig.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const run = spawnSync(
      process.execPath,
      // The reporter `npm run lint` uses: its exit status is the number of errors.
      [DEPCRUISE, 'src', '--config', '.dependency-cruiser.cjs', '--output-type', 'err'],
      { cwd: dir, encoding: 'utf8' },
    );
    status = run.status;
    // "error <rule>: <from> → <to>" (a cycle goes on over more lines, from its first file).
    violations = [...run.stdout.matchAll(/error ([\w-]+): (\S+) →\s+(\S+)/g)].map((m) => ({
      rule: m[1] as string,
      from: m[2] as string,
      to: m[3] as string,
    }));
  });

  after(() => rmSync(dir, { recursive: true, force: true }));

  const found = (rule: string) =>
    violations.filter((v) => v.rule === rule).map((v) => `${v.from} -> ${v.to}`);

  it('fails (a non-zero exit, as CI sees it) when a rule is broken', () => {
    assert.equal(status, violations.length);
    assert.ok(violations.length > 0);
  });

  it('refuses a core module importing a product line', () => {
    assert.ok(
      found('core-imports-no-line').includes('src/wallet/invariants.ts -> src/rentals/rental-line.ts'),
    );
  });

  it('refuses an import cycle made of type-only imports', () => {
    const [cycle, ...others] = found('no-circular');
    assert.deepEqual(others, []);
    assert.ok(
      cycle === 'src/http/wire.ts -> src/http/wire-types.ts' ||
        cycle === 'src/http/wire-types.ts -> src/http/wire.ts',
      cycle,
    );
  });

  it('refuses a migration importing live code, and lets one import Kysely and its helpers', () => {
    assert.deepEqual(found('migrations-are-frozen'), [
      'src/db/migrations/0401-email-catalog.ts -> src/emails/email-catalog.ts',
    ]);
  });

  it('refuses a wire module calling a repository, not one naming its row type', () => {
    assert.deepEqual(found('wire-imports-no-repository'), [
      'src/rentals/rental-handler.wire.ts -> src/rentals/rentals.repository.ts',
    ]);
  });

  it('lets the composition name lines and the schema name their table types, and nothing else', () => {
    assert.deepEqual(found('core-imports-no-composition'), ['src/emails/email-line.ts -> src/app.ts']);
    assert.deepEqual(
      violations.filter((v) => v.from === 'src/app.ts' || v.from === 'src/db/schema.ts'),
      [],
    );
    // Each probe once, the live-importing migration twice (it is core too): nothing else failed.
    assert.equal(violations.length, 6);
  });
});
