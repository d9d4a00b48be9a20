import { writeAudit } from '../admin/audit.repository.js';
import { systemClock } from '../shared/clock.js';
import { cliActor } from './cli-context.js';
import { withDatabase } from './cli-support.js';

/**
 * How each mutating CLI command reaches the audit log:
 * - `service`: it calls a console service that takes the actor and writes the audit row inside
 *   the change's own transaction (accounts, prices, top-ups, operators, orders, upstreams);
 * - `after`: it calls a product line's service that runs its own transaction without an audit
 *   hook, so `runCli` writes the row right after the command succeeded. A crash between the two
 *   can lose that row (never the change); its `after` holds the command's arguments, secrets masked.
 * Read-only commands are listed too, so a new subcommand must be placed in one list or the other
 * (test/admin/cli-audit.test.ts checks every subcommand the CLI dispatches is listed).
 */
export const MUTATING_CLI_COMMANDS: Record<string, Record<string, 'service' | 'after'>> = {
  account: {
    create: 'service',
    credit: 'service',
    debit: 'service',
    block: 'service',
    unblock: 'service',
    'rotate-key': 'service',
    invite: 'service',
  },
  price: { rate: 'service', markup: 'service' },
  topup: { approve: 'service', reject: 'service' },
  operator: { create: 'service', 'set-password': 'service', disable: 'service', enable: 'service' },
  order: { refund: 'service' },
  upstream: { add: 'service', configure: 'service', enable: 'service', disable: 'service' },
  provider: { set: 'after', enable: 'after', disable: 'after' },
  catalog: { country: 'after', service: 'after', offer: 'after', sync: 'after' },
  rental: { server: 'after', enable: 'after', disable: 'after', country: 'after', price: 'after' },
  email: { server: 'after', connect: 'after', price: 'after', service: 'after' },
  cheap: { add: 'after', set: 'after' },
  sim: { add: 'after', enable: 'after', disable: 'after', remove: 'after' },
  sandbox: { deliver: 'after' },
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

/** Options whose values never go into the audit log. */
const SECRET_OPTIONS = new Set(['--key', '--api-key', '--password', '--token', '--secret']);

/** The command's arguments with secret option values masked (`--key X` and `--key=X`). */
export function maskedArguments(args: string[]): string[] {
  return args.map((arg, i) => {
    const previous = args[i - 1];
    if (previous !== undefined && SECRET_OPTIONS.has(previous)) return '***';
    const eq = arg.indexOf('=');
    if (eq > 0 && SECRET_OPTIONS.has(arg.slice(0, eq))) return `${arg.slice(0, eq)}=***`;
    return arg;
  });
}

/**
 * Writes the audit row of a successful `after`-audited command: action `<command>.<subcommand>`,
 * target `<command>:<first argument>`.
 */
export async function auditCliCommandAfter(name: string, args: string[]): Promise<void> {
  const [sub, ...rest] = args;
  if (sub === undefined || MUTATING_CLI_COMMANDS[name]?.[sub] !== 'after') return;
  const subject = rest[0] !== undefined && !rest[0].startsWith('--') ? rest[0] : '-';
  await withDatabase((database) =>
    writeAudit(database.db, {
      actor: cliActor(),
      action: `${name}.${sub}`,
      target: `${name}:${subject}`,
      before: null,
      after: { args: maskedArguments(rest) },
      now: systemClock.now(),
    }),
  );
}
