/**
 * Every CLI subcommand, mutating or read-only. A mutating command calls an operator service that
 * takes the CLI user as the actor and writes the audit row inside the change's own transaction,
 * so the change and its row commit together or not at all (there is no audit written after the
 * fact). A new subcommand must be placed in one list or the other: test/admin/cli-audit.test.ts
 * checks every subcommand the CLI dispatches is listed, that each mutating one writes its row,
 * and that a row which cannot be written takes its change with it.
 */
export const MUTATING_CLI_COMMANDS: Record<string, string[]> = {
  account: ['create', 'credit', 'debit', 'block', 'unblock', 'rotate-key', 'invite'],
  price: ['rate', 'markup'],
  topup: ['approve', 'reject'],
  operator: ['create', 'set-password', 'disable', 'enable'],
  order: ['refund'],
  upstream: ['add', 'configure', 'enable', 'disable', 'push-url'],
  provider: ['set', 'route', 'enable', 'disable'],
  catalog: ['country', 'service', 'offer', 'sync', 'import'],
  rental: ['server', 'enable', 'disable', 'country', 'price', 'import'],
  email: ['server', 'connect', 'price', 'service', 'import'],
  cheap: ['add', 'set'],
  sim: ['add', 'enable', 'disable', 'remove'],
  sandbox: ['deliver'],
};

export const READ_ONLY_CLI_COMMANDS: Record<string, string[]> = {
  account: ['list', 'reset-requests'],
  ledger: ['check'],
  topup: ['list'],
  operator: ['list'],
  order: ['find', 'show'],
  upstream: ['list', 'show', 'check'],
  provider: ['list', 'check'],
  catalog: ['list'],
  rental: ['servers', 'prices', 'list'],
  email: ['servers', 'prices'],
  cheap: ['list'],
  sim: ['list', 'messages'],
};
