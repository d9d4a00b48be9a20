import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { formatMicros, parseCostMicros, parseDecimalToMicros } from '../../src/shared/micros.js';

describe('parseDecimalToMicros', () => {
  it('parses decimal strings exactly', () => {
    assert.equal(parseDecimalToMicros('0.155'), 155_000);
    assert.equal(parseDecimalToMicros('12.34'), 12_340_000);
    assert.equal(parseDecimalToMicros('21.00'), 21_000_000);
    assert.equal(parseDecimalToMicros('17.154'), 17_154_000);
    assert.equal(parseDecimalToMicros('0.000001'), 1);
    assert.equal(parseDecimalToMicros(' 5 '), 5_000_000);
    assert.equal(parseDecimalToMicros('.5'), 500_000);
    assert.equal(parseDecimalToMicros('5.'), 5_000_000);
    assert.equal(parseDecimalToMicros('-1.5'), -1_500_000);
    assert.equal(parseDecimalToMicros('+2'), 2_000_000);
    assert.equal(parseDecimalToMicros('0.07'), 70_000);
    assert.equal(parseDecimalToMicros('0.035'), 35_000);
    assert.equal(parseDecimalToMicros('12'), 12_000_000);
    assert.equal(parseDecimalToMicros(' 3.10 '), 3_100_000);
    // 0.1 + 0.2 style values that floats get wrong
    assert.equal(parseDecimalToMicros('0.3'), 300_000);
    assert.equal(parseDecimalToMicros('1.005'), 1_005_000);
  });

  it('parses JSON numbers without float error', () => {
    // 0.1 + 0.2 style traps: these floats are not exact in binary, their shortest decimal is.
    assert.equal(parseDecimalToMicros(0.155), 155_000);
    assert.equal(parseDecimalToMicros(0.29), 290_000);
    assert.equal(parseDecimalToMicros(1.005), 1_005_000);
    assert.equal(parseDecimalToMicros(12.5), 12_500_000);
    assert.equal(parseDecimalToMicros(0.07), 70_000);
    assert.equal(parseDecimalToMicros(1e-7), 1);
    assert.equal(parseDecimalToMicros(5e-7), 1);
    assert.equal(parseDecimalToMicros(123456789.123456), 123_456_789_123_456);
    assert.equal(parseDecimalToMicros(1e3), 1_000_000_000);
    assert.equal(parseDecimalToMicros(5), 5_000_000);
    assert.equal(parseDecimalToMicros(5n), 5_000_000);
  });

  it('parses exponent notation in strings', () => {
    assert.equal(parseDecimalToMicros('1.5e2'), 150_000_000);
    assert.equal(parseDecimalToMicros('1E-3'), 1_000);
    assert.equal(parseDecimalToMicros('1.0E-5'), 10);
    assert.equal(parseDecimalToMicros('1e-5'), 10);
  });

  it('rounds the magnitude of digits past the sixth decimal up, never down', () => {
    assert.equal(parseDecimalToMicros('1.2345671'), 1_234_568);
    assert.equal(parseDecimalToMicros('0.0000001'), 1);
    assert.equal(parseDecimalToMicros('0.0000004'), 1);
    assert.equal(parseDecimalToMicros('0.0000005'), 1);
    assert.equal(parseDecimalToMicros('1.2345675'), 1_234_568);
    assert.equal(parseDecimalToMicros('0.9999999'), 1_000_000);
    assert.equal(parseDecimalToMicros('-1.2345671'), -1_234_568);
    assert.equal(parseDecimalToMicros('-1.2345675'), -1_234_568);
    assert.equal(parseDecimalToMicros('1e-30'), 1);
    // Zeros past the sixth decimal are not a remainder.
    assert.equal(parseDecimalToMicros('0.1000000000'), 100_000);
    assert.equal(parseDecimalToMicros('-0.0000000'), 0);
  });

  it('rejects what is not a plain decimal', () => {
    for (const bad of ['', ' ', 'abc', '12,5', '1.2.3', '.', '-', '0x10', 'NaN', '1 000', '1,5']) {
      assert.equal(parseDecimalToMicros(bad), undefined, bad);
    }
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, null, undefined, {}, [], true]) {
      assert.equal(parseDecimalToMicros(bad), undefined, String(bad));
    }
    assert.equal(parseDecimalToMicros('99999999999999999999'), undefined);
    assert.equal(parseDecimalToMicros('-99999999999999999999'), undefined);
    assert.equal(parseDecimalToMicros('1e31'), undefined);
  });

  it('round-trips every micros amount written as decimal text', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }), (micros) => {
        const whole = micros / 1_000_000n;
        const fraction = (micros % 1_000_000n).toString().padStart(6, '0');
        assert.equal(parseDecimalToMicros(`${whole}.${fraction}`), Number(micros));
      }),
    );
  });

  it('never rounds an amount with extra digits below its truncation', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 12n }),
        fc.stringMatching(/^[0-9]{1,8}$/),
        (micros, extra) => {
          const text = `${micros / 1_000_000n}.${(micros % 1_000_000n).toString().padStart(6, '0')}${extra}`;
          const expected = Number(micros) + (/[1-9]/.test(extra) ? 1 : 0);
          assert.equal(parseDecimalToMicros(text), expected);
        },
      ),
    );
  });
});

describe('parseCostMicros', () => {
  it('is parseDecimalToMicros refusing negative amounts, which are no price', () => {
    assert.equal(parseCostMicros('0.25'), 250_000);
    assert.equal(parseCostMicros(0), 0);
    assert.equal(parseCostMicros('-0'), 0);
    assert.equal(parseCostMicros('-1'), undefined);
    assert.equal(parseCostMicros(-0.000001), undefined);
    assert.equal(parseCostMicros('abc'), undefined);
  });
});

describe('formatMicros', () => {
  it('prints plain decimals without trailing zeros', () => {
    assert.equal(formatMicros(155_000), '0.155');
    assert.equal(formatMicros(21_000_000), '21');
    assert.equal(formatMicros(1), '0.000001');
    assert.equal(formatMicros(0), '0');
    assert.equal(formatMicros(-1_500_000), '-1.5');
  });

  it('round-trips with parseDecimalToMicros', () => {
    for (const micros of [0, 1, 999_999, 1_000_000, 12_340_000, 987_654_321, -1_500_000]) {
      assert.equal(parseDecimalToMicros(formatMicros(micros)), micros);
    }
  });

  it('refuses non-integers', () => {
    assert.throws(() => formatMicros(1.5), RangeError);
  });
});
