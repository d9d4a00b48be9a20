import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import pino from 'pino';
import { WorkerLoop } from '../../src/workers/worker.js';

const log = pino({ level: 'silent' });

describe('worker loop', () => {
  it('refuses two jobs with one name', () => {
    const job = { name: 'poll', intervalMs: 10, run: async () => {} };
    assert.throws(() => new WorkerLoop([job, { ...job }], log), /two background jobs are named "poll"/);
  });

  it('keeps running a job that fails, and never overlaps a job with itself', async () => {
    let runs = 0;
    let running = 0;
    let overlapped = false;
    const loop = new WorkerLoop(
      [
        {
          name: 'flaky',
          intervalMs: 5,
          run: async () => {
            running++;
            overlapped ||= running > 1;
            runs++;
            await sleep(15);
            running--;
            throw new Error('upstream down');
          },
        },
      ],
      log,
    );
    loop.start();
    await sleep(300);
    await loop.stop();
    assert.ok(runs >= 3, `ran ${runs} times`);
    assert.equal(overlapped, false);
  });

  it('counts the interval from the start of a run, not its end', async () => {
    // Each run takes most of the interval: waiting a full interval after each end would halve the rate.
    let runs = 0;
    const loop = new WorkerLoop(
      [
        {
          name: 'slow',
          intervalMs: 200,
          run: async () => {
            runs++;
            await sleep(170);
          },
        },
      ],
      log,
    );
    loop.start();
    await sleep(2_050);
    await loop.stop();
    // Fixed rate gives about 11 runs in 2 s; waiting after each end would give about 6.
    assert.ok(runs >= 8, `ran ${runs} times`);
  });
});
