import type { AppContext } from '../app-context.js';
import { readCatalogInt } from '../http/params.js';

/**
 * SMS-Activate service codes (`tg`, `wa`, …) beside our numeric service ids. Clients written for
 * that protocol send the code and look replies up by it (`getNumbersStatus`'s `tg_0`), so both
 * directions live here: a code to our id for input, our id to a code for output.
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

/** The service name an SMS-Activate code stands for (`tg` → Telegram), if the table knows it. */
export function serviceNameOfCode(code: string): string | undefined {
  return SERVICE_CODES[code.toLowerCase()];
}

const CODE_BY_NAME = new Map(Object.entries(SERVICE_CODES).map(([code, name]) => [name.toLowerCase(), code]));

/** What an upstream's own service code must look like to be shown as an SMS-Activate code. */
const CODE_SHAPE = /^[a-z][a-z0-9]{1,2}$/;

/**
 * The code a service is shown by: the SMS-Activate code of its name, else the upstream's own code
 * when it has that shape, else our numeric id (a service SMS-Activate has no code for).
 */
export function serviceCodeOf(service: {
  id: number;
  name?: string | undefined;
  upstreamService?: string;
}): string {
  const byName = service.name === undefined ? undefined : CODE_BY_NAME.get(service.name.toLowerCase());
  if (byName) return byName;
  const own = service.upstreamService?.toLowerCase() ?? '';
  return CODE_SHAPE.test(own) ? own : String(service.id);
}

/** Our service names by id, for wording codes. */
export async function serviceNames(ctx: AppContext): Promise<Map<number, string>> {
  const rows = await ctx.db.selectFrom('sms_services').select(['id', 'name']).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** The service id a request names: a numeric id as is, an SMS-Activate code looked up; null if unknown. */
export async function resolveServiceId(
  ctx: AppContext,
  raw: string | undefined,
  type: number,
  country: number | null,
): Promise<number | null> {
  const value = raw?.trim() ?? '';
  if (/^\d+$/.test(value)) return readCatalogInt(value);
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
  for (const [id, known] of await serviceNames(ctx))
    if (known.toLowerCase() === name.toLowerCase()) return id;
  return null;
}
