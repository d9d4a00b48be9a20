import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UpstreamError } from '../../src/providers/types.js';
import type { UpstreamCallLog } from '../../src/providers/upstream-call-log.js';
import {
  describeUpstreamError,
  recordUpstreamCalls,
  withOrderRef,
} from '../../src/providers/upstream-call-recorder.js';
import type { UpstreamCall } from '../../src/providers/upstream-calls.repository.js';
import { ManualClock } from '../../src/shared/clock.js';

function collectingLog(): UpstreamCallLog & { calls: UpstreamCall[] } {
  const calls: UpstreamCall[] = [];
  return { calls, record: (c) => calls.push(c), flush: async () => {}, close: async () => {} };
}

describe('the upstream-call recorder', () => {
  const adapter = {
    async buyNumber(_request: { service: string }) {
      return { upstreamOrderId: 'U-77', phone: '923001234567' };
    },
    async getActivation(_upstreamOrderId: string) {
      throw new UpstreamError(
        'unavailable',
        'GET https://api.example.com/stubs/handler_api.php?api_key=SECRETKEY&action=getStatus failed, key=abc',
      );
    },
  };

  it('attaches the reference only to a call started synchronously inside withOrderRef', async () => {
    const log = collectingLog();
    const recorded = recordUpstreamCalls(adapter, 4, log, new ManualClock(1_000));
    await withOrderRef('activation:1', async () => {
      await Promise.resolve();
      return recorded.buyNumber({ service: 'tg' });
    });
    await recorded.buyNumber({ service: 'tg' });
    assert.deepEqual(
      log.calls.map((c) => c.orderRef),
      [null, null],
    );
  });

  it('records purchases with our order reference and the upstream id from the reply', async () => {
    const log = collectingLog();
    const recorded = recordUpstreamCalls(adapter, 4, log, new ManualClock(1_000));
    const bought = await withOrderRef('activation:9', () => recorded.buyNumber({ service: 'tg' }));
    assert.equal(bought.upstreamOrderId, 'U-77');
    assert.equal(log.calls.length, 1);
    const [call] = log.calls;
    assert.deepEqual(
      { ...call, durationMs: 0 },
      {
        upstreamId: 4,
        operation: 'buyNumber',
        orderRef: 'activation:9',
        upstreamOrderId: 'U-77',
        startedAt: 1_000,
        durationMs: 0,
        outcome: 'ok',
        error: null,
      },
    );
  });

  it('records failures with a short error that holds no URL or key, and rethrows them unchanged', async () => {
    const log = collectingLog();
    const recorded = recordUpstreamCalls(adapter, 4, log, new ManualClock(5));
    await assert.rejects(recorded.getActivation('U-77'), (error) => error instanceof UpstreamError);
    const [call] = log.calls;
    assert.equal(call?.outcome, 'error');
    assert.equal(call?.upstreamOrderId, 'U-77', 'the order id comes from the arguments');
    assert.equal(call?.orderRef, null);
    assert.equal(call?.error, 'upstream unavailable: GET <url> failed, key=***');
    assert.doesNotMatch(String(call?.error), /SECRETKEY|abc|example\.com/);
  });

  it('cuts long error texts', () => {
    assert.equal(describeUpstreamError(new Error('x'.repeat(500))).length, 200);
  });
});
