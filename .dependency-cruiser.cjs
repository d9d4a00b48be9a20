/**
 * The layering of src/, checked by `npm run lint` (docs/ARCHITECTURE.md, "Layers", explains it).
 *
 *   composition  app.ts, server.ts, upstream-adapters.ts, sandbox-order-resolvers.ts, cli/,
 *                portal/, docs/ and the rest of admin/: name lines and wire them together
 *   product lines  the folders in LINES below
 *   core         the folders in CORE below, app-context.ts, config.ts and the console's order,
 *                overview and audit parts: never import a product line or the composition
 *
 * Type-only imports count everywhere: a cycle through types is still a cycle. Tests are not
 * checked: they may import across layers.
 */
const LINES = '^src/(activations|sms|cheap|rentals|emails|sim-pool|catalog)/';
const CORE = [
  '^src/(db|accounts|wallet|http|events|idempotency|metrics|workers|providers|orders|shared|pricing|otp|mail|webhooks)/',
  '^src/(app-context|config)\\.ts$',
  // The console's order search, timelines, refunds, overview figures and audit log.
  '^src/admin/(orders\\.repository|orders\\.service|overview-orders|overview\\.service|audit\\.repository)\\.ts$',
  '^src/admin/routes/(orders|overview)-routes\\.ts$',
];
// The Kysely schema type is the union of every table, so it names each feature's table types.
const SCHEMA = '^src/db/schema\\.ts$';
const TABLE_OWNERS = [LINES, '^src/portal/'];
const COMPOSITION = [
  '^src/(app|server|upstream-adapters|sandbox-order-resolvers)\\.ts$',
  '^src/(cli|portal|docs)/',
];

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'No import cycles, type-only imports included: move shared types to a leaf module.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-imports-no-line',
      comment:
        'The core iterates the product-line registry (orders/product-line.ts); it never imports a line.',
      severity: 'error',
      from: { path: CORE, pathNot: SCHEMA },
      to: { path: LINES },
    },
    {
      name: 'schema-names-only-line-table-types',
      comment:
        "db/schema.ts may name a line's table types (type-only imports of *-tables.ts) and nothing else of it.",
      severity: 'error',
      from: { path: SCHEMA },
      to: { path: TABLE_OWNERS, pathNot: '-tables\\.ts$' },
    },
    {
      name: 'schema-imports-line-types-only',
      severity: 'error',
      from: { path: SCHEMA },
      to: { path: TABLE_OWNERS, dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'core-imports-no-composition',
      comment:
        'Only the composition names everything; the core and the lines are composed, they do not compose.',
      severity: 'error',
      from: { path: [...CORE, LINES], pathNot: SCHEMA },
      // cli-support.ts is the toolkit of command groups (argument parsing, errors), lines' included.
      to: { path: COMPOSITION, pathNot: '^src/cli/cli-support\\.ts$' },
    },
    {
      name: 'migrations-are-frozen',
      comment:
        'Migrations import only Kysely and each other (helpers, seeds): live code changes, a migration must not.',
      severity: 'error',
      from: { path: '^src/db/migrations/' },
      to: { pathNot: ['^src/db/migrations/', '(^|/)node_modules/kysely/'] },
    },
    {
      name: 'wire-imports-no-repository',
      comment:
        'A customer wire module (*.wire.ts) words replies and calls services; it does not query the database. ' +
        'Naming a row type (type-only) is allowed.',
      severity: 'error',
      from: { path: '\\.wire\\.ts$' },
      to: { path: '\\.repository\\.ts$', dependencyTypesNot: ['type-only'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Tests (test/, and any *.test.ts) may import across layers.
    exclude: { path: '\\.test\\.ts$' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
