/**
 * Upstream prices arrive as decimal text ("0.07", "12", "1.2345678"); they become integer
 * micro-units with string and BigInt arithmetic only, so no float ever touches money.
 */

const DECIMAL = /^(\d+)(?:\.(\d+))?$/;

/**
 * Exact micros of a non-negative decimal (a string, or a bigint/safe integer). Digits beyond
 * the sixth decimal round **up**: an upstream cost is what we pay, and understating it could
 * let us sell below cost. Returns undefined for anything else (negative, exponent, garbage),
 * including a plain float number, whose decimal text is already lost.
 */
export function decimalToMicros(value: unknown): number | undefined {
  let text: string;
  if (typeof value === 'string') text = value.trim();
  else if (typeof value === 'bigint' || (typeof value === 'number' && Number.isSafeInteger(value))) {
    text = String(value);
  } else return undefined;
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  let micros = BigInt(whole) * 1_000_000n + BigInt(fraction.slice(0, 6).padEnd(6, '0'));
  if (/[1-9]/.test(fraction.slice(6))) micros += 1n;
  if (micros > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  return Number(micros);
}
