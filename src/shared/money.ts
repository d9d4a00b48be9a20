/** Money helpers. Amounts are integer paisa everywhere; PKR strings exist only at the edges. */

/** 50000 → "500.00"; -150 → "-1.50". */
export function formatPkr(paisa: number): string {
  if (!Number.isSafeInteger(paisa)) throw new RangeError(`not a paisa amount: ${paisa}`);
  const sign = paisa < 0 ? '-' : '';
  const abs = Math.abs(paisa);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/** 50000 → 500 (a JSON number with the same value as "500.00", for replies the reference types as numbers). */
export function paisaToPkrNumber(paisa: number): number {
  return Number(formatPkr(paisa));
}

/**
 * "500", "500.5", "500.50" → paisa. Refuses more than two decimals, signs, exponents and anything
 * that is not a plain decimal, so an operator typo never becomes a different amount.
 */
export function parsePkr(text: string): number | null {
  const match = /^(\d{1,12})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  const whole = Number(match[1]);
  const fraction = Number((match[2] ?? '').padEnd(2, '0'));
  return whole * 100 + fraction;
}
