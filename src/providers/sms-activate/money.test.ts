import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMicros, parseDecimalToMicros } from './money.js';

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
  });

  it('parses JSON numbers without float error', () => {
    // 0.1 + 0.2 style traps: these floats are not exact in binary, their shortest decimal is.
    assert.equal(parseDecimalToMicros(0.155), 155_000);
    assert.equal(parseDecimalToMicros(0.29), 290_000);
    assert.equal(parseDecimalToMicros(1.005), 1_005_000);
    assert.equal(parseDecimalToMicros(12.5), 12_500_000);
    assert.equal(parseDecimalToMicros(1e-7), 0);
    assert.equal(parseDecimalToMicros(5e-7), 1);
    assert.equal(parseDecimalToMicros(123456789.123456), 123_456_789_123_456);
    assert.equal(parseDecimalToMicros(1e3), 1_000_000_000);
  });

  it('parses exponent notation in strings', () => {
    assert.equal(parseDecimalToMicros('1.5e2'), 150_000_000);
    assert.equal(parseDecimalToMicros('1E-3'), 1_000);
  });

  it('rounds digits past the sixth decimal half away from zero', () => {
    assert.equal(parseDecimalToMicros('0.0000004'), 0);
    assert.equal(parseDecimalToMicros('0.0000005'), 1);
    assert.equal(parseDecimalToMicros('1.2345675'), 1_234_568);
    assert.equal(parseDecimalToMicros('-1.2345675'), -1_234_568);
    assert.equal(parseDecimalToMicros('0.9999999'), 1_000_000);
  });

  it('rejects what is not a plain decimal', () => {
    for (const bad of ['', ' ', 'abc', '12,5', '1.2.3', '.', '-', '0x10', 'NaN', '1 000']) {
      assert.equal(parseDecimalToMicros(bad), undefined, bad);
    }
    assert.equal(parseDecimalToMicros(Number.NaN), undefined);
    assert.equal(parseDecimalToMicros(Number.POSITIVE_INFINITY), undefined);
    assert.equal(parseDecimalToMicros('99999999999999999999'), undefined);
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
    for (const micros of [0, 1, 999_999, 1_000_000, 12_340_000, 987_654_321]) {
      assert.equal(parseDecimalToMicros(formatMicros(micros)), micros);
    }
  });

  it('refuses non-integers', () => {
    assert.throws(() => formatMicros(1.5), RangeError);
  });
});
