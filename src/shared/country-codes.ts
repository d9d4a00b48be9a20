/**
 * English country name → ISO 3166-1 alpha-2 code, lower case ("Canada" → "ca"): the rental API's
 * `country_code`. Built from the runtime's own region names (Intl.DisplayNames), so no list is
 * kept by hand, plus the names upstreams use where they differ from Unicode's ("Ivory Coast",
 * "Czech Republic", "USA"). Names compare without case, accents or punctuation, "&" as "and".
 */

const ALIASES: Readonly<Record<string, string>> = {
  usa: 'us',
  myanmar: 'mm',
  hongkong: 'hk',
  macau: 'mo',
  drcongo: 'cd',
  congo: 'cg',
  ivorycoast: 'ci',
  turkey: 'tr',
  czechrepublic: 'cz',
  palestine: 'ps',
  saintkittsandnevis: 'kn',
  saintlucia: 'lc',
  saintvincentandthegrenadines: 'vc',
};

const key = (name: string) =>
  name
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, 'and')
    .replace(/[^\p{L}\p{N}]+/gu, '');

let byName: Map<string, string> | undefined;

function regionNames(): Map<string, string> {
  if (byName) return byName;
  const names = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'none' });
  byName = new Map();
  for (let first = 65; first <= 90; first++) {
    for (let second = 65; second <= 90; second++) {
      const code = String.fromCharCode(first, second);
      // Retired codes still have names (DD is "Germany"); they canonicalize to the current one.
      if (Intl.getCanonicalLocales(`und-${code}`)[0] !== `und-${code}`) continue;
      const name = names.of(code);
      // First wins: the ISO code comes before a reserved one naming the same country (GB before UK).
      if (name && !byName.has(key(name))) byName.set(key(name), code.toLowerCase());
    }
  }
  return byName;
}

/** The code of a country named in English, or undefined for a name that is no single country ("USA (virtual)"). */
export function isoCodeOfCountryName(name: string): string | undefined {
  const k = key(name);
  return ALIASES[k] ?? regionNames().get(k);
}
