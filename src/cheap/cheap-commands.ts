import {
  type CliIo,
  cliStamp,
  commandGroup,
  parseCommandArgs,
  refusedAs,
  UsageError,
  withDatabase,
} from '../cli/cli-support.js';
import { listUpstreams } from '../providers/upstreams.repository.js';
import { formatPkr, parsePkr } from '../shared/money.js';
import { type CheapServerInput, listCheapServers } from './cheap-servers.repository.js';
import { addCheapServer, CheapServerAdminError, changeCheapServer } from './cheap-servers-admin.service.js';

export const CHEAP_USAGE = `otpget cheap <command>                                  cheap-number servers (/stubs/cheap_handler.php)
  list [--json]                                           every server, enabled or not, with price and upstream
  add --type 1|2 --name N --price PKR --upstream U [--service-name S] [--country C] [--service S]
                                                          a new server; U is an upstream name (sandbox-sms, sim-pool, …)
  set <id> [--name N] [--service-name S] [--price PKR] [--upstream U] [--country C] [--service S] [--enable|--disable]`;

const FIELDS = {
  type: { type: 'string' },
  name: { type: 'string' },
  'service-name': { type: 'string' },
  price: { type: 'string' },
  upstream: { type: 'string' },
  country: { type: 'string' },
  service: { type: 'string' },
  enable: { type: 'boolean' },
  disable: { type: 'boolean' },
  json: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseCommandArgs<typeof FIELDS>>['values'];

function readType(text: string): number {
  if (text !== '1' && text !== '2') throw new UsageError(`--type must be 1 or 2, got "${text}"`);
  return Number(text);
}

function readPrice(text: string): number {
  const paisa = parsePkr(text);
  if (paisa === null)
    throw new UsageError(`--price must be a PKR amount like 50 or 12.50 (0 for free), got "${text}"`);
  return paisa;
}

function readText(text: string, flag: string): string {
  const value = text.trim();
  if (value === '' || value.length > 100) throw new UsageError(`--${flag} must be 1 to 100 characters`);
  return value;
}

/** The changes the flags ask for; `upstream` is resolved by name by the service. */
function readChanges(values: Values): Partial<CheapServerInput> {
  if (values.enable && values.disable) throw new UsageError('--enable and --disable exclude each other');
  return {
    ...(values.type !== undefined ? { type: readType(values.type) } : {}),
    ...(values.name !== undefined ? { name: readText(values.name, 'name') } : {}),
    ...(values['service-name'] !== undefined
      ? { serviceName: readText(values['service-name'], 'service-name') }
      : {}),
    ...(values.price !== undefined ? { pricePaisa: readPrice(values.price) } : {}),
    ...(values.country !== undefined ? { upstreamCountry: readText(values.country, 'country') } : {}),
    ...(values.service !== undefined ? { upstreamService: readText(values.service, 'service') } : {}),
    ...(values.enable ? { enabled: true } : values.disable ? { enabled: false } : {}),
  };
}

async function add(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, FIELDS);
  if (positionals.length > 0) throw new UsageError(CHEAP_USAGE);
  for (const flag of ['type', 'name', 'price', 'upstream'] as const) {
    if (values[flag] === undefined) throw new UsageError(`--${flag} is required\n${CHEAP_USAGE}`);
  }
  const changes = readChanges(values);
  const name = changes.name as string;
  const id = await withDatabase(({ db }) =>
    refusedAs([CheapServerAdminError], () =>
      addCheapServer(db, cliStamp(), {
        type: changes.type as number,
        name,
        serviceName: changes.serviceName ?? name,
        pricePaisa: changes.pricePaisa as number,
        upstreamName: values.upstream as string,
        ...(changes.upstreamCountry !== undefined ? { upstreamCountry: changes.upstreamCountry } : {}),
        ...(changes.upstreamService !== undefined ? { upstreamService: changes.upstreamService } : {}),
        enabled: changes.enabled ?? true,
      }),
    ),
  );
  io.out(values.json ? JSON.stringify({ id }) : `cheap server ${id} added`);
  return 0;
}

async function set(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, FIELDS);
  const [ref, extra] = positionals;
  if (!ref || extra !== undefined || !/^\d{1,9}$/.test(ref)) throw new UsageError(CHEAP_USAGE);
  const changes = {
    ...readChanges(values),
    ...(values.upstream !== undefined ? { upstreamName: values.upstream } : {}),
  };
  if (Object.keys(changes).length === 0) throw new UsageError(`nothing to change\n${CHEAP_USAGE}`);
  await withDatabase(({ db }) =>
    refusedAs([CheapServerAdminError], () => changeCheapServer(db, cliStamp(), Number(ref), changes)),
  );
  io.out(`cheap server ${ref} updated`);
  return 0;
}

async function list(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(CHEAP_USAGE);
  const rows = await withDatabase(async ({ db }) => {
    const upstreams = new Map((await listUpstreams(db)).map((u) => [u.id, u.name]));
    const servers = await listCheapServers(db, { includeDisabled: true });
    return servers.map((s) => ({ ...s, upstream: upstreams.get(s.upstreamId) ?? String(s.upstreamId) }));
  });
  for (const s of rows) {
    if (values.json) io.out(JSON.stringify({ ...s, price: formatPkr(s.pricePaisa) }));
    else
      io.out(
        `${s.id}\ttype ${s.type}\t${s.name}\t${formatPkr(s.pricePaisa)} PKR\t${s.upstream} ${s.upstreamCountry}/${s.upstreamService}${s.enabled ? '' : '\tdisabled'}`,
      );
  }
  return 0;
}

/** `otpget cheap …`: the cheap-number servers the operator sells. */
export const cheapCommand = commandGroup('cheap', CHEAP_USAGE, {
  list,
  add,
  set,
});
