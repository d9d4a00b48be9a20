import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPkr, paisaToPkrNumber, parsePkr } from '../../src/shared/money.js';

describe('money', () => {
  it('formats paisa as PKR with two decimals', () => {
    assert.equal(formatPkr(50_000), '500.00');
    assert.equal(formatPkr(5), '0.05');
    assert.equal(formatPkr(0), '0.00');
    assert.equal(formatPkr(-150), '-1.50');
    assert.equal(formatPkr(123_456_789), '1234567.89');
    assert.throws(() => formatPkr(1.5), RangeError);
  });

  it('parses plain PKR amounts exactly and refuses everything else', () => {
    assert.equal(parsePkr('500'), 50_000);
    assert.equal(parsePkr('12.5'), 1_250);
    assert.equal(parsePkr('0.07'), 7);
    assert.equal(parsePkr(' 1.10 '), 110);
    for (const bad of ['', '-1', '1e3', '1.234', 'abc', '1,000', '0x10', 'Infinity', '.5', '5.']) {
      assert.equal(parsePkr(bad), null, bad);
    }
  });

  it('gives JSON numbers equal to the formatted amount', () => {
    assert.equal(paisaToPkrNumber(12_000), 120);
    assert.equal(paisaToPkrNumber(117), 1.17);
    assert.equal(JSON.stringify({ price: paisaToPkrNumber(1_560) }), '{"price":15.6}');
  });
});
