import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { Actor, AuditStamp } from '../admin/audit.repository.js';
import { ConfigError, loadConfig } from '../config.js';
import { type Database, openDatabase } from '../db/database.js';
import { migrateToLatest } from '../db/migrate.js';
import { systemClock } from '../shared/clock.js';

/** A wrong command line: printed with the command's usage, exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** A command that ran but could not do what was asked (unknown account, duplicate reference): exit code 1. */
export class CommandError extends Error {
  override name = 'CommandError';
}

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  /**
   * Where long work (a catalogue import, a ledger check) says how far it is. A terminal shows one
   * line rewritten in place; a pipe or log gets each as its own line on stderr, so stdout stays
   * the command's result (--json included). Absent, progress is not shown.
   */
  progress?(line: string): void;
}

/** Reports "step i/n" progress no more often than every `everyMs` (and always at the last step). */
export function progressReporter(
  io: CliIo,
  label: string,
  everyMs = 500,
): (done: number, total: number, detail?: string) => void {
  let last = 0;
  return (done, total, detail) => {
    const now = Date.now();
    if (done < total && now - last < everyMs) return;
    last = now;
    io.progress?.(`${label}: ${done}/${total}${detail ? ` ${detail}` : ''}`);
  };
}

export type Command = (args: string[], io: CliIo) => Promise<number>;

type Refusal = abstract new (...args: never[]) => Error;

/** A command made of subcommands, which it names (the audit table and `help` list them). */
export type CommandGroup = Command & { readonly subcommands: readonly string[] };

/**
 * `otpget <name> <subcommand> …`: runs the named subcommand. A missing one prints the group's
 * usage, an unknown one names itself first; both are usage errors (exit code 2). Errors of the
 * `refusals` classes (a service's refusal worded for the operator) become the command's failure.
 */
export function commandGroup(
  name: string,
  usage: string,
  subcommands: Record<string, Command>,
  refusals: ReadonlyArray<Refusal> = [],
): CommandGroup {
  const command: Command = async ([sub, ...rest], io) => {
    const run = sub !== undefined && Object.hasOwn(subcommands, sub) ? subcommands[sub] : undefined;
    if (!run)
      throw new UsageError(
        `${sub ? `unknown ${name} command "${sub}"` : `otpget ${name} needs a command`}\n${usage}`,
      );
    return refusedAs(refusals, () => run(rest, io));
  };
  return Object.assign(command, { subcommands: Object.keys(subcommands) });
}

/**
 * Runs a service call, turning the refusals it names (errors whose message is written for the
 * operator) into the command's failure: exit code 1 with that message.
 */
export async function refusedAs<T>(refusals: ReadonlyArray<Refusal>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (refusals.some((refusal) => error instanceof refusal)) {
      throw new CommandError((error as Error).message);
    }
    throw error;
  }
}

/** Parses options strictly: an unknown flag or a missing value is a usage error, not a guess. */
export function parseCommandArgs<T extends Record<string, { type: 'string' | 'boolean' }>>(
  args: string[],
  options: T,
) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Opens the configured database, brought up to date, for the duration of `work`. */
export async function withDatabase<T>(work: (database: Database) => Promise<T>): Promise<T> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) throw new CommandError(error.message);
    throw error;
  }
  const database = openDatabase(config.databaseUrl, { poolSize: 2 });
  try {
    await migrateToLatest(database);
    return await work(database);
  } finally {
    await database.close();
  }
}

export function parseAccountId(text: string | undefined): number {
  if (text === undefined) throw new UsageError('an account id is required');
  if (!/^\d{1,15}$/.test(text)) throw new UsageError(`account id must be a whole number, got "${text}"`);
  return Number(text);
}

/**
 * Who the audit log names for a change made with the CLI: `cli:<os user>`. The CLI runs on the
 * server with database access, so the operating-system account is the most precise name there is.
 */
export function cliActor(): Actor {
  let user = process.env.USER ?? process.env.LOGNAME ?? 'unknown';
  try {
    user = userInfo().username || user;
  } catch {
    // No passwd entry (some containers): keep the environment's name.
  }
  return { operatorId: null, name: `cli:${user}` };
}

/** The CLI user, now: what an operator service takes to audit the change it makes. */
export function cliStamp(): AuditStamp {
  return { actor: cliActor(), now: systemClock.now() };
}
