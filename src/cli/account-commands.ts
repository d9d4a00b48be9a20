import { randomUUID } from 'node:crypto';
import { findAccount, listAccounts } from '../accounts/accounts.repository.js';
import { createAuthenticator } from '../accounts/authenticator.js';
import {
  adjustAsOperator,
  createAccountAsOperator,
  rotateKeyAsOperator,
  setStatusAsOperator,
} from '../admin/accounts-admin.service.js';
import type { Executor } from '../db/database.js';
import { systemClock } from '../shared/clock.js';
import { formatPkr, parsePkr } from '../shared/money.js';
import {
  AccountNotFoundError,
  DuplicateLedgerEntryError,
  InsufficientBalanceError,
} from '../wallet/wallet.repository.js';
import {
  type CliIo,
  CommandError,
  cliActor,
  commandGroup,
  parseAccountId,
  parseCommandArgs,
  UsageError,
  withDatabase,
} from './cli-support.js';
import { inviteCommand, PASSWORD_LINK_USAGE, resetRequestsCommand } from './password-link-commands.js';

/** The console's account services, as the CLI calls them: every change audited in its transaction. */
const deps = (db: Executor) => ({ db, clock: systemClock, auth: createAuthenticator(db) });

export const ACCOUNT_USAGE = `otpget account <command>
  create [--name N] [--email E] [--balance PKR] [--json]   new account; prints its API key once
  credit <id> <PKR> [--reference R] [--note T]             add money (reference makes it happen once)
  debit <id> <PKR> [--reference R] [--note T]              take money (never below zero)
  block <id> | unblock <id>                                refuse or allow the account's API calls
  rotate-key <id>                                          replace the account's API key; prints the new one
  list [--search TEXT] [--json]                            accounts with balances
${PASSWORD_LINK_USAGE}`;

function readAmount(text: string | undefined): number {
  if (text === undefined) throw new UsageError('an amount in PKR is required');
  const paisa = parsePkr(text);
  if (paisa === null || paisa === 0)
    throw new UsageError(`amount must be a positive PKR amount like 500 or 12.50, got "${text}"`);
  return paisa;
}

async function create(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    name: { type: 'string' },
    email: { type: 'string' },
    balance: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const openingBalance = values.balance === undefined ? 0 : parsePkr(values.balance);
  if (openingBalance === null)
    throw new UsageError(`--balance must be a PKR amount like 500 or 12.50, got "${values.balance}"`);
  const created = await withDatabase(({ db }) =>
    createAccountAsOperator(deps(db), cliActor(), {
      name: values.name ?? null,
      email: values.email ?? null,
      openingBalance,
    }),
  );
  if (values.json) {
    io.out(
      JSON.stringify({
        id: created.account.id,
        apiKey: created.apiKey,
        balance: formatPkr(created.account.balance),
      }),
    );
  } else {
    io.out(`account ${created.account.id} created, balance ${formatPkr(created.account.balance)} PKR`);
    io.out(`API key (shown once, store it now): ${created.apiKey}`);
  }
  return 0;
}

async function adjust(args: string[], io: CliIo, sign: 1 | -1): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    reference: { type: 'string' },
    note: { type: 'string' },
  });
  const accountId = parseAccountId(positionals[0]);
  const amount = readAmount(positionals[1]) * sign;
  if (positionals.length > 2) throw new UsageError(`unexpected argument "${positionals[2]}"`);
  const reference = values.reference ?? `cli:${randomUUID()}`;
  try {
    const { balance } = await withDatabase(({ db }) =>
      adjustAsOperator(deps(db), cliActor(), { accountId, amount, reference, note: values.note ?? null }),
    );
    io.out(
      `account ${accountId}: ${sign > 0 ? 'credited' : 'debited'} ${formatPkr(Math.abs(amount))} PKR, balance ${formatPkr(balance)} PKR`,
    );
    return 0;
  } catch (error) {
    if (error instanceof AccountNotFoundError) throw new CommandError(`account ${accountId} does not exist`);
    if (error instanceof InsufficientBalanceError) {
      throw new CommandError(
        `account ${accountId} has only ${formatPkr(error.balance)} PKR; nothing was debited`,
      );
    }
    if (error instanceof DuplicateLedgerEntryError) {
      throw new CommandError(`reference "${reference}" was already used; nothing was changed`);
    }
    throw error;
  }
}

async function setBlocked(args: string[], io: CliIo, blocked: boolean): Promise<number> {
  const { positionals } = parseCommandArgs(args, {});
  const accountId = parseAccountId(positionals[0]);
  await withDatabase(async ({ db }) => {
    if (!(await findAccount(db, accountId))) throw new CommandError(`account ${accountId} does not exist`);
    const { changed } = await setStatusAsOperator(
      deps(db),
      cliActor(),
      accountId,
      blocked ? 'blocked' : 'active',
    );
    io.out(`account ${accountId} ${changed ? 'is now' : 'was already'} ${blocked ? 'blocked' : 'active'}`);
  });
  return 0;
}

async function rotate(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommandArgs(args, {});
  const accountId = parseAccountId(positionals[0]);
  const key = await withDatabase(async ({ db }) => {
    if (!(await findAccount(db, accountId))) throw new CommandError(`account ${accountId} does not exist`);
    return rotateKeyAsOperator(deps(db), cliActor(), accountId);
  });
  io.out(`new API key for account ${accountId} (shown once; the old key stops working): ${key}`);
  return 0;
}

async function list(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { search: { type: 'string' }, json: { type: 'boolean' } });
  const accounts = await withDatabase(({ db }) =>
    listAccounts(db, { limit: 1000, offset: 0, ...(values.search ? { search: values.search } : {}) }),
  );
  for (const a of accounts) {
    if (values.json)
      io.out(
        JSON.stringify({
          id: a.id,
          name: a.name,
          email: a.email,
          status: a.status,
          balance: formatPkr(a.balance),
        }),
      );
    else io.out(`${a.id}\t${a.status}\t${formatPkr(a.balance)} PKR\t${a.name ?? ''}\t${a.email ?? ''}`);
  }
  return 0;
}

export const accountCommand = commandGroup('account', ACCOUNT_USAGE, {
  create,
  credit: (args, io) => adjust(args, io, 1),
  debit: (args, io) => adjust(args, io, -1),
  block: (args, io) => setBlocked(args, io, true),
  unblock: (args, io) => setBlocked(args, io, false),
  'rotate-key': rotate,
  list,
  invite: inviteCommand,
  'reset-requests': resetRequestsCommand,
});
