/**
 * Upstream timestamps → epoch milliseconds.
 *
 * SMS-Activate-protocol upstreams send dates in several shapes: `2020-01-31T16:01:52` (getRentNumber
 * endDate), `2025-06-17 16:01:10` (rent SMS), `2022-07-17T19:54:55+03:00` (OnlineSim's compatible API) and
 * `2025-08-22T08:54:25+00:00` (getRentStatus in newer dumps). An explicit offset or `Z` is always honoured.
 * A date without one is read as Moscow time, UTC+3 (Russia has had no daylight saving since 2014): the
 * protocol comes from a Moscow company, and the one compatible upstream that spells the offset out
 * (OnlineSim) shows +03:00 for the same field. Upstreams known to send naive UTC can be configured with
 * `naiveUtcOffsetMinutes: 0`.
 */

/** Moscow, UTC+3, the default for dates without an offset. */
export const MOSCOW_UTC_OFFSET_MINUTES = 180;

const DATE_TIME =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2})[:-](\d{1,2})(?:[:-](\d{1,2})(?:\.(\d{1,9}))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * Parses an upstream date. Unix timestamps (seconds or milliseconds, as number or digit string) are also
 * accepted. Returns undefined when the value is not a date.
 */
export function parseUpstreamDate(
  value: unknown,
  naiveUtcOffsetMinutes: number = MOSCOW_UTC_OFFSET_MINUTES,
): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return fromUnix(value);
  if (typeof value !== 'string') return undefined;
  const text = value.trim().replace(/^'|'$/g, '');
  if (/^\d{9,13}$/.test(text)) return fromUnix(Number(text));
  const match = DATE_TIME.exec(text);
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone] = match;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const wallClock = Date.UTC(
    Number(year),
    Number(month) - 1,
    Number(day),
    Number(hour),
    Number(minute),
    Number(second),
    millis,
  );
  if (Number.isNaN(wallClock)) return undefined;
  return wallClock - offsetMinutes(zone, naiveUtcOffsetMinutes) * 60_000;
}

function offsetMinutes(zone: string | undefined, naive: number): number {
  if (zone === undefined) return naive;
  if (zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2));
  return zone.startsWith('-') ? -minutes : minutes;
}

function fromUnix(value: number): number {
  // Ten digits or fewer are seconds (good until 2286); more are milliseconds.
  return value < 1e11 ? value * 1000 : value;
}
