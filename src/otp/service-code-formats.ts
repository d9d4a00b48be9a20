/**
 * How well-known services format their codes. Used only as a tie-breaker hint: a message is
 * still parsed on its own merits when the service is unknown or sends something unusual.
 * Keys are our catalogue's service codes (SMS-Activate style) and lower-cased service names.
 */

export interface ServiceCodeFormat {
  /** Digit counts the service sends. */
  lengths: readonly number[];
  /** A prefix the service puts before the digits ("G-482913"). */
  prefix?: 'G' | 'FB';
}

const WHATSAPP: ServiceCodeFormat = { lengths: [6] };
const TELEGRAM: ServiceCodeFormat = { lengths: [5] };
const GOOGLE: ServiceCodeFormat = { lengths: [6], prefix: 'G' };
const FACEBOOK: ServiceCodeFormat = { lengths: [5, 6, 8], prefix: 'FB' };
const SIX_DIGITS: ServiceCodeFormat = { lengths: [6] };
const MICROSOFT: ServiceCodeFormat = { lengths: [4, 6, 7, 8] };
const UBER: ServiceCodeFormat = { lengths: [4] };

// A Map, not an object, so a service named "constructor" cannot reach Object.prototype.
const FORMATS: ReadonlyMap<string, ServiceCodeFormat> = new Map(
  Object.entries({
    wa: WHATSAPP,
    whatsapp: WHATSAPP,
    tg: TELEGRAM,
    telegram: TELEGRAM,
    go: GOOGLE,
    google: GOOGLE,
    gmail: GOOGLE,
    youtube: GOOGLE,
    fb: FACEBOOK,
    fbb: FACEBOOK,
    facebook: FACEBOOK,
    ig: SIX_DIGITS,
    instagram: SIX_DIGITS,
    lf: SIX_DIGITS,
    tiktok: SIX_DIGITS,
    ds: SIX_DIGITS,
    discord: SIX_DIGITS,
    dr: SIX_DIGITS,
    openai: SIX_DIGITS,
    chatgpt: SIX_DIGITS,
    am: SIX_DIGITS,
    amazon: SIX_DIGITS,
    wx: SIX_DIGITS,
    apple: SIX_DIGITS,
    git: SIX_DIGITS,
    github: SIX_DIGITS,
    tw: SIX_DIGITS,
    twitter: SIX_DIGITS,
    x: SIX_DIGITS,
    mm: MICROSOFT,
    microsoft: MICROSOFT,
    outlook: MICROSOFT,
    ub: UBER,
    uber: UBER,
  }),
);

/** The known format for a service code or name, if any ("tg", "Telegram", "OpenAI / ChatGPT"). */
export function findServiceCodeFormat(service: string | undefined): ServiceCodeFormat | undefined {
  if (service === undefined) return undefined;
  const key = service.trim().toLowerCase();
  const direct = FORMATS.get(key);
  if (direct !== undefined) return direct;
  // Catalogue names like "OpenAI / ChatGPT" or "Facebook Business": try each word.
  for (const word of key.split(/[^a-z0-9]+/)) {
    const format = word === '' ? undefined : FORMATS.get(word);
    if (format !== undefined) return format;
  }
  return undefined;
}
