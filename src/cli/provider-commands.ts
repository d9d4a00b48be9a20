import { listProviderTypes } from '../catalog/catalog.repository.js';
import { CatalogAdminError, SMS_PROTOCOLS, type SmsProtocol } from '../catalog/catalog-admin.js';
import {
  configureProviderTypeAsOperator,
  routeProviderTypeAsOperator,
  switchProviderTypeAsOperator,
} from '../catalog/catalog-admin.service.js';
import { syncSmsPrices } from '../catalog/sms-prices.js';
import { isRoutePolicy, listTypeRoutes, ROUTE_POLICIES } from '../catalog/sms-routes.js';
import { findUpstream, listUpstreams } from '../providers/upstreams.repository.js';
import { formatMicros } from '../shared/micros.js';
import { withCliContext } from './cli-context.js';
import {
  CommandError,
  cliStamp,
  commandGroup,
  parseCommandArgs,
  refusedAs,
  UsageError,
  withDatabase,
} from './cli-support.js';

export const PROVIDER_USAGE = `otpget provider <command>                    SMS OTP provider types 1-6 (the API's "type")
  list [--json]                                               each type's upstream, protocol and state
  set <type> --protocol sandbox|sms-activate [--url URL] [--key KEY] [--currency CUR]
      [--timeout-ms N] [--upstream NAME] [--name LABEL]       point a type at an upstream (SMS-Activate protocol:
                                                              HeroSMS, SMSBower, Grizzly, DaisySMS, 5sim, …)
  route <type> <upstream>[,<upstream>…] [--policy priority|cheapest|best]
                                                              the upstreams a type buys from, in order (ids or
                                                              names); a purchase moves on when one refuses
  enable <type> | disable <type>                              offer or hide a type (BAD_TYPE while hidden)
  check <type>                                                ask the type's upstream for our balance there`;

export function parseType(text: string | undefined): number {
  if (text === undefined) throw new UsageError('a provider type (1-6) is required');
  if (!/^[1-6]$/.test(text)) throw new UsageError(`provider type must be 1-6, got "${text}"`);
  return Number(text);
}

async function list(args: string[], io: { out(line: string): void }): Promise<number> {
  const { values } = parseCommandArgs(args, { json: { type: 'boolean' } });
  await withDatabase(async ({ db }) => {
    const routes = new Map((await listTypeRoutes(db)).map((r) => [r.type, r]));
    const names = new Map((await listUpstreams(db)).map((u) => [u.id, u.name]));
    for (const type of await listProviderTypes(db)) {
      const upstream = await findUpstream(db, type.upstreamId);
      const route = routes.get(type.id);
      const view = {
        type: type.id,
        name: type.name,
        enabled: type.enabled,
        upstream: upstream?.name ?? null,
        protocol: upstream?.protocol ?? null,
        url: upstream?.baseUrl ?? null,
        currency: upstream?.currency ?? null,
        route: (route?.upstreamIds ?? []).map((id) => names.get(id) ?? String(id)),
        policy: route?.policy ?? 'priority',
      };
      if (values.json) io.out(JSON.stringify(view));
      else
        io.out(
          `${view.type}\t${view.enabled ? 'enabled' : 'disabled'}\t${view.name}\t${view.upstream} (${view.protocol}${view.url ? ` ${view.url}` : ''}, ${view.currency})` +
            (view.route.length > 1 ? `\troute ${view.route.join(' → ')} (${view.policy})` : ''),
        );
    }
  });
  return 0;
}

async function route(args: string[], io: { out(line: string): void }): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, { policy: { type: 'string' } });
  const type = parseType(positionals[0]);
  if (positionals.length !== 2) throw new UsageError('route needs <type> <upstream>[,<upstream>…]');
  const upstreams = (positionals[1] as string).split(',').map((u) => u.trim());
  if (upstreams.some((u) => u === ''))
    throw new UsageError(`upstreams are separated by commas, got "${positionals[1]}"`);
  const policy = values.policy;
  if (policy !== undefined && !isRoutePolicy(policy))
    throw new UsageError(`--policy must be one of ${ROUTE_POLICIES.join(', ')}, got "${policy}"`);
  const after = await withDatabase(({ db }) =>
    refusedAs([CatalogAdminError], () =>
      routeProviderTypeAsOperator(db, cliStamp(), type, upstreams, policy),
    ),
  );
  const names = await withDatabase(
    async ({ db }) => new Map((await listUpstreams(db)).map((u) => [u.id, u.name])),
  );
  io.out(
    `provider type ${type} buys from ${after.upstreamIds.map((id) => `"${names.get(id) ?? id}"`).join(', then ')} (${after.policy})`,
  );
  return 0;
}

async function set(args: string[], io: { out(line: string): void }): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    protocol: { type: 'string' },
    url: { type: 'string' },
    key: { type: 'string' },
    currency: { type: 'string' },
    'timeout-ms': { type: 'string' },
    upstream: { type: 'string' },
    name: { type: 'string' },
  });
  const type = parseType(positionals[0]);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`);
  const protocol = values.protocol;
  if (protocol !== undefined && !(SMS_PROTOCOLS as readonly string[]).includes(protocol)) {
    throw new UsageError(`--protocol must be one of ${SMS_PROTOCOLS.join(', ')}, got "${protocol}"`);
  }
  const timeout = values['timeout-ms'];
  if (timeout !== undefined && !/^\d{3,6}$/.test(timeout)) {
    throw new UsageError(
      `--timeout-ms must be a whole number of milliseconds (100-999999), got "${timeout}"`,
    );
  }
  if (values.currency !== undefined && !/^[A-Za-z]{3}$/.test(values.currency)) {
    throw new UsageError(`--currency must be a three-letter code like USD, got "${values.currency}"`);
  }
  if (protocol === undefined && values.name === undefined) {
    throw new UsageError('nothing to change: give --protocol or --name');
  }
  const upstream = await withDatabase(({ db }) =>
    refusedAs([CatalogAdminError], () =>
      configureProviderTypeAsOperator(db, cliStamp(), type, {
        ...(values.name !== undefined ? { name: values.name } : {}),
        ...(protocol !== undefined
          ? {
              upstream: {
                protocol: protocol as SmsProtocol,
                ...(values.url !== undefined ? { baseUrl: values.url } : {}),
                ...(values.key !== undefined ? { apiKey: values.key } : {}),
                ...(values.currency !== undefined ? { currency: values.currency } : {}),
                ...(timeout !== undefined ? { timeoutMs: Number(timeout) } : {}),
                ...(values.upstream !== undefined ? { upstreamName: values.upstream } : {}),
              },
            }
          : {}),
      }),
    ),
  );
  if (upstream === null) {
    io.out(`provider type ${type} renamed to "${values.name}"`);
    return 0;
  }
  io.out(
    `provider type ${type} now buys from "${upstream.name}" (${upstream.protocol}${upstream.baseUrl ? ` ${upstream.baseUrl}` : ''}, prices in ${upstream.currency})`,
  );
  if (upstream.protocol !== 'sandbox') {
    io.out(
      `map its offers with: otpget catalog offer ${type} <country> <service> --upstream-country C --upstream-service S --cost N`,
    );
  }
  return 0;
}

async function toggle(args: string[], io: { out(line: string): void }, enabled: boolean): Promise<number> {
  const { positionals } = parseCommandArgs(args, {});
  const type = parseType(positionals[0]);
  await withDatabase(({ db }) =>
    refusedAs([CatalogAdminError], () => switchProviderTypeAsOperator(db, cliStamp(), type, enabled)),
  );
  io.out(`provider type ${type} is now ${enabled ? 'enabled' : 'disabled'}`);
  return 0;
}

async function check(args: string[], io: { out(line: string): void }): Promise<number> {
  const { positionals } = parseCommandArgs(args, {});
  const type = parseType(positionals[0]);
  await withCliContext(async (ctx) => {
    const found = (await listProviderTypes(ctx.db)).find((t) => t.id === type);
    if (!found) throw new CommandError(`provider type ${type} does not exist`);
    const upstream = await ctx.providers.upstream(found.upstreamId);
    const provider = await ctx.providers.sms(found.upstreamId);
    if (!provider.getBalance) {
      io.out(`provider type ${type}: "${upstream.name}" (${upstream.protocol}) has no balance to check`);
      return;
    }
    try {
      const balance = await provider.getBalance(AbortSignal.timeout(upstream.timeoutMs + 1_000));
      io.out(
        `provider type ${type}: "${upstream.name}" answers; our balance there is ${formatMicros(balance)} ${upstream.currency}`,
      );
    } catch (error) {
      throw new CommandError(
        `provider type ${type}: "${upstream.name}" failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const synced = await syncSmsPrices(ctx, undefined, { onlyUpstreams: new Set([found.upstreamId]) });
    if (synced.synced.length > 0) io.out('prices synced from the upstream');
  });
  return 0;
}

export const providerCommand = commandGroup('provider', PROVIDER_USAGE, {
  list,
  set,
  route,
  enable: (args, io) => toggle(args, io, true),
  disable: (args, io) => toggle(args, io, false),
  check,
});
