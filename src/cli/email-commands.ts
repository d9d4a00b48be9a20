import { listEmailServers, listEmailServices, listOffers } from '../emails/email-catalog.repository.js';
import {
  connectEmailServer,
  EmailCatalogAdminError,
  setEmailOffer,
  setEmailServer,
  setEmailService,
} from '../emails/email-catalog-admin.service.js';
import { importEmailCatalogue } from '../emails/email-catalogue-import.js';
import { listUpstreams } from '../providers/upstreams.repository.js';
import { formatPkr, parsePkr } from '../shared/money.js';
import { withCliContext } from './cli-context.js';
import {
  type Command,
  cliStamp,
  commandGroup,
  parseCommandArgs,
  progressReporter,
  refusedAs,
  UsageError,
  withDatabase,
} from './cli-support.js';

export const EMAIL_USAGE = `otpget email servers [--json]                                    temp email servers 1 and 2: upstream and switch
otpget email server <1|2> [--upstream NAME] [--enable|--disable]  serve a server from an upstream, or switch it
otpget email connect <1|2> --protocol kopeechka|sms-activate-email --api-key KEY [--base-url URL] [--name N] [--currency USD]
                                                                  add a real email upstream and serve the server from it
otpget email prices <1|2> [--domain D] [--json]                  what is on sale: price and stock
otpget email price 1 <service_id> <domain> [PKR] [--stock N] [--enable|--disable]
otpget email price 2 <domain> [PKR] [--stock N] [--enable|--disable]   set a price (a new offer needs one), stock or switch
otpget email service <service_id> [--name N] [--site DOMAIN] [--enable|--disable]   a server-1 service and its sender site
otpget email import <1|2> [--services ig,tg,…] [--reprice]        offers from the upstream's domains, cost and stock
                                                                  (priced cost × rate × markup; --reprice: hand prices too)`;

const PROTOCOLS = ['kopeechka', 'sms-activate-email'];

const SUBCOMMANDS: Record<string, Command> = {
  servers: async (args, io) => {
    const { values } = parseCommandArgs(args, { json: { type: 'boolean' } });
    const rows = await withDatabase(async ({ db }) => {
      const servers = await listEmailServers(db);
      const upstreams = new Map((await listUpstreams(db)).map((u) => [u.id, u]));
      return servers.map((s) => {
        const upstream = upstreams.get(s.upstreamId);
        return {
          server: s.server,
          upstream: upstream?.name ?? `#${s.upstreamId}`,
          protocol: upstream?.protocol ?? '?',
          enabled: s.enabled && (upstream?.enabled ?? false),
        };
      });
    });
    for (const row of rows) {
      io.out(
        values.json
          ? JSON.stringify(row)
          : `server ${row.server}  ${row.upstream} (${row.protocol})  ${row.enabled ? 'enabled' : 'disabled'}`,
      );
    }
    return 0;
  },

  server: async (args, io) => {
    const { values, positionals } = parseCommandArgs(args, {
      upstream: { type: 'string' },
      enable: { type: 'boolean' },
      disable: { type: 'boolean' },
    });
    const server = readServer(positionals[0]);
    const enabled = readSwitch(values);
    if (values.upstream === undefined && enabled === undefined) throw new UsageError('nothing to change');
    await withDatabase(({ db }) =>
      refusedAs([EmailCatalogAdminError], () =>
        setEmailServer(db, cliStamp(), {
          server,
          ...(values.upstream !== undefined ? { upstreamName: values.upstream } : {}),
          ...(enabled !== undefined ? { enabled } : {}),
        }),
      ),
    );
    io.out(`email server ${server} updated`);
    return 0;
  },

  connect: async (args, io) => {
    const { values, positionals } = parseCommandArgs(args, {
      protocol: { type: 'string' },
      'api-key': { type: 'string' },
      'base-url': { type: 'string' },
      name: { type: 'string' },
      currency: { type: 'string' },
    });
    const server = readServer(positionals[0]);
    const protocol = values.protocol ?? '';
    if (!PROTOCOLS.includes(protocol))
      throw new UsageError(`--protocol must be one of ${PROTOCOLS.join(', ')}`);
    if (!values['api-key']) throw new UsageError('--api-key is required');
    if (protocol === 'sms-activate-email' && !values['base-url'])
      throw new UsageError('--base-url is required for sms-activate-email');
    const name = values.name ?? `email-${protocol}-${server}`;
    await withDatabase(({ db }) =>
      refusedAs([EmailCatalogAdminError], () =>
        connectEmailServer(db, cliStamp(), {
          server,
          name,
          protocol,
          apiKey: values['api-key'] as string,
          baseUrl: values['base-url'] ?? null,
          currency: values.currency ?? 'USD',
        }),
      ),
    );
    io.out(`email server ${server} now buys from "${name}" (${protocol})`);
    return 0;
  },

  prices: async (args, io) => {
    const { values, positionals } = parseCommandArgs(args, {
      domain: { type: 'string' },
      json: { type: 'boolean' },
    });
    const server = readServer(positionals[0]);
    const offers = await withDatabase(async ({ db }) => {
      const names = new Map((await listEmailServices(db)).map((s) => [s.code, s]));
      return (await listOffers(db, server, { enabledOnly: false }))
        .filter((o) => !values.domain || o.domain === values.domain.toLowerCase())
        .map((o) => ({ ...o, serviceName: names.get(o.serviceCode)?.name ?? '' }));
    });
    for (const o of offers) {
      const row = {
        server: o.server,
        service_id: o.serviceCode,
        service: o.serviceName,
        domain: o.domain,
        price: formatPkr(o.price),
        stock: o.stock,
        enabled: o.enabled,
      };
      const label = server === 1 ? `${o.serviceCode.padEnd(8)}${o.serviceName.padEnd(20)}` : '';
      io.out(
        values.json
          ? JSON.stringify(row)
          : `${label}${o.domain.padEnd(16)}${row.price.padStart(10)} PKR  stock ${o.stock}${o.enabled ? '' : '  (disabled)'}`,
      );
    }
    return 0;
  },

  price: async (args, io) => {
    const { values, positionals } = parseCommandArgs(args, {
      stock: { type: 'string' },
      enable: { type: 'boolean' },
      disable: { type: 'boolean' },
    });
    const server = readServer(positionals[0]);
    const [serviceCode, domain, priceText] =
      server === 1
        ? [positionals[1]?.toLowerCase(), positionals[2]?.toLowerCase(), positionals[3]]
        : ['', positionals[1]?.toLowerCase(), positionals[2]];
    if (serviceCode === undefined || !domain) throw new UsageError(EMAIL_USAGE);
    const price = priceText === undefined ? undefined : parsePrice(priceText);
    const stock = values.stock === undefined ? undefined : parseStock(values.stock);
    const enabled = readSwitch(values);
    if (price === undefined && stock === undefined && enabled === undefined)
      throw new UsageError('nothing to change');
    await withDatabase(({ db }) =>
      refusedAs([EmailCatalogAdminError], () =>
        setEmailOffer(db, cliStamp(), {
          server,
          serviceCode,
          domain,
          ...(price !== undefined ? { price } : {}),
          ...(stock !== undefined ? { stock } : {}),
          ...(enabled !== undefined ? { enabled } : {}),
        }),
      ),
    );
    io.out(`server ${server} ${serviceCode ? `${serviceCode} ` : ''}${domain} updated`);
    return 0;
  },

  import: async (args, io) => {
    const { values, positionals } = parseCommandArgs(args, {
      services: { type: 'string' },
      reprice: { type: 'boolean' },
    });
    const server = readServer(positionals[0]);
    const services = values.services?.split(',').map((code) => code.trim().toLowerCase());
    if (services?.some((code) => !/^[a-z0-9_]{1,20}$/.test(code)))
      throw new UsageError(`--services takes service_ids separated by commas, got "${values.services}"`);
    if (services && server !== 1) throw new UsageError('--services is for server 1 (server 2 has none)');
    const started = Date.now();
    const summary = await withCliContext((ctx) =>
      refusedAs([EmailCatalogAdminError], () =>
        importEmailCatalogue(
          ctx,
          server,
          { ...(services ? { services: new Set(services) } : {}), reprice: values.reprice === true },
          cliStamp(),
          progressReporter(io, `server ${server}: asking the upstream for domains`),
        ),
      ),
    );
    const { offers } = summary;
    io.out(
      `server ${server}: ${summary.sites} site(s) asked; offers ${offers.added} added, ${offers.updated} updated, ` +
        `${offers.unchanged} unchanged, ${offers.disabled} disabled, ${offers.skipped} skipped (${Date.now() - started} ms)`,
    );
    return 0;
  },

  service: async (args, io) => {
    const { values, positionals } = parseCommandArgs(args, {
      name: { type: 'string' },
      site: { type: 'string' },
      enable: { type: 'boolean' },
      disable: { type: 'boolean' },
    });
    const code = positionals[0]?.toLowerCase();
    if (!code || !/^[a-z0-9_]{1,20}$/.test(code))
      throw new UsageError('a service_id (letters, digits, _) is required');
    const enabled = readSwitch(values);
    if (values.name === undefined && values.site === undefined && enabled === undefined)
      throw new UsageError('nothing to change');
    await withDatabase(({ db }) =>
      refusedAs([EmailCatalogAdminError], () =>
        setEmailService(db, cliStamp(), {
          code,
          ...(values.name !== undefined ? { name: values.name } : {}),
          ...(values.site !== undefined ? { site: values.site.toLowerCase() } : {}),
          ...(enabled !== undefined ? { enabled } : {}),
        }),
      ),
    );
    io.out(`service ${code} updated`);
    return 0;
  },
};

function readServer(text: string | undefined): 1 | 2 {
  if (text === '1') return 1;
  if (text === '2') return 2;
  throw new UsageError('the server must be 1 or 2');
}

function readSwitch(values: { enable?: boolean; disable?: boolean }): boolean | undefined {
  if (values.enable && values.disable) throw new UsageError('--enable and --disable together');
  if (values.enable) return true;
  if (values.disable) return false;
  return undefined;
}

function parsePrice(text: string): number {
  const paisa = parsePkr(text);
  if (paisa === null || paisa <= 0)
    throw new UsageError(`price must be a PKR amount above zero, got "${text}"`);
  return paisa;
}

function parseStock(text: string): number {
  if (!/^\d{1,12}$/.test(text)) throw new UsageError(`--stock must be a whole number, got "${text}"`);
  return Number(text);
}

export const emailCommand = commandGroup('email', EMAIL_USAGE, SUBCOMMANDS);
