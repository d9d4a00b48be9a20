// Loaded into each test process by scripts/run-tests.mjs: when a test file's process ends, it
// appends "<file>\t<milliseconds>" to OTPGET_TEST_TIMES, so the next run can start the longest
// files first (a long file started last holds up the end of the run).
import { appendFileSync } from 'node:fs';

const times = process.env.OTPGET_TEST_TIMES;
if (times && process.env.NODE_TEST_CONTEXT && process.argv[1]) {
  const file = process.argv[1];
  process.on('exit', () => {
    appendFileSync(times, `${file}\t${Math.round(process.uptime() * 1000)}\n`);
  });
}
