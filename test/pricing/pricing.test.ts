import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { customerPricePaisa, parsePercentToBasisPoints } from '../../src/pricing/pricing.js';
import { parseOperatorMicros } from '../../src/shared/micros.js';

describe('customer pricing', () => {
  it('multiplies cost, rate and markup exactly and rounds half up to the paisa', () => {
    // 0.155 USD × 280.50 PKR/USD × 1.25 = 54.346875 PKR → 54.35
    assert.equal(
      customerPricePaisa({ costMicros: 155_000, pkrPerUnitMicros: 280_500_000, markupBasisPoints: 2_500 }),
      5_435,
    );
    // 1 PKR cost, no markup: exactly 100 paisa.
    assert.equal(
      customerPricePaisa({ costMicros: 1_000_000, pkrPerUnitMicros: 1_000_000, markupBasisPoints: 0 }),
      100,
    );
    // 0.005 PKR rounds half up to 1 paisa; 0.0049 rounds down.
    assert.equal(
      customerPricePaisa({ costMicros: 5_000, pkrPerUnitMicros: 1_000_000, markupBasisPoints: 0 }),
      1,
    );
    assert.equal(
      customerPricePaisa({ costMicros: 4_900, pkrPerUnitMicros: 1_000_000, markupBasisPoints: 0 }),
      0,
    );
    // A -100 % markup makes it free; below that is clamped.
    assert.equal(
      customerPricePaisa({ costMicros: 9_000_000, pkrPerUnitMicros: 1_000_000, markupBasisPoints: -20_000 }),
      0,
    );
  });

  it('stays exact where floats would drift', () => {
    // 0.1 + 0.2 style inputs: 0.3 USD × 300 PKR = 90.00 exactly.
    assert.equal(
      customerPricePaisa({ costMicros: 300_000, pkrPerUnitMicros: 300_000_000, markupBasisPoints: 0 }),
      9_000,
    );
    // Large values do not lose precision: 1,000,000 USD × 280.123456 PKR.
    assert.equal(
      customerPricePaisa({
        costMicros: 1_000_000_000_000,
        pkrPerUnitMicros: 280_123_456,
        markupBasisPoints: 0,
      }),
      28_012_345_600,
    );
  });

  it('parses operator decimals and percentages strictly', () => {
    assert.equal(parseOperatorMicros('280.5'), 280_500_000);
    assert.equal(parseOperatorMicros('0.000001'), 1);
    assert.equal(parseOperatorMicros('1e3'), null);
    assert.equal(parseOperatorMicros('-1'), null);
    assert.equal(parseOperatorMicros('1.0000001'), null);
    assert.equal(parsePercentToBasisPoints('25'), 2_500);
    assert.equal(parsePercentToBasisPoints('12.5'), 1_250);
    assert.equal(parsePercentToBasisPoints('-10'), -1_000);
    assert.equal(parsePercentToBasisPoints('-101'), null);
    assert.equal(parsePercentToBasisPoints('abc'), null);
  });
});
