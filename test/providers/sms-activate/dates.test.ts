import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseUpstreamDate } from '../../../src/providers/sms-activate/dates.js';

describe('parseUpstreamDate', () => {
  const utc = Date.UTC(2020, 0, 31, 13, 1, 52);

  it('reads dates without an offset as Moscow time (UTC+3) by default', () => {
    assert.equal(parseUpstreamDate('2020-01-31T16:01:52'), utc);
    assert.equal(parseUpstreamDate('2020-01-31 16:01:52'), utc);
  });

  it('honours an explicit offset or Z', () => {
    assert.equal(parseUpstreamDate('2020-01-31T16:01:52+03:00'), utc);
    assert.equal(parseUpstreamDate('2020-01-31T13:01:52+00:00'), utc);
    assert.equal(parseUpstreamDate('2020-01-31T13:01:52Z'), utc);
    assert.equal(parseUpstreamDate('2020-01-31T08:01:52-0500'), utc);
    assert.equal(parseUpstreamDate('2020-01-31T13:01:52.250Z'), utc + 250);
  });

  it('uses the configured offset for naive dates', () => {
    assert.equal(parseUpstreamDate('2020-01-31 13:01:52', 0), utc);
  });

  it('accepts unix seconds and milliseconds, and the BANNED date style', () => {
    assert.equal(parseUpstreamDate(utc / 1000), utc);
    assert.equal(parseUpstreamDate(String(utc)), utc);
    assert.equal(parseUpstreamDate("'2020-1-31 16-01-52'"), utc);
  });

  it('returns undefined for non-dates', () => {
    assert.equal(parseUpstreamDate('soon'), undefined);
    assert.equal(parseUpstreamDate(null), undefined);
    assert.equal(parseUpstreamDate(''), undefined);
  });
});
