import type { AppContext } from '../app-context.js';
import { findProviderType } from '../catalog/catalog.repository.js';
import { readPositiveInt } from '../http/params.js';
import { type ActionHandler, json, text, type WireCall } from '../http/wire-types.js';
import { formatDateTime } from '../shared/clock.js';
import { formatPkr, paisaToPkrNumber } from '../shared/money.js';
import { SMS_WORDS, smsReplies } from './sms-replies.js';

/**
 * SMS-Activate-compatible actions on /stubs/handler_api.php, so clients written for that protocol
 * can switch by changing the URL and key. The reference's own actions keep their documented
 * replies; this file only adds actions, and wraps getNumber so that (a) a service given as an
 * SMS-Activate code (tg, wa, …) is read as our numeric id and (b) `maxPrice` is honoured. A
 * numeric service without maxPrice reaches the reference's getNumber untouched.
 * Differences from SMS-Activate are documented in docs/SMS-ACTIVATE-COMPAT.md.
 */

/** SMS-Activate service codes → the service names our catalogue uses (matched case-insensitively). */
const SERVICE_CODES: Readonly<Record<string, string>> = {
  tg: 'Telegram',
  wa: 'WhatsApp',
  ig: 'Instagram',
  fb: 'Facebook',
  go: 'Google',
  tw: 'Twitter',
  ds: 'Discord',
  vi: 'Viber',
  mm: 'Microsoft',
  am: 'Amazon',
  oi: 'Tinder',
  lf: 'TikTok',
  mb: 'Yahoo',
  wx: 'Apple',
  ts: 'PayPal',
  nf: 'Netflix',
  ub: 'Uber',
  sn: 'Snapchat',
  me: 'Line',
  wb: 'WeChat',
  dr: 'OpenAI',
};

/** The service id a request names: a numeric id as is, an SMS-Activate code looked up; null if unknown. */
async function resolveServiceId(
  ctx: AppContext,
  raw: string | undefined,
  type: number,
  country: number | null,
): Promise<number | null> {
  const value = raw?.trim() ?? '';
  if (/^\d+$/.test(value)) return readPositiveInt(value);
  if (value === '' || !/^[a-z0-9_]{1,16}$/i.test(value)) return null;
  const code = value.toLowerCase();
  // An upstream that speaks SMS-Activate stores its own code for the row: the most exact match.
  if (country !== null) {
    const row = await ctx.db
      .selectFrom('sms_prices')
      .select('service_id')
      .where('provider_type', '=', type)
      .where('country_id', '=', country)
      .where('upstream_service', '=', code)
      .where('enabled', '=', 1)
      .executeTakeFirst();
    if (row) return row.service_id;
  }
  const name = SERVICE_CODES[code];
  if (!name) return null;
  const services = await ctx.db.selectFrom('sms_services').select(['id', 'name']).execute();
  return services.find((s) => s.name.toLowerCase() === name.toLowerCase())?.id ?? null;
}

function readType(raw: string | undefined): number | null {
  if (raw === undefined || raw.trim() === '') return 1;
  return readPositiveInt(raw);
}

/** A type that exists and is switched on (the catalogue's own check for BAD_TYPE). */
async function knownType(ctx: AppContext, raw: string | undefined): Promise<number | null> {
  const type = readType(raw);
  if (type === null) return null;
  return (await findProviderType(ctx.db, type))?.enabled ? type : null;
}

/** "45.5" / "45.50" / "45" → paisa; null when not an amount. */
function pkrToPaisa(raw: string): number | null {
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(raw.trim());
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** The activation's price as SMS-Activate prints costs: a decimal string. */
const cost = (paisa: number) => formatPkr(paisa);

interface ActivationRow {
  public_id: string;
  phone: string | null;
  state: string;
  code: string | null;
  sms_text: string | null;
  price_paisa: number;
  created_at: number;
  catalog_ref: string;
  updated_at: number;
}

async function findActivation(ctx: AppContext, accountId: number, id: string): Promise<ActivationRow | null> {
  const row = await ctx.db
    .selectFrom('activations')
    .select([
      'public_id',
      'phone',
      'state',
      'code',
      'sms_text',
      'price_paisa',
      'created_at',
      'catalog_ref',
      'updated_at',
    ])
    .where('account_id', '=', accountId)
    .where('line', '=', 'sms')
    .where('public_id', '=', id)
    .executeTakeFirst();
  return row ?? null;
}

const WAITING = new Set(['pending', 'active']);
const WITH_CODE = new Set(['code_received', 'finished']);

/** `type:1/country:61/service:101` → its parts. */
function refParts(ref: string): { country: string; service: string } {
  return {
    country: /country:(\d+)/.exec(ref)?.[1] ?? '',
    service: /service:(\d+)/.exec(ref)?.[1] ?? '',
  };
}

/**
 * The compatibility actions, given the endpoint's own getNumber (wrapped, not replaced in
 * behaviour). Spread after the reference's actions in the endpoint's action map.
 */
export function smsActivateCompatActions(
  ctx: AppContext,
  own: { getNumber: ActionHandler },
): Record<string, ActionHandler> {
  /** getNumber with service codes and maxPrice; otherwise exactly the reference's getNumber. */
  const getNumber: ActionHandler = async (call) => {
    const { params } = call;
    const service = params.service?.trim() ?? '';
    const maxPrice = params.maxPrice?.trim();
    if (/^\d*$/.test(service) && (maxPrice === undefined || maxPrice === '')) return own.getNumber(call);
    const type = readType(params.type);
    const country = readPositiveInt(params.country);
    if (type === null) return text(SMS_WORDS.BAD_TYPE);
    const serviceId = await resolveServiceId(ctx, service, type, country);
    if (serviceId === null) return text(SMS_WORDS.BAD_SERVICE);
    if (maxPrice !== undefined && maxPrice !== '') {
      const limit = pkrToPaisa(maxPrice);
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

  /** The SMS-Activate V2 purchase reply: JSON with the id, number and cost. */
  const getNumberV2: ActionHandler = async (call) => {
    const reply = await getNumber(call);
    if (reply.kind !== 'text') return reply;
    const match = /^ACCESS_NUMBER:([^:]+):(\d+)$/.exec(reply.body);
    if (!match) return reply;
    const row = await findActivation(ctx, call.accountId, match[1] as string);
    return json({
      activationId: match[1],
      phoneNumber: match[2],
      activationCost: cost(row?.price_paisa ?? 0),
      countryCode: refParts(row?.catalog_ref ?? '').country,
      canGetAnotherSms: false,
      activationTime: formatDateTime(row?.created_at ?? ctx.clock.now()),
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

  const getActiveActivations: ActionHandler = async ({ accountId }) => {
    const rows = await ctx.db
      .selectFrom('activations')
      .select(['public_id', 'phone', 'state', 'code', 'sms_text', 'price_paisa', 'created_at', 'catalog_ref'])
      .where('account_id', '=', accountId)
      .where('line', '=', 'sms')
      .where('state', 'in', ['active', 'code_received'])
      .orderBy('id', 'desc')
      .limit(100)
      .execute();
    if (rows.length === 0) return json(smsReplies.noActivations());
    return json({
      status: 'success',
      activeActivations: rows.map((r) => ({
        activationId: r.public_id,
        serviceCode: refParts(r.catalog_ref).service,
        phoneNumber: r.phone ?? '',
        activationCost: cost(r.price_paisa),
        // SMS-Activate's activation status words: 4 waiting for a code, 2 code received.
        activationStatus: r.state === 'active' ? '4' : '2',
        smsCode: r.code === null ? null : [r.code],
        smsText: r.sms_text === null ? null : [r.sms_text],
        activationTime: formatDateTime(r.created_at),
        countryCode: refParts(r.catalog_ref).country,
      })),
    });
  };

  /** Priced, enabled rows of a type, optionally one country and one service. */
  async function offers(type: number, country: number | null, service: number | null) {
    return ctx.db
      .selectFrom('sms_prices')
      .select(['country_id', 'service_id', 'price_paisa', 'stock'])
      .where('provider_type', '=', type)
      .where('enabled', '=', 1)
      .where('price_paisa', 'is not', null)
      .$if(country !== null, (qb) => qb.where('country_id', '=', country as number))
      .$if(service !== null, (qb) => qb.where('service_id', '=', service as number))
      .orderBy('country_id')
      .orderBy('service_id')
      .execute();
  }

  /** `{"61":{"101":{"cost":45,"count":100}}}`: cost a number in PKR, as SMS-Activate prints rubles. */
  const getPrices: ActionHandler = async ({ params }) => {
    const type = await knownType(ctx, params.type);
    if (type === null) return text(SMS_WORDS.BAD_TYPE);
    const country = params.country?.trim() ? readPositiveInt(params.country) : null;
    if (params.country?.trim() && country === null) return text(SMS_WORDS.BAD_COUNTRY);
    let service: number | null = null;
    if (params.service?.trim()) {
      service = await resolveServiceId(ctx, params.service, type, country);
      if (service === null) return text(SMS_WORDS.BAD_SERVICE);
    }
    const body: Record<string, Record<string, { cost: number; count: number }>> = {};
    for (const row of await offers(type, country, service)) {
      const byService = body[String(row.country_id)] ?? {};
      byService[String(row.service_id)] = {
        cost: paisaToPkrNumber(row.price_paisa ?? 0),
        count: row.stock ?? 0,
      };
      body[String(row.country_id)] = byService;
    }
    return json(body);
  };

  /** `{"101_0":100,…}` for one country: SMS-Activate's "service_forward" keys, never forwarded here. */
  const getNumbersStatus: ActionHandler = async ({ params }) => {
    const type = await knownType(ctx, params.type);
    if (type === null) return text(SMS_WORDS.BAD_TYPE);
    const country = readPositiveInt(params.country);
    if (country === null) return text(SMS_WORDS.BAD_COUNTRY);
    const body: Record<string, number> = {};
    for (const row of await offers(type, country, null)) body[`${row.service_id}_0`] = row.stock ?? 0;
    return json(body);
  };

  return {
    getNumber,
    getNumberV2,
    getStatusV2,
    getFullSms,
    getActiveActivations,
    getPrices,
    getNumbersStatus,
  };
}

function withParams(call: WireCall, extra: Record<string, string>): WireCall {
  return { ...call, params: { ...call.params, ...extra } };
}
