/**
 * Customer prices from upstream costs: cost (upstream currency, micro-units) × exchange rate
 * (PKR per unit, micro-units) × (1 + markup), rounded half up to the paisa. BigInt end to end,
 * so no float ever touches a price.
 */
export interface PriceInput {
  costMicros: number;
  /** PKR per one unit of the upstream currency, ×1e6 (280.5 PKR/USD → 280_500_000). */
  pkrPerUnitMicros: number;
  /** 2500 = +25 %. May be negative down to -10000 (free). */
  markupBasisPoints: number;
}

export function customerPricePaisa(input: PriceInput): number {
  if (input.costMicros < 0 || input.pkrPerUnitMicros < 0)
    throw new RangeError('cost and rate must not be negative');
  const factor = 10_000n + BigInt(Math.max(-10_000, input.markupBasisPoints));
  // micros × micros = 1e12 per PKR; × basis points = 1e16 per PKR; paisa = PKR × 100.
  const numerator = BigInt(input.costMicros) * BigInt(input.pkrPerUnitMicros) * factor * 100n;
  const denominator = 10n ** 16n;
  return Number((numerator * 2n + denominator) / (denominator * 2n));
}

/** "25" or "12.5" percent → basis points; refuses anything else. Negative allowed (discounts). */
export function parsePercentToBasisPoints(text: string): number | null {
  const match = /^(-?)(\d{1,4})(?:\.(\d{1,2}))?$/.exec(text.trim());
  if (!match) return null;
  const value = Number(match[2]) * 100 + Number((match[3] ?? '').padEnd(2, '0'));
  const signed = match[1] === '-' ? -value : value;
  return signed < -10_000 ? null : signed;
}
