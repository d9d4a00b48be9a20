import assert from 'node:assert/strict';
import { it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { mapInParallel } from '../../src/shared/in-parallel.js';

it('keeps the order, runs at most `limit` at once and counts what finished', async () => {
  let running = 0;
  let most = 0;
  const progress: string[] = [];
  const results = await mapInParallel(
    [30, 5, 20, 1, 10, 2],
    3,
    async (ms) => {
      most = Math.max(most, ++running);
      await sleep(ms);
      running--;
      return ms * 2;
    },
    (done, total) => progress.push(`${done}/${total}`),
  );
  assert.deepEqual(results, [60, 10, 40, 2, 20, 4]);
  assert.equal(most, 3);
  assert.deepEqual(progress, ['1/6', '2/6', '3/6', '4/6', '5/6', '6/6']);
});

it('rejects with the first failure and starts nothing after it', async () => {
  const started: number[] = [];
  await assert.rejects(
    mapInParallel([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      await sleep(n);
      if (n === 2) throw new Error('two failed');
      return n;
    }),
    /two failed/,
  );
  await sleep(20);
  assert.ok(!started.includes(5) && !started.includes(6), `started ${started.join(',')}`);
});
