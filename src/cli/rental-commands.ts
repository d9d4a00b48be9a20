import { findUpstream } from '../providers/upstreams.repository.js';
import {
  listPriceTiers,
  listRentalCountries,
  listRentalServers,
  type RentalServer,
} from '../rentals/catalog.repository.js';
import {
  configureRentalCountry,
  configureRentalServer,
  RENTAL_PROTOCOLS,
  RentalAdminError,
  type RentalPriceInput,
  type RentalProtocol,
  type ServerUpstreamInput,
  setRentalPrice,
  setRentalServerEnabled,
} from '../rentals/rental-admin.service.js';
import { tierPricePaisa } from '../rentals/rental-catalog.service.js';
import { importRentalCatalogue } from '../rentals/rental-catalogue-import.js';
import type { RentalStatus } from '../rentals/rental-tables.js';
import { listRentalsForOperator } from '../rentals/rentals.repository.js';
import { formatDateTime } from '../shared/clock.js';
import { parseDecimalToMicros } from '../shared/micros.js';
import { formatPkr, parsePkr } from '../shared/money.js';
import { withCliContext } from './cli-context.js';
import {
  type CliIo,
  cliStamp,
  commandGroup,
  parseCommandArgs,
  progressReporter,
  refusedAs,
  UsageError,
  withDatabase,
} from './cli-support.js';

export const RENTAL_USAGE = `otpget rental <command>                       rental servers (the API's "provider"), countries, price tiers
  servers [--json]                                            servers with their upstream, state and rule
  server <id> [--name N] [--monthly-only on|off]              add (with --name) or change a server
      [--protocol sandbox|sms-activate --url URL --key KEY --currency CUR --timeout-ms N]
  enable <id> | disable <id>                                  sell on a server, or answer 503 for it
  country <server> <code> [--name N] [--upstream-country C]   add or change a country (C: the upstream's code)
      [--upstream-service S] [--enable|--disable]
  price <server> <code> <hours> --price PKR | --cost DECIMAL | --disable
                                                              a tier: fixed PKR, or upstream cost × rate × markup
  prices [--server N] [--json]                                every tier with the customer price now
  list [--account ID] [--status S] [--json]                   rentals, newest first
  import <server> [--countries 36,…] [--durations 720,…] [--reprice]
                                                              countries and tiers from the upstream's rent catalogue
                                                              (priced cost × rate × markup; --reprice: fixed prices too)`;

function positiveInt(text: string | undefined, what: string): number {
  if (text === undefined || !/^\d{1,9}$/.test(text) || Number(text) === 0) {
    throw new UsageError(`${what} must be a positive whole number, got "${text ?? ''}"`);
  }
  return Number(text);
}

function onOff(text: string | undefined, flag: string): boolean | undefined {
  if (text === undefined) return undefined;
  if (text === 'on' || text === 'off') return text === 'on';
  throw new UsageError(`${flag} must be on or off, got "${text}"`);
}

async function servers(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { json: { type: 'boolean' } });
  const rows = await withDatabase(async ({ db }) =>
    Promise.all(
      (await listRentalServers(db)).map(async (s) => ({
        ...s,
        upstream: (await findUpstream(db, s.upstreamId))?.name ?? '?',
      })),
    ),
  );
  for (const s of rows) {
    if (values.json) io.out(JSON.stringify(s));
    else
      io.out(
        `${s.id}  ${s.name}  ${s.enabled ? 'enabled' : 'DISABLED'}  ${s.monthlyOnly ? 'monthly only' : 'all durations'}  upstream ${s.upstream}`,
      );
  }
  return 0;
}

async function server(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    name: { type: 'string' },
    'monthly-only': { type: 'string' },
    protocol: { type: 'string' },
    url: { type: 'string' },
    key: { type: 'string' },
    currency: { type: 'string' },
    'timeout-ms': { type: 'string' },
  });
  const id = positiveInt(positionals[0], 'server id');
  if (values.protocol !== undefined && !RENTAL_PROTOCOLS.includes(values.protocol as RentalProtocol)) {
    throw new UsageError(`--protocol must be one of ${RENTAL_PROTOCOLS.join(', ')}`);
  }
  const upstream: ServerUpstreamInput | undefined = values.protocol
    ? {
        protocol: values.protocol as RentalProtocol,
        ...(values.url ? { url: values.url } : {}),
        ...(values.key ? { key: values.key } : {}),
        ...(values.currency ? { currency: values.currency } : {}),
        ...(values['timeout-ms'] ? { timeoutMs: positiveInt(values['timeout-ms'], '--timeout-ms') } : {}),
      }
    : undefined;
  const monthlyOnly = onOff(values['monthly-only'], '--monthly-only');
  const saved: RentalServer = await withDatabase(({ db }) =>
    refusedAs([RentalAdminError], () =>
      configureRentalServer(db, cliStamp(), {
        id,
        ...(values.name ? { name: values.name } : {}),
        ...(monthlyOnly !== undefined ? { monthlyOnly } : {}),
        ...(upstream ? { upstream } : {}),
      }),
    ),
  );
  io.out(
    `server ${saved.id} "${saved.name}": ${saved.monthlyOnly ? 'monthly only' : 'all durations'}, upstream ${saved.upstreamId}`,
  );
  return 0;
}

async function country(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    name: { type: 'string' },
    'upstream-country': { type: 'string' },
    'upstream-service': { type: 'string' },
    enable: { type: 'boolean' },
    disable: { type: 'boolean' },
  });
  const serverId = positiveInt(positionals[0], 'server id');
  const code = positionals[1];
  if (!code) throw new UsageError('a country code is required, e.g. ca');
  if (values.enable && values.disable) throw new UsageError('--enable and --disable exclude each other');
  await withDatabase(({ db }) =>
    refusedAs([RentalAdminError], () =>
      configureRentalCountry(db, cliStamp(), {
        serverId,
        code,
        ...(values.name ? { name: values.name } : {}),
        ...(values['upstream-country'] ? { upstreamCountry: values['upstream-country'] } : {}),
        ...(values['upstream-service'] !== undefined
          ? { upstreamService: values['upstream-service'] || null }
          : {}),
        ...(values.enable ? { enabled: true } : values.disable ? { enabled: false } : {}),
      }),
    ),
  );
  io.out(`country ${code.toLowerCase()} on server ${serverId} saved`);
  return 0;
}

async function price(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    price: { type: 'string' },
    cost: { type: 'string' },
    disable: { type: 'boolean' },
  });
  const serverId = positiveInt(positionals[0], 'server id');
  const code = positionals[1];
  if (!code) throw new UsageError('a country code is required, e.g. ca');
  const hours = positiveInt(positionals[2], 'hours');
  if (
    [values.price !== undefined, values.cost !== undefined, values.disable === true].filter(Boolean)
      .length !== 1
  ) {
    throw new UsageError('give exactly one of --price PKR, --cost DECIMAL or --disable');
  }
  let setting: RentalPriceInput['price'] = 'disable';
  if (values.price !== undefined) {
    const paisa = parsePkr(values.price);
    if (paisa === null || paisa === 0)
      throw new UsageError(`--price must be a PKR amount like 840, got "${values.price}"`);
    setting = { pricePaisa: paisa };
  } else if (values.cost !== undefined) {
    const micros = parseDecimalToMicros(values.cost);
    if (micros === undefined)
      throw new UsageError(`--cost must be a decimal like 2.50, got "${values.cost}"`);
    setting = { costMicros: micros };
  }
  await withDatabase(({ db }) =>
    refusedAs([RentalAdminError], () =>
      setRentalPrice(db, cliStamp(), { serverId, code, hours, price: setting }),
    ),
  );
  io.out(
    `server ${serverId} ${code.toLowerCase()} ${hours} h: ${setting === 'disable' ? 'disabled' : 'saved'}`,
  );
  return 0;
}

async function prices(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { server: { type: 'string' }, json: { type: 'boolean' } });
  const serverId = values.server === undefined ? undefined : positiveInt(values.server, '--server');
  await withCliContext(async (ctx) => {
    for (const s of await listRentalServers(ctx.db)) {
      if (serverId !== undefined && s.id !== serverId) continue;
      for (const c of await listRentalCountries(ctx.db, { serverId: s.id, enabledOnly: false })) {
        for (const tier of await listPriceTiers(ctx.db, c.id, { enabledOnly: false })) {
          const paisa = await tierPricePaisa(ctx, s, c, tier);
          const row = {
            tier: tier.id,
            server: s.id,
            country: c.countryCode,
            hours: tier.durationHours,
            price: paisa === null ? null : formatPkr(paisa),
            basis: tier.pricePaisa !== null ? 'fixed' : 'cost',
            enabled: tier.enabled && c.enabled && s.enabled,
          };
          if (values.json) io.out(JSON.stringify(row));
          else
            io.out(
              `${row.tier}  server ${row.server}  ${row.country}  ${row.hours} h  ${row.price ?? 'no rate'} PKR (${row.basis})${row.enabled ? '' : '  disabled'}`,
            );
        }
      }
    }
  });
  return 0;
}

async function list(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, {
    account: { type: 'string' },
    status: { type: 'string' },
    json: { type: 'boolean' },
  });
  const accountId = values.account === undefined ? undefined : positiveInt(values.account, '--account');
  const status = values.status;
  if (status !== undefined && !['pending', 'active', 'expired', 'failed'].includes(status)) {
    throw new UsageError('--status must be pending, active, expired or failed');
  }
  const rows = await withDatabase(({ db }) =>
    listRentalsForOperator(db, {
      ...(accountId !== undefined ? { accountId } : {}),
      ...(status !== undefined ? { status: status as RentalStatus } : {}),
      limit: 500,
    }),
  );
  for (const r of rows) {
    if (values.json) io.out(JSON.stringify(r));
    else
      io.out(
        `${r.id}  ${r.orderId}  account ${r.accountId}  server ${r.serverId}  ${r.countryCode}  ${r.phone ?? '-'}  ${r.status}  ${r.expiryTime === null ? '-' : formatDateTime(r.expiryTime)}  renewals ${r.renewalCount}`,
      );
  }
  return 0;
}

/** A comma list of whole numbers (`--countries 36,187`), or undefined when the flag is absent. */
function numberList(text: string | undefined, flag: string): string[] | undefined {
  if (text === undefined) return undefined;
  const items = text.split(',').map((item) => item.trim());
  if (items.some((item) => !/^\d{1,9}$/.test(item)))
    throw new UsageError(`${flag} takes whole numbers separated by commas, got "${text}"`);
  return items;
}

async function importCatalogue(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    countries: { type: 'string' },
    durations: { type: 'string' },
    reprice: { type: 'boolean' },
  });
  const serverId = positiveInt(positionals[0], 'server id');
  const countries = numberList(values.countries, '--countries');
  const durations = numberList(values.durations, '--durations')?.map(Number);
  const started = Date.now();
  const summary = await withCliContext((ctx) =>
    refusedAs([RentalAdminError], () =>
      importRentalCatalogue(
        ctx,
        serverId,
        {
          ...(countries ? { countries: new Set(countries) } : {}),
          ...(durations ? { durations } : {}),
          reprice: values.reprice === true,
        },
        cliStamp(),
        progressReporter(io, `server ${serverId}: asking the upstream for rent prices`),
      ),
    ),
  );
  const { countries: c, tiers: t } = summary;
  io.out(
    `server ${serverId}: ${summary.quotes} quote(s); countries ${c.added} added, ${c.updated} updated, ` +
      `${c.unchanged} unchanged, ${c.disabled} disabled; tiers ${t.added} added, ${t.updated} updated, ` +
      `${t.unchanged} unchanged, ${t.disabled} disabled, ${t.skipped} skipped (${Date.now() - started} ms)`,
  );
  for (const { upstreamCountry, reason } of summary.skipped)
    io.out(`  upstream country ${upstreamCountry} skipped: ${reason}`);
  return 0;
}

async function toggle(args: string[], io: CliIo, enabled: boolean): Promise<number> {
  const id = positiveInt(args[0], 'server id');
  await withDatabase(({ db }) =>
    refusedAs([RentalAdminError], () => setRentalServerEnabled(db, cliStamp(), id, enabled)),
  );
  io.out(`server ${id} is now ${enabled ? 'enabled' : 'disabled'}`);
  return 0;
}

export const rentalCommand = commandGroup('rental', RENTAL_USAGE, {
  servers,
  server,
  enable: (args, io) => toggle(args, io, true),
  disable: (args, io) => toggle(args, io, false),
  country,
  price,
  prices,
  list,
  import: importCatalogue,
});
