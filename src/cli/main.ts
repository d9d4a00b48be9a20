#!/usr/bin/env node
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHEAP_USAGE, cheapCommand } from '../cheap/cheap-commands.js';
import { ConfigError, loadConfig } from '../config.js';
import { migrateToLatest } from '../db/migrate.js';
import { startServer } from '../server.js';
import { SIM_USAGE, simCommand } from '../sim-pool/sim-commands.js';
import { ACCOUNT_USAGE, accountCommand } from './account-commands.js';
import { CATALOG_USAGE, catalogCommand, PRICE_USAGE, priceCommand } from './catalog-commands.js';
import { type CliIo, type Command, CommandError, UsageError, withDatabase } from './cli-support.js';
import { EMAIL_USAGE, emailCommand } from './email-commands.js';
import { LEDGER_USAGE, ledgerCommand } from './ledger-commands.js';
import { OPERATOR_USAGE, operatorCommand } from './operator-commands.js';
import { ORDER_USAGE, orderCommand } from './order-commands.js';
import { PROVIDER_USAGE, providerCommand } from './provider-commands.js';
import { RENTAL_USAGE, rentalCommand } from './rental-commands.js';
import { SANDBOX_USAGE, sandboxCommand } from './sandbox-commands.js';
import { TOPUP_USAGE, topupCommand } from './topup-commands.js';
import { UPSTREAM_USAGE, upstreamCommand } from './upstream-commands.js';

/** Each command's usage lines, by name: `otpget help <command>` prints one. */
const USAGES: Record<string, string> = {
  serve: '  serve                start the HTTP server and background worker',
  migrate: '  migrate              bring the database schema up to date',
  account: ACCOUNT_USAGE,
  ledger: LEDGER_USAGE,
  rental: RENTAL_USAGE,
  sandbox: SANDBOX_USAGE,
  provider: PROVIDER_USAGE,
  catalog: CATALOG_USAGE,
  price: PRICE_USAGE,
  operator: OPERATOR_USAGE,
  topup: TOPUP_USAGE,
  order: ORDER_USAGE,
  upstream: UPSTREAM_USAGE,
  email: EMAIL_USAGE,
  sim: SIM_USAGE,
  cheap: CHEAP_USAGE,
};

const USAGE = `Usage: otpget <command>   (otpget help <command> for one; otpget --version)
${Object.values(USAGES).join('\n')}

Configuration comes from the environment (PORT, HOST, DATABASE_URL, LOG_LEVEL, OTPGET_*); see README.md.`;

/** The installed version: the nearest package.json above this file (src/cli or dist/src/cli). */
function version(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
  }
  return 'unknown';
}

/** The command a mistyped name was most likely meant as: a shared prefix of three, or one edit away. */
function nearest(name: string): string | undefined {
  return Object.keys(USAGES).find(
    (known) => known.startsWith(name.slice(0, 3)) || editDistanceAtMostOne(known, name),
  );
}

function editDistanceAtMostOne(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  const rest = (x: string, skip: number) => x.slice(i + skip);
  return rest(a, 1) === rest(b, 1) || rest(a, 1) === rest(b, 0) || rest(a, 0) === rest(b, 1) || a === b;
}

const serve: Command = async (_args, io) => {
  const config = loadConfig();
  const server = await startServer(config);
  io.out(`otpget listening on ${server.url} (database: ${server.ctx.database.dialect})`);
  io.out(`create a customer: npx otpget account create --balance 500`);
  const shutdown = () => {
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return new Promise<number>(() => {});
};

const migrate: Command = async (_args, io) => {
  const applied = await withDatabase(async (database) => migrateToLatest(database));
  io.out(applied.length ? `applied ${applied.join(', ')}` : 'schema is up to date');
  return 0;
};

/** Every command, by name. Product lines add theirs here. */
export const commands: Record<string, Command> = {
  serve,
  migrate,
  account: accountCommand,
  ledger: ledgerCommand,
  sandbox: sandboxCommand,
  rental: rentalCommand,
  provider: providerCommand,
  catalog: catalogCommand,
  price: priceCommand,
  operator: operatorCommand,
  topup: topupCommand,
  order: orderCommand,
  upstream: upstreamCommand,
  email: emailCommand,
  sim: simCommand,
  cheap: cheapCommand,
};

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--version' || name === '-v' || name === 'version') {
    io.out(`otpget ${version()}`);
    return 0;
  }
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    const topic = name === 'help' ? args[0] : undefined;
    if (topic === undefined) {
      io.out(USAGE);
      return name ? 0 : 2;
    }
    if (!Object.hasOwn(USAGES, topic)) return unknownCommand(topic, io);
    io.out(`Usage:\n${USAGES[topic]}`);
    return 0;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) return unknownCommand(name, io);
  try {
    return await command(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}`);
      // The group's usage is part of most usage errors; a one-liner (a bad flag) gets the pointer.
      if (!error.message.includes('\n')) io.err(`see: otpget help ${name}`);
      return 2;
    }
    if (error instanceof CommandError || error instanceof ConfigError) {
      io.err(`error: ${error.message}`);
      return 1;
    }
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

function unknownCommand(name: string, io: CliIo): number {
  const guess = nearest(name);
  io.err(`unknown command "${name}"${guess ? `: did you mean "${guess}"?` : ''} (otpget help lists them)`);
  return 2;
}

const isEntryPoint =
  process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntryPoint || process.env.OTPGET_CLI_ENTRY === '1') {
  const io = terminalIo();
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}

/**
 * stdout and stderr as the CLI writes them. On a terminal, progress is one stderr line rewritten
 * in place and cleared before any other output; elsewhere each progress line is a line of stderr.
 */
function terminalIo(): CliIo {
  const inPlace = process.stderr.isTTY === true;
  let showing = false;
  const clear = () => {
    if (showing) process.stderr.write('\r\x1b[2K');
    showing = false;
  };
  return {
    out: (l) => {
      clear();
      process.stdout.write(`${l}\n`);
    },
    err: (l) => {
      clear();
      process.stderr.write(`${l}\n`);
    },
    progress: (l) => {
      if (!inPlace) {
        process.stderr.write(`${l}\n`);
        return;
      }
      process.stderr.write(`\r\x1b[2K${l}`);
      showing = true;
    },
  };
}
