/**
 * Upstream amounts (costs, balances) as integer micro-units (1 unit = 1_000_000 micros), in the
 * upstream's own currency. Upstreams send decimal text ("0.155", "12", "1.0E-5") or JSON numbers
 * (21.5); no float arithmetic touches an amount. A number is first turned into its shortest
 * round-trip decimal text, which reproduces the JSON literal for any literal of at most 15
 * significant digits (every price we will ever see), then everything is parsed digit by digit
 * with BigInt.
 *
 * **Rounding.** Digits beyond the sixth decimal round the magnitude **up** (away from zero):
 * 0.0000001 → 1 micro, 1.2345671 → 1_234_568, -1.2345671 → -1_234_568. An upstream amount is
 * almost always a cost we pay, and a cost rounded up can never let us sell below it; a debt
 * rounded away from zero is never understated either. For a positive balance the difference is
 * under one micro-unit.
 */

const MICROS_DIGITS = 6;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/**
 * Parses a decimal amount (string, JSON number, bigint) into integer micros, rounding as above.
 * Returns undefined for anything that is not a plain decimal (empty, NaN, "12,5", "abc", an
 * object, a size beyond Number.MAX_SAFE_INTEGER micros).
 */
export function parseDecimalToMicros(value: unknown): number | undefined {
  const text = decimalText(value);
  const match = text === undefined ? null : DECIMAL.exec(text);
  if (!match) return undefined;
  const [, sign = '', intPart = '', fracPart = '', exponentText] = match;
  if (intPart === '' && fracPart === '') return undefined;
  const exponent = exponentText === undefined ? 0 : Number.parseInt(exponentText, 10);
  if (Math.abs(exponent) > 30) return undefined;

  // Shift the decimal point: the first `pointAt` digits are whole micros, the rest is dropped.
  const digits = `${intPart}${fracPart}`;
  const pointAt = intPart.length + exponent + MICROS_DIGITS;
  const kept = pointAt <= 0 ? '' : digits.slice(0, pointAt).padEnd(pointAt, '0');
  const dropped = pointAt <= 0 ? digits : digits.slice(pointAt);
  let micros = BigInt(kept === '' ? '0' : kept);
  if (/[1-9]/.test(dropped)) micros += 1n;
  if (micros > BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  const result = Number(micros);
  return sign === '-' && result !== 0 ? -result : result;
}

/**
 * An amount an operator typed ("280.5", a rate or a cost): a plain decimal with at most six
 * decimals, no sign, exponent or grouping, so a typo is refused rather than rounded into a
 * different amount; null otherwise. Within those limits it is exact: nothing is rounded.
 */
export function parseOperatorMicros(text: string): number | null {
  const plain = text.trim();
  return /^\d{1,12}(?:\.\d{1,6})?$/.test(plain) ? (parseDecimalToMicros(plain) ?? null) : null;
}

/** parseDecimalToMicros for an upstream cost: a negative cost is not a price, so it is undefined. */
export function parseCostMicros(value: unknown): number | undefined {
  const micros = parseDecimalToMicros(value);
  return micros === undefined || micros < 0 ? undefined : micros;
}

/** Formats integer micros as a plain decimal string without trailing zeros: 155000 → "0.155", 21_000_000 → "21". */
export function formatMicros(micros: number): string {
  if (!Number.isSafeInteger(micros)) throw new RangeError(`not an integer amount of micros: ${micros}`);
  const negative = micros < 0;
  const digits = String(Math.abs(micros)).padStart(MICROS_DIGITS + 1, '0');
  const whole = digits.slice(0, -MICROS_DIGITS);
  const fraction = digits.slice(-MICROS_DIGITS).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`;
}

function decimalText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}
