import { checkUpstream, upstreamFailures } from '../admin/upstream-health.js';
import {
  addUpstream,
  configureUpstream,
  listVisibleUpstreams,
  setUpstreamPush,
  UpstreamConfigError,
  visibleUpstream,
} from '../admin/upstreams-admin.service.js';
import { loadConfig } from '../config.js';
import type { Executor } from '../db/database.js';
import { pushPath } from '../providers/push-tokens.js';
import { listRecentUpstreamCalls } from '../providers/upstream-calls.repository.js';
import {
  findUpstream,
  findUpstreamByReference,
  type UpstreamInput,
} from '../providers/upstreams.repository.js';
import { withCliContext } from './cli-context.js';
import {
  type CliIo,
  CommandError,
  cliActor,
  commandGroup,
  parseCommandArgs,
  UsageError,
} from './cli-support.js';

export const UPSTREAM_USAGE = `otpget upstream <command>                    upstream accounts of every line (keys are never printed)
  list [--json]                                              upstreams, state and last-24 h failures
  show <id|name> [--calls N] [--json]                        one upstream and its most recent calls
  add --kind sms|rental|email --name N --protocol P [--url U] [--key K] [--currency C] [--timeout-ms N]
  configure <id|name> [--url U] [--key K] [--currency C] [--timeout-ms N] [--name N] [--protocol P]
  enable <id|name> | disable <id|name>                       a disabled rental or email server answers 503
  check <id|name>                                            a read-only call (balance, prices or domains)
  push-url <id|name> [--off]                                 a new push URL for the upstream to POST to (shown once)`;

const SETTINGS = {
  url: { type: 'string' },
  key: { type: 'string' },
  currency: { type: 'string' },
  'timeout-ms': { type: 'string' },
  name: { type: 'string' },
  protocol: { type: 'string' },
} as const;

type Settings = { [K in keyof typeof SETTINGS]?: string | undefined };

function changesFrom(values: Settings): Partial<Omit<UpstreamInput, 'kind'>> {
  const changes: Partial<Omit<UpstreamInput, 'kind'>> = {};
  if (values.url !== undefined) changes.baseUrl = values.url === '' ? null : values.url;
  if (values.key !== undefined) changes.apiKey = values.key === '' ? null : values.key;
  if (values.currency !== undefined) changes.currency = values.currency.toUpperCase();
  if (values.name !== undefined) changes.name = values.name;
  if (values.protocol !== undefined) changes.protocol = values.protocol;
  const timeout = values['timeout-ms'];
  if (timeout !== undefined) {
    if (!/^\d{1,7}$/.test(timeout))
      throw new UsageError(`--timeout-ms must be a whole number, got "${timeout}"`);
    changes.timeoutMs = Number(timeout);
  }
  return changes;
}

async function resolveId(db: Executor, reference: string | undefined): Promise<number> {
  if (reference === undefined) throw new UsageError('an upstream id or name is required');
  const upstream = await findUpstreamByReference(db, reference);
  if (!upstream) throw new CommandError(`no upstream "${reference}"`);
  return upstream.id;
}

/** The admin service's refusals become the CLI's "could not do it" errors. */
async function refusals<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UpstreamConfigError) throw new CommandError(error.message);
    throw error;
  }
}

function single(positionals: string[]): string | undefined {
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  return positionals[0];
}

async function list(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const rows = await withCliContext(async (ctx) => {
    const failures = await upstreamFailures(ctx.db, ctx.clock.now() - 86_400_000);
    return (await listVisibleUpstreams(ctx.db)).map((u) => ({
      ...u,
      last24h: failures.get(u.id) ?? { orders: 0, failed: 0 },
    }));
  });
  for (const u of rows) {
    io.out(
      values.json
        ? JSON.stringify(u)
        : `${u.id}\t${u.kind}\t${u.name}\t${u.protocol}\t${u.enabled ? 'enabled' : 'disabled'}\t${u.baseUrl ?? '-'}\tkey ${u.apiKeyHint ?? 'none'}\t${u.timeoutMs} ms\t24 h: ${u.last24h.failed}/${u.last24h.orders} failed`,
    );
  }
  return 0;
}

async function show(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    calls: { type: 'string' },
    json: { type: 'boolean' },
  });
  const reference = single(positionals);
  if (values.calls !== undefined && !/^\d{1,4}$/.test(values.calls)) {
    throw new UsageError(`--calls must be a whole number, got "${values.calls}"`);
  }
  const { upstream, calls } = await withCliContext(async ({ db }) => {
    const id = await resolveId(db, reference);
    const found = await findUpstream(db, id);
    if (!found) throw new CommandError(`no upstream "${reference}"`);
    return {
      upstream: visibleUpstream(found),
      calls: await listRecentUpstreamCalls(db, id, Number(values.calls ?? 20)),
    };
  });
  if (values.json) {
    io.out(JSON.stringify({ upstream, calls }));
    return 0;
  }
  const u = upstream;
  io.out(
    `${u.id}\t${u.kind}\t${u.name}\t${u.protocol}\t${u.enabled ? 'enabled' : 'disabled'}\t${u.baseUrl ?? '-'}\tkey ${u.apiKeyHint ?? 'none'}\t${u.currency}\t${u.timeoutMs} ms`,
  );
  io.out(
    u.push && u.pushTokenIssuedAt !== null
      ? `  push: on since ${new Date(u.pushTokenIssuedAt).toISOString()}: ${pushUrlOf(u.id, '<token>')} (the token was shown once; a new one: otpget upstream push-url ${u.id})`
      : `  push: off (otpget upstream push-url ${u.id} gives the URL to set at the upstream)`,
  );
  for (const c of calls) {
    const order = c.orderRef ?? c.upstreamOrderId ?? '-';
    io.out(
      `  ${new Date(c.startedAt).toISOString()}\t${c.operation}\t${order}\t${c.outcome}\t${c.durationMs} ms${c.error ? `\t${c.error}` : ''}`,
    );
  }
  return 0;
}

async function add(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { ...SETTINGS, kind: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const kind = values.kind;
  if (kind !== 'sms' && kind !== 'rental' && kind !== 'email') {
    throw new UsageError('--kind must be sms, rental or email');
  }
  if (!values.name || !values.protocol) throw new UsageError('--name and --protocol are required');
  const created = await withCliContext((ctx) =>
    refusals(() =>
      addUpstream(ctx.db, ctx.clock, cliActor(), {
        ...changesFrom(values),
        name: values.name as string,
        protocol: values.protocol as string,
        kind,
      }),
    ),
  );
  io.out(`added upstream ${created.id} "${created.name}" (${created.kind}, ${created.protocol})`);
  return 0;
}

async function configure(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, SETTINGS);
  const reference = single(positionals);
  const changes = changesFrom(values);
  if (Object.keys(changes).length === 0) throw new UsageError('nothing to change');
  const updated = await withCliContext(async (ctx) => {
    const id = await resolveId(ctx.db, reference);
    return refusals(() => configureUpstream(ctx.db, ctx.clock, cliActor(), id, changes));
  });
  io.out(`upstream ${updated.id} "${updated.name}" updated (picked up by running servers within 2 s)`);
  return 0;
}

async function setEnabled(args: string[], io: CliIo, enabled: boolean): Promise<number> {
  const { positionals } = parseCommandArgs(args, {});
  const reference = single(positionals);
  const updated = await withCliContext(async (ctx) => {
    const id = await resolveId(ctx.db, reference);
    return refusals(() => configureUpstream(ctx.db, ctx.clock, cliActor(), id, { enabled }));
  });
  io.out(`upstream ${updated.id} "${updated.name}" ${enabled ? 'enabled' : 'disabled'}`);
  return 0;
}

async function check(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommandArgs(args, {});
  const reference = single(positionals);
  const result = await withCliContext(async (ctx) => checkUpstream(ctx, await resolveId(ctx.db, reference)));
  if (!result.ok) {
    io.err(`${result.probe} failed after ${result.ms} ms: ${result.error}`);
    return 1;
  }
  const balance =
    result.balanceMicros === null ? '' : `, balance ${result.balanceMicros / 1_000_000} ${result.currency}`;
  io.out(`${result.probe} ok in ${result.ms} ms${balance}`);
  return 0;
}

/** The full push URL: behind OTPGET_PUBLIC_URL when set, else this machine's listening address. */
function pushUrlOf(id: number, token: string): string {
  const config = loadConfig();
  const base =
    config.publicUrl ?? `http://${config.host === '0.0.0.0' ? '127.0.0.1' : config.host}:${config.port}`;
  return `${base.replace(/\/$/, '')}${pushPath(id, token)}`;
}

async function pushUrl(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { off: { type: 'boolean' } });
  const reference = single(positionals);
  const result = await withCliContext(async (ctx) => {
    const id = await resolveId(ctx.db, reference);
    return refusals(() => setUpstreamPush(ctx.db, ctx.clock, cliActor(), id, values.off === true));
  });
  const u = result.upstream;
  if (result.token === null) {
    io.out(`upstream ${u.id} "${u.name}": push off; its old URL answers 404 (within 2 s)`);
    return 0;
  }
  io.out(pushUrlOf(u.id, result.token));
  io.err(
    `upstream ${u.id} "${u.name}": give this URL to the upstream as its webhook (SMS-Activate style, POST). It is shown only now; any earlier push URL stops working within 2 s.`,
  );
  return 0;
}

export const upstreamCommand = commandGroup('upstream', UPSTREAM_USAGE, {
  list,
  show,
  add,
  configure,
  enable: (args, io) => setEnabled(args, io, true),
  disable: (args, io) => setEnabled(args, io, false),
  check,
  'push-url': pushUrl,
});
