import { PriceConfigError, setExchangeRate, setMarkup } from '../admin/prices-admin.service.js';
import { CatalogAdminError, listPriceRows, type PriceRowInput } from '../catalog/catalog-admin.js';
import { changeSmsOfferAsOperator, nameSmsCatalogEntryAsOperator } from '../catalog/catalog-admin.service.js';
import { type ImportFilter, importSmsCatalogueFromRoute } from '../catalog/catalog-import.js';
import { syncSmsPrices } from '../catalog/sms-prices.js';
import { parsePercentToBasisPoints } from '../pricing/pricing.js';
import { systemClock } from '../shared/clock.js';
import { formatMicros, parseOperatorMicros } from '../shared/micros.js';
import { formatPkr, parsePkr } from '../shared/money.js';
import { withCliContext } from './cli-context.js';
import {
  type CliIo,
  type Command,
  cliActor,
  cliStamp,
  commandGroup,
  parseCommandArgs,
  progressReporter,
  refusedAs,
  UsageError,
  withDatabase,
} from './cli-support.js';
import { parseType } from './provider-commands.js';

export const CATALOG_USAGE = `otpget catalog <command>                     the SMS OTP catalog (countries, services, offers per type)
  list [--type N] [--country ID] [--json]                     offers with upstream codes, cost, price and stock
  country <id> <name> | service <id> <name>                   add or rename a country or service (our ids)
  offer <type> <country> <service> [--upstream ID|NAME] [--upstream-country C] [--upstream-service S]
      [--cost DECIMAL] [--price PKR|auto] [--enable|--disable]  add or change one upstream's offer (default the
                                                              type's first upstream; cost in its currency;
                                                              --price fixes the customer price)
  sync                                                        fetch upstream costs now and recompute prices
  import <type> [--upstream ID|NAME] [--countries C,…] [--services S,…]
                                                              countries, services and offers from each upstream of
                                                              the type's route, or the one named (its own country
                                                              ids and service codes narrow it)`;

export const PRICE_USAGE = `otpget price <command>                       exchange rates and markup (customer price = cost × rate × markup)
  rate <CUR> <PKR>                                            PKR per unit of CUR, e.g. otpget price rate USD 280.50
  markup <scope> <percent>                                    scopes: sms, sms:type:N, sms:type:N:service:ID,
                                                              cheap, rental, email; e.g. otpget price markup sms 25`;

function parseId(text: string | undefined, what: string): number {
  if (text === undefined || !/^\d{1,9}$/.test(text) || Number(text) === 0) {
    throw new UsageError(`${what} must be a positive whole number, got "${text ?? ''}"`);
  }
  return Number(text);
}

async function list(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, {
    type: { type: 'string' },
    country: { type: 'string' },
    json: { type: 'boolean' },
  });
  const filter = {
    ...(values.type !== undefined ? { type: parseType(values.type) } : {}),
    ...(values.country !== undefined ? { countryId: parseId(values.country, '--country') } : {}),
  };
  const rows = await withDatabase(({ db }) => listPriceRows(db, filter));
  for (const r of rows) {
    const keyed = rows.some(
      (o) => o !== r && o.type === r.type && o.countryId === r.countryId && o.serviceId === r.serviceId,
    );
    const price = r.pricePaisa !== null ? `${formatPkr(r.pricePaisa)} PKR` : keyed ? 'fallback' : 'unpriced';
    if (values.json) {
      io.out(
        JSON.stringify({
          ...r,
          cost: formatMicros(r.costMicros),
          price: r.pricePaisa === null ? null : formatPkr(r.pricePaisa),
        }),
      );
    } else {
      io.out(
        [
          `type ${r.type}`,
          `${r.countryId} ${r.country}`,
          `${r.serviceId} ${r.service}`,
          `${r.upstream} ${r.upstreamCountry}/${r.upstreamService}`,
          `cost ${formatMicros(r.costMicros)}`,
          `${price}${r.fixedPricePaisa !== null ? ' (fixed)' : ''}`,
          `stock ${r.stock ?? '?'}`,
          r.enabled ? 'enabled' : 'disabled',
        ].join('\t'),
      );
    }
  }
  return 0;
}

async function named(args: string[], io: CliIo, what: 'country' | 'service'): Promise<number> {
  const { positionals } = parseCommandArgs(args, {});
  const id = parseId(positionals[0], `${what} id`);
  const name = positionals.slice(1).join(' ').trim();
  if (name === '') throw new UsageError(`a ${what} name is required`);
  await withDatabase(({ db }) => nameSmsCatalogEntryAsOperator(db, cliStamp(), what, id, name));
  io.out(`${what} ${id} is "${name}"`);
  return 0;
}

async function offer(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    upstream: { type: 'string' },
    'upstream-country': { type: 'string' },
    'upstream-service': { type: 'string' },
    cost: { type: 'string' },
    price: { type: 'string' },
    enable: { type: 'boolean' },
    disable: { type: 'boolean' },
  });
  if (positionals.length !== 3) throw new UsageError('offer needs <type> <country> <service>');
  if (values.enable && values.disable) throw new UsageError('give --enable or --disable, not both');
  const input: PriceRowInput = {
    type: parseType(positionals[0]),
    countryId: parseId(positionals[1], 'country id'),
    serviceId: parseId(positionals[2], 'service id'),
  };
  if (values.upstream !== undefined) input.upstream = values.upstream;
  if (values['upstream-country'] !== undefined) input.upstreamCountry = values['upstream-country'];
  if (values['upstream-service'] !== undefined) input.upstreamService = values['upstream-service'];
  if (values.cost !== undefined) {
    const micros = parseOperatorMicros(values.cost);
    if (micros === null) throw new UsageError(`--cost must be a decimal like 0.155, got "${values.cost}"`);
    input.costMicros = micros;
  }
  if (values.price !== undefined) {
    const paisa = values.price === 'auto' ? null : parsePkr(values.price);
    if (paisa === null && values.price !== 'auto') {
      throw new UsageError(`--price must be a PKR amount like 45 or 12.50, or "auto", got "${values.price}"`);
    }
    input.fixedPricePaisa = paisa;
  }
  if (values.enable) input.enabled = true;
  if (values.disable) input.enabled = false;
  const row = await withDatabase(({ db }) =>
    refusedAs([CatalogAdminError], () => changeSmsOfferAsOperator(db, cliStamp(), input)),
  );
  const keyRows = await withDatabase(({ db }) =>
    listPriceRows(db, { type: input.type, countryId: input.countryId }),
  );
  const priceRow = keyRows.find((r) => r.serviceId === input.serviceId && r.pricePaisa !== null);
  const price =
    row?.pricePaisa != null
      ? `${formatPkr(row.pricePaisa)} PKR`
      : priceRow?.pricePaisa != null
        ? `sold at ${formatPkr(priceRow.pricePaisa)} PKR, the price of "${priceRow.upstream}"'s offer, when the route reaches "${row?.upstream}"`
        : 'unpriced (set an exchange rate: otpget price rate …)';
  io.out(`offer type ${input.type} country ${input.countryId} service ${input.serviceId}: ${price}`);
  return 0;
}

async function sync(_args: string[], io: CliIo): Promise<number> {
  const result = await withCliContext((ctx) => syncSmsPrices(ctx, undefined, { audit: cliStamp() }));
  io.out(`prices recomputed; upstream costs fetched from ${result.synced.length} upstream(s)`);
  for (const failure of result.failed) io.err(`upstream ${failure.upstreamId} failed: ${failure.reason}`);
  return result.failed.length === 0 ? 0 : 1;
}

/** "0,16, 36" → the set of items; a usage error for an empty item or anything but codes. */
function codeList(text: string | undefined, flag: string): Set<string> | undefined {
  if (text === undefined) return undefined;
  const items = text.split(',').map((item) => item.trim());
  if (items.some((item) => !/^[A-Za-z0-9_]{1,16}$/.test(item))) {
    throw new UsageError(`${flag} takes upstream codes separated by commas, got "${text}"`);
  }
  return new Set(items);
}

async function importCatalogue(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(args, {
    upstream: { type: 'string' },
    countries: { type: 'string' },
    services: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('import needs <type>');
  const type = parseType(positionals[0]);
  const filter = {
    ...(values.countries !== undefined ? { countries: codeList(values.countries, '--countries') } : {}),
    ...(values.services !== undefined ? { services: codeList(values.services, '--services') } : {}),
  };
  await withCliContext((ctx) =>
    refusedAs([CatalogAdminError], async () => {
      const imports = await importSmsCatalogueFromRoute(
        ctx,
        type,
        filter as ImportFilter,
        cliStamp(),
        values.upstream,
        (upstream) => {
          io.progress?.(
            `type ${type} from "${upstream}": reading the upstream's countries, services and prices…`,
          );
          return progressReporter(io, `type ${type} from "${upstream}": writing rows`);
        },
      );
      for (const { upstream, summary, ms } of imports) {
        const { countries, services, offers } = summary;
        io.out(
          `type ${type} from "${upstream}": countries ${countries.matched} matched, ${countries.added} added; ` +
            `services ${services.matched} matched, ${services.added} added; offers ${offers.added} added, ` +
            `${offers.updated} updated, ${offers.unchanged} unchanged, ${offers.disabled} disabled (${ms} ms)`,
        );
      }
    }),
  );
  return 0;
}

export const catalogCommand = commandGroup('catalog', CATALOG_USAGE, {
  list,
  country: (args, io) => named(args, io, 'country'),
  service: (args, io) => named(args, io, 'service'),
  offer,
  sync,
  import: importCatalogue,
});

export const priceCommand: Command = async (args, io) => {
  const [sub, ...rest] = args;
  const { positionals } = parseCommandArgs(rest, {});
  if (sub === 'rate' && positionals.length === 2) {
    const currency = (positionals[0] as string).toUpperCase();
    if (!/^[A-Z]{3}$/.test(currency) || currency === 'PKR') {
      throw new UsageError(`currency must be a three-letter code other than PKR, got "${positionals[0]}"`);
    }
    const micros = parseOperatorMicros(positionals[1] as string);
    if (micros === null || micros === 0)
      throw new UsageError(`rate must be a positive decimal like 280.50, got "${positionals[1]}"`);
    // The console's service: the rate and its audit row in one transaction, then the recompute.
    await withDatabase(({ db }) =>
      setExchangeRate(db, systemClock, cliActor(), currency, positionals[1] as string),
    );
    io.out(`1 ${currency} = ${formatMicros(micros)} PKR; SMS OTP prices recomputed`);
    return 0;
  }
  if (sub === 'markup' && positionals.length === 2) {
    const scope = positionals[0] as string;
    if (!/^(sms(:type:[1-6](:service:\d{1,9})?)?|cheap|rental|email)(:[\w:-]+)?$/.test(scope)) {
      throw new UsageError(`unknown markup scope "${scope}"`);
    }
    const basisPoints = parsePercentToBasisPoints(positionals[1] as string);
    if (basisPoints === null)
      throw new UsageError(`markup must be a percentage like 25 or -10, got "${positionals[1]}"`);
    await withDatabase(async ({ db }) => {
      try {
        await setMarkup(db, systemClock, cliActor(), scope, positionals[1] as string);
      } catch (error) {
        if (error instanceof PriceConfigError) throw new UsageError(error.message);
        throw error;
      }
    });
    io.out(`markup for ${scope} is ${positionals[1]} %; SMS OTP prices recomputed`);
    return 0;
  }
  throw new UsageError(PRICE_USAGE);
};
