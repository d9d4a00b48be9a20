import { listTopupRequests } from '../admin/topups.repository.js';
import { approveTopupRequest, rejectTopupRequest, TopupError } from '../admin/topups.service.js';
import { systemClock } from '../shared/clock.js';
import { formatPkr } from '../shared/money.js';
import {
  type CliIo,
  CommandError,
  cliActor,
  commandGroup,
  parseCommandArgs,
  UsageError,
  withDatabase,
} from './cli-support.js';

export const TOPUP_USAGE = `otpget topup <command>                       customers' top-up requests (JazzCash, Easypaisa, bank)
  list [--state pending|approved|rejected|all] [--json]    requests, newest first (default: pending)
  approve <id> [--note T]                                  credit the account once (ledger: topup-request:<id>)
  reject <id> [--note T]                                   refuse; no money moves`;

function requestId(positionals: string[]): number {
  const [id, extra] = positionals;
  if (id === undefined) throw new UsageError('a top-up request id is required');
  if (extra !== undefined) throw new UsageError(`unexpected argument "${extra}"`);
  if (!/^\d{1,15}$/.test(id)) throw new UsageError(`request id must be a whole number, got "${id}"`);
  return Number(id);
}

async function decided<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TopupError) throw new CommandError(error.message);
    throw error;
  }
}

async function list(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    state: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const state = values.state ?? 'pending';
  if (!['pending', 'approved', 'rejected', 'all'].includes(state)) {
    throw new UsageError('--state must be pending, approved, rejected or all');
  }
  const requests = await withDatabase(({ db }) =>
    listTopupRequests(db, {
      ...(state === 'all' ? {} : { state: state as 'pending' | 'approved' | 'rejected' }),
      limit: 500,
    }),
  );
  if (values.json) {
    io.out(JSON.stringify(requests));
    return 0;
  }
  if (requests.length === 0) io.out(`no ${state === 'all' ? '' : `${state} `}top-up requests`);
  for (const r of requests) {
    io.out(
      `${r.id}\taccount ${r.accountId}\t${formatPkr(r.amount)} PKR\t${r.method}\t${r.paymentReference}\t${r.state}\t${new Date(r.createdAt).toISOString()}`,
    );
  }
  return 0;
}

async function approve(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { note: { type: 'string' } });
  const id = requestId(positionals);
  const result = await decided(() =>
    withDatabase(({ db }) =>
      approveTopupRequest(db, systemClock, cliActor(), { id, note: values.note ?? null }),
    ),
  );
  io.out(
    `top-up request ${id} approved: ${formatPkr(result.request.amount)} PKR credited to account ${result.request.accountId}, balance ${formatPkr(result.balance)} PKR`,
  );
  return 0;
}

async function reject(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { note: { type: 'string' } });
  const id = requestId(positionals);
  await decided(() =>
    withDatabase(({ db }) =>
      rejectTopupRequest(db, systemClock, cliActor(), { id, note: values.note ?? null }),
    ),
  );
  io.out(`top-up request ${id} rejected`);
  return 0;
}

export const topupCommand = commandGroup('topup', TOPUP_USAGE, {
  list,
  approve,
  reject,
});
