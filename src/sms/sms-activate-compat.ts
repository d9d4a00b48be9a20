import type { AppContext } from '../app-context.js';
import { findProviderType } from '../catalog/catalog.repository.js';
import { parseSmsCatalogRef } from '../catalog/sms-catalog.service.js';
import { readCatalogInt } from '../http/params.js';
import { type ActionHandler, json, text, type WireCall } from '../http/wire-types.js';
import { formatDateTime } from '../shared/clock.js';
import { formatPkr, paisaToPkrNumber, parsePkr } from '../shared/money.js';
import { dialCodeOf } from './dial-codes.js';
import { resolveServiceId, serviceCodeOf, serviceNames } from './service-codes.js';
import { SMS_WORDS, smsReplies } from './sms-replies.js';

/**
 * SMS-Activate-compatible actions on /stubs/handler_api.php, so clients written for that protocol
 * can switch by changing the URL and key. The reference's own actions keep their documented
 * replies; this file only adds actions, and wraps getNumber so that (a) a service given as an
 * SMS-Activate code (tg, wa, …) is read as our numeric id and (b) `maxPrice` is honoured. A
 * numeric service without maxPrice reaches the reference's getNumber untouched.
 * Differences from SMS-Activate are documented in docs/SMS-ACTIVATE-COMPAT.md.
 */

function readType(raw: string | undefined): number | null {
  if (raw === undefined || raw.trim() === '') return 1;
  return readCatalogInt(raw);
}

/** A type that exists and is switched on (the catalogue's own check for BAD_TYPE). */
async function knownType(ctx: AppContext, raw: string | undefined): Promise<number | null> {
  const type = readType(raw);
  if (type === null) return null;
  return (await findProviderType(ctx.db, type))?.enabled ? type : null;
}

/** The activation's price as SMS-Activate prints costs: a decimal string. */
const cost = (paisa: number) => formatPkr(paisa);

/** ISO 4217 numeric code of the wallet currency (PKR), where SMS-Activate forks print 840 for USD. */
const PKR_CURRENCY = 586;

interface ActivationRow {
  public_id: string;
  phone: string | null;
  state: string;
  code: string | null;
  sms_text: string | null;
  price_paisa: number;
  created_at: number;
  catalog_ref: string;
  upstream_service: string;
  expires_at: number;
  updated_at: number;
}

/** The activation columns every compatibility reply reads. */
const ACTIVATION_COLUMNS = [
  'public_id',
  'phone',
  'state',
  'code',
  'sms_text',
  'price_paisa',
  'created_at',
  'catalog_ref',
  'upstream_service',
  'expires_at',
  'updated_at',
] as const;

async function findActivation(ctx: AppContext, accountId: number, id: string): Promise<ActivationRow | null> {
  const row = await ctx.db
    .selectFrom('activations')
    .select(ACTIVATION_COLUMNS)
    .where('account_id', '=', accountId)
    .where('line', '=', 'sms')
    .where('public_id', '=', id)
    .executeTakeFirst();
  return row ?? null;
}

const WAITING = new Set(['pending', 'active']);
const WITH_CODE = new Set(['code_received', 'finished']);

/** An activation's catalogue entry as SMS-Activate's replies name it: our ids as strings ('' if none). */
function refParts(ref: string): { country: string; service: string } {
  const entry = parseSmsCatalogRef(ref);
  return { country: entry ? String(entry.countryId) : '', service: entry ? String(entry.serviceId) : '' };
}

/** Our country names by id, for countryName and the dialling code. */
async function countryNames(ctx: AppContext): Promise<Map<number, string>> {
  const rows = await ctx.db.selectFrom('sms_countries').select(['id', 'name']).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * The compatibility actions, given the endpoint's own getNumber (wrapped, not replaced in
 * behaviour). Spread after the reference's actions in the endpoint's action map.
 */
export function smsActivateCompatActions(
  ctx: AppContext,
  own: { getNumber: ActionHandler; getBalance: ActionHandler },
): Record<string, ActionHandler> {
  /** getNumber with service codes and maxPrice; otherwise exactly the reference's getNumber. */
  const getNumber: ActionHandler = async (call) => {
    const { params } = call;
    const service = params.service?.trim() ?? '';
    const maxPrice = params.maxPrice?.trim();
    if (/^\d*$/.test(service) && (maxPrice === undefined || maxPrice === '')) return own.getNumber(call);
    const type = readType(params.type);
    const country = readCatalogInt(params.country);
    if (type === null) return text(SMS_WORDS.BAD_TYPE);
    const serviceId = await resolveServiceId(ctx, service, type, country);
    if (serviceId === null) return text(SMS_WORDS.BAD_SERVICE);
    if (maxPrice !== undefined && maxPrice !== '') {
      const limit = parsePkr(maxPrice);
      if (limit === null) return text(SMS_WORDS.BAD_DATA);
      if (country !== null) {
        const row = await ctx.db
          .selectFrom('sms_prices')
          .select('price_paisa')
          .where('provider_type', '=', type)
          .where('country_id', '=', country)
          .where('service_id', '=', serviceId)
          .where('enabled', '=', 1)
          .executeTakeFirst();
        if (row?.price_paisa != null && row.price_paisa > limit) {
          return text(smsReplies.wrongMaxPrice(cost(row.price_paisa)));
        }
      }
    }
    return own.getNumber(withParams(call, { service: String(serviceId) }));
  };

  /** The SMS-Activate V2 purchase reply: JSON with the id, number, cost and times. */
  const getNumberV2: ActionHandler = async (call) => {
    const reply = await getNumber(call);
    if (reply.kind !== 'text') return reply;
    const match = /^ACCESS_NUMBER:([^:]+):(\d+)$/.exec(reply.body);
    if (!match) return reply;
    const row = await findActivation(ctx, call.accountId, match[1] as string);
    const country = refParts(row?.catalog_ref ?? '').country;
    const countryName = (await countryNames(ctx)).get(Number(country));
    return json({
      activationId: match[1],
      phoneNumber: match[2],
      activationCost: cost(row?.price_paisa ?? 0),
      currency: PKR_CURRENCY,
      countryCode: country,
      countryPhoneCode: dialCodeOf(countryName),
      canGetAnotherSms: false,
      activationTime: formatDateTime(row?.created_at ?? ctx.clock.now()),
      activationEndTime: formatDateTime(row?.expires_at ?? ctx.clock.now()),
      activationOperator: 'any',
    });
  };

  const getStatusV2: ActionHandler = async ({ params, accountId }) => {
    const id = params.id?.trim() ?? '';
    if (id === '') return text(SMS_WORDS.BAD_ID);
    const row = await findActivation(ctx, accountId, id);
    if (!row) return text(SMS_WORDS.NO_ACTIVATION);
    if (!WAITING.has(row.state) && !WITH_CODE.has(row.state)) return text(SMS_WORDS.STATUS_CANCEL);
    const sms = WITH_CODE.has(row.state)
      ? { dateTime: formatDateTime(row.updated_at), code: row.code ?? '', text: row.sms_text ?? '' }
      : null;
    return json({ verificationType: 0, sms, call: null });
  };

  const getFullSms: ActionHandler = async ({ params, accountId }) => {
    const id = params.id?.trim() ?? '';
    if (id === '') return text(SMS_WORDS.BAD_ID);
    const row = await findActivation(ctx, accountId, id);
    if (!row) return text(SMS_WORDS.NO_ACTIVATION);
    if (WAITING.has(row.state)) return text(SMS_WORDS.STATUS_WAIT_CODE);
    if (!WITH_CODE.has(row.state)) return text(SMS_WORDS.STATUS_CANCEL);
    return text(smsReplies.fullSms((row.sms_text ?? '').replace(/[\r\n]+/g, ' ')));
  };

  /** Both keys: SMS-Activate and its clones read `activeActivations`, newer typed forks `data`. */
  const getActiveActivations: ActionHandler = async ({ accountId }) => {
    const rows = await ctx.db
      .selectFrom('activations')
      .select(ACTIVATION_COLUMNS)
      .where('account_id', '=', accountId)
      .where('line', '=', 'sms')
      .where('state', 'in', ['active', 'code_received'])
      .orderBy('id', 'desc')
      .limit(100)
      .execute();
    if (rows.length === 0) return json(smsReplies.noActivations());
    const [services, countries] = await Promise.all([serviceNames(ctx), countryNames(ctx)]);
    const activations = rows.map((r) => {
      const ref = refParts(r.catalog_ref);
      const serviceId = Number(ref.service);
      return {
        activationId: r.public_id,
        serviceCode: serviceCodeOf({
          id: serviceId,
          name: services.get(serviceId),
          upstreamService: r.upstream_service,
        }),
        phoneNumber: r.phone ?? '',
        activationCost: cost(r.price_paisa),
        // SMS-Activate's activation status words: 4 waiting for a code, 2 code received.
        activationStatus: r.state === 'active' ? '4' : '2',
        smsCode: r.code === null ? null : [r.code],
        smsText: r.sms_text === null ? null : [r.sms_text],
        activationTime: formatDateTime(r.created_at),
        discount: '0',
        repeated: '0',
        countryCode: ref.country,
        countryName: countries.get(Number(ref.country)) ?? '',
        canGetAnotherSms: false,
        currency: PKR_CURRENCY,
      };
    });
    return json({ status: 'success', activeActivations: activations, data: activations });
  };

  /** Priced, enabled rows of a type, optionally one country and one service, each with its code. */
  async function offers(type: number, country: number | null, service: number | null) {
    const rows = await ctx.db
      .selectFrom('sms_prices')
      .select(['country_id', 'service_id', 'upstream_service', 'price_paisa', 'stock'])
      .where('provider_type', '=', type)
      .where('enabled', '=', 1)
      .where('price_paisa', 'is not', null)
      .$if(country !== null, (qb) => qb.where('country_id', '=', country as number))
      .$if(service !== null, (qb) => qb.where('service_id', '=', service as number))
      .orderBy('country_id')
      .orderBy('service_id')
      .execute();
    const names = await serviceNames(ctx);
    return rows.map((r) => ({
      country: r.country_id,
      code: serviceCodeOf({
        id: r.service_id,
        name: names.get(r.service_id),
        upstreamService: r.upstream_service,
      }),
      pricePkr: paisaToPkrNumber(r.price_paisa ?? 0),
      stock: r.stock ?? 0,
    }));
  }

  /** `{"61":{"tg":{"cost":45,"count":100}}}`: cost a number in PKR, as SMS-Activate prints rubles. */
  const getPrices: ActionHandler = async ({ params }) => {
    const type = await knownType(ctx, params.type);
    if (type === null) return text(SMS_WORDS.BAD_TYPE);
    const country = params.country?.trim() ? readCatalogInt(params.country) : null;
    if (params.country?.trim() && country === null) return text(SMS_WORDS.BAD_COUNTRY);
    let service: number | null = null;
    if (params.service?.trim()) {
      service = await resolveServiceId(ctx, params.service, type, country);
      if (service === null) return text(SMS_WORDS.BAD_SERVICE);
    }
    const body: Record<string, Record<string, { cost: number; count: number }>> = {};
    for (const offer of await offers(type, country, service)) {
      const byService = body[String(offer.country)] ?? {};
      byService[offer.code] ??= { cost: offer.pricePkr, count: offer.stock };
      body[String(offer.country)] = byService;
    }
    return json(body);
  };

  /** `{"tg_0":100,…}` for one country: SMS-Activate's "service_forward" keys, never forwarded here. */
  const getNumbersStatus: ActionHandler = async ({ params }) => {
    const type = await knownType(ctx, params.type);
    if (type === null) return text(SMS_WORDS.BAD_TYPE);
    const country = readCatalogInt(params.country);
    if (country === null) return text(SMS_WORDS.BAD_COUNTRY);
    const body: Record<string, number> = {};
    for (const offer of await offers(type, country, null)) body[`${offer.code}_0`] ??= offer.stock;
    return json(body);
  };

  /**
   * `{"0":{"country":61,"count":100,"price":45,"retail_price":45}, …}`: the countries selling a
   * service, most stock first. One price per row, so `price` and `retail_price` are the same.
   */
  const getTopCountriesByService: ActionHandler = async ({ params }) => {
    const type = await knownType(ctx, params.type);
    if (type === null) return text(SMS_WORDS.BAD_TYPE);
    let service: number | null = null;
    if (params.service?.trim()) {
      service = await resolveServiceId(ctx, params.service, type, null);
      if (service === null) return text(SMS_WORDS.BAD_SERVICE);
    }
    const rows = (await offers(type, null, service)).sort(
      (a, b) => b.stock - a.stock || a.country - b.country,
    );
    const body: Record<string, { country: number; count: number; price: number; retail_price: number }> = {};
    rows.forEach((offer, index) => {
      body[String(index)] = {
        country: offer.country,
        count: offer.stock,
        price: offer.pricePkr,
        retail_price: offer.pricePkr,
      };
    });
    return json(body);
  };

  /**
   * No upstream here lets a customer pick a mobile operator, so every country answers the one
   * operator SMS-Activate uses for "whichever": `any`. An unknown country is OPERATORS_NOT_FOUND.
   */
  const getOperators: ActionHandler = async ({ params }) => {
    const countries = [...(await countryNames(ctx)).keys()].sort((a, b) => a - b);
    const asked = params.country?.trim() ? readCatalogInt(params.country) : null;
    if (params.country?.trim() && (asked === null || !countries.includes(asked))) {
      return json(smsReplies.noOperators());
    }
    const countryOperators: Record<string, string[]> = {};
    for (const id of asked === null ? countries : [asked]) countryOperators[String(id)] = ['any'];
    return json({ status: 'success', countryOperators });
  };

  return {
    getNumber,
    getBalanceAndCashBack: own.getBalance,
    getNumberV2,
    getStatusV2,
    getFullSms,
    getActiveActivations,
    getPrices,
    getNumbersStatus,
    getTopCountriesByService,
    getOperators,
  };
}

function withParams(call: WireCall, extra: Record<string, string>): WireCall {
  return { ...call, params: { ...call.params, ...extra } };
}
