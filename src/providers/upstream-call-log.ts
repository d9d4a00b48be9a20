import type { Logger } from 'pino';
import type { Executor } from '../db/database.js';
import { insertUpstreamCalls, type UpstreamCall } from './upstream-calls.repository.js';

/** Rows written per INSERT. */
const BATCH = 200;
/** How long a recorded call may wait in memory before it is written. */
const FLUSH_INTERVAL_MS = 1_000;

/**
 * The upstream-call log's writer. Recording is a push onto an in-memory buffer, so the hot path
 * (a purchase, a poll) never waits for the log; the buffer is written in batches every second,
 * when it fills, on `flush()` and on close. What a crash loses: the calls of the last second or
 * so (never money or order state, which do not depend on this log). A failed write is logged and
 * its rows dropped, so a broken log cannot grow memory without bound.
 */
export interface UpstreamCallLog {
  record(call: UpstreamCall): void;
  /** Writes everything recorded so far (the console calls it before showing a timeline). */
  flush(): Promise<void>;
  /** Stops the timer and writes what is left. */
  close(): Promise<void>;
}

export function createUpstreamCallLog(db: Executor, log: Logger): UpstreamCallLog {
  let buffer: UpstreamCall[] = [];
  let writing: Promise<void> = Promise.resolve();
  let timer: NodeJS.Timeout | null = null;

  const write = (): Promise<void> => {
    const rows = buffer;
    buffer = [];
    // Writes are chained, so two flushes never race and rows keep their order.
    writing = writing.then(async () => {
      for (let i = 0; i < rows.length; i += BATCH) {
        try {
          await insertUpstreamCalls(db, rows.slice(i, i + BATCH));
        } catch (error) {
          log.warn(
            { err: error, dropped: Math.min(BATCH, rows.length - i) },
            'upstream-call log write failed',
          );
        }
      }
    });
    return writing;
  };

  const schedule = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      void write();
    }, FLUSH_INTERVAL_MS);
    timer.unref();
  };

  return {
    record(call) {
      buffer.push(call);
      if (buffer.length >= BATCH) void write();
      else schedule();
    },
    flush: write,
    async close() {
      if (timer) clearTimeout(timer);
      timer = null;
      await write();
    },
  };
}
