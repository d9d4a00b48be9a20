#!/usr/bin/env node
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

const USAGE = `Usage: otpget <command>
  serve                start the HTTP server and background worker
  migrate              bring the database schema up to date
${ACCOUNT_USAGE}
${LEDGER_USAGE}
${RENTAL_USAGE}
${SANDBOX_USAGE}
${PROVIDER_USAGE}
${CATALOG_USAGE}
${PRICE_USAGE}
${OPERATOR_USAGE}
${TOPUP_USAGE}
${ORDER_USAGE}
${UPSTREAM_USAGE}
${EMAIL_USAGE}
${SIM_USAGE}
${CHEAP_USAGE}

Configuration comes from the environment (PORT, HOST, DATABASE_URL, LOG_LEVEL, OTPGET_*); see README.md.`;

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
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    io.out(USAGE);
    return name ? 0 : 2;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    io.err(`unknown command "${name}"\n${USAGE}`);
    return 2;
  }
  try {
    return await command(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`error: ${error.message}`);
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

const isEntryPoint =
  process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isEntryPoint || process.env.OTPGET_CLI_ENTRY === '1') {
  const io: CliIo = {
    out: (l) => process.stdout.write(`${l}\n`),
    err: (l) => process.stderr.write(`${l}\n`),
  };
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
