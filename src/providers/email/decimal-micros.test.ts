import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decimalToMicros } from './decimal-micros.js';

describe('decimalToMicros', () => {
  it('converts decimal text exactly', () => {
    assert.equal(decimalToMicros('0.07'), 70_000);
    assert.equal(decimalToMicros('0.035'), 35_000);
    assert.equal(decimalToMicros('12'), 12_000_000);
    assert.equal(decimalToMicros('12.5'), 12_500_000);
    assert.equal(decimalToMicros('0.000001'), 1);
    assert.equal(decimalToMicros(' 3.10 '), 3_100_000);
    // 0.1 + 0.2 style values that floats get wrong
    assert.equal(decimalToMicros('0.3'), 300_000);
    assert.equal(decimalToMicros('1.005'), 1_005_000);
  });

  it('rounds digits past the sixth decimal up, never down', () => {
    assert.equal(decimalToMicros('1.2345671'), 1_234_568);
    assert.equal(decimalToMicros('0.0000001'), 1);
    assert.equal(decimalToMicros('0.1000000000'), 100_000);
  });

  it('accepts integers given as numbers but refuses floats, whose decimal text is already lost', () => {
    assert.equal(decimalToMicros(5), 5_000_000);
    assert.equal(decimalToMicros(5n), 5_000_000);
    assert.equal(decimalToMicros(0.07), undefined);
  });

  it('refuses anything that is not a plain non-negative decimal', () => {
    for (const bad of [
      '',
      '-1',
      '1e-5',
      '1,5',
      '.5',
      '5.',
      'abc',
      'NaN',
      '99999999999999999999',
      null,
      undefined,
      {},
    ]) {
      assert.equal(decimalToMicros(bad), undefined, String(bad));
    }
  });

  it('round-trips every micros amount written as decimal text', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: BigInt(Number.MAX_SAFE_INTEGER) }), (micros) => {
        const whole = micros / 1_000_000n;
        const fraction = (micros % 1_000_000n).toString().padStart(6, '0');
        assert.equal(decimalToMicros(`${whole}.${fraction}`), Number(micros));
      }),
    );
  });
});
