/**
 * Exact conversion between the decimal amounts SMS-Activate-style upstreams send ("0.155", 21.5, "1e-3")
 * and integer micro-units. No float arithmetic touches an amount: numbers are first turned into their
 * shortest round-trip decimal string (which reproduces the JSON literal for any literal of at most 15
 * significant digits, i.e. every price we will ever see), then parsed digit by digit with BigInt.
 */

const MICROS_DIGITS = 6;
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:e([+-]?\d+))?$/i;

/**
 * Parses a decimal amount into integer micros (1 unit = 1_000_000 micros).
 * Digits beyond the sixth decimal are rounded half away from zero.
 * Returns undefined for anything that is not a plain decimal (empty, NaN, "12,5", "abc", unsafe size).
 */
export function parseDecimalToMicros(value: string | number): number | undefined {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    text = String(value);
  } else {
    text = value.trim();
  }
  const match = DECIMAL.exec(text);
  if (!match) return undefined;
  const [, sign = '', intPart = '', fracPart = '', exponentText] = match;
  if (intPart === '' && fracPart === '') return undefined;
  const exponent = exponentText === undefined ? 0 : Number.parseInt(exponentText, 10);
  if (Math.abs(exponent) > 30) return undefined;

  // Shift the decimal point: value = 0.<digits> scaled so that `pointAt` digits are whole units.
  const digits = `${intPart}${fracPart}`;
  const pointAt = intPart.length + exponent + MICROS_DIGITS;
  let micros: bigint;
  if (pointAt <= 0) {
    micros = 0n;
    // Only a rounding carry can survive: the first dropped digit is the first digit when pointAt === 0.
    if (pointAt === 0 && (digits[0] ?? '0') >= '5') micros = 1n;
  } else {
    const kept = digits.length >= pointAt ? digits.slice(0, pointAt) : digits.padEnd(pointAt, '0');
    micros = BigInt(kept === '' ? '0' : kept);
    const firstDropped = digits[pointAt];
    if (firstDropped !== undefined && firstDropped >= '5') micros += 1n;
  }
  if (sign === '-') micros = -micros;
  if (micros > BigInt(Number.MAX_SAFE_INTEGER) || micros < -BigInt(Number.MAX_SAFE_INTEGER)) return undefined;
  const result = Number(micros);
  return Object.is(result, -0) ? 0 : result;
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
