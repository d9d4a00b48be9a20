import { performance } from 'node:perf_hooks';
import type { Logger } from 'pino';

/** A piece of background work run on a timer. It must be safe to run in several processes at once. */
export interface Job {
  name: string;
  intervalMs: number;
  run(signal: AbortSignal): Promise<void>;
}

/**
 * Runs each job on its own timer at a fixed rate; a job never overlaps itself (a run longer than
 * the interval is followed by the next at once), a failing run is logged and the
 * job runs again next interval. `stop()` waits for the runs in progress.
 */
export class WorkerLoop {
  private readonly controller = new AbortController();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly jobs: Job[],
    private readonly log: Logger,
  ) {
    const names = new Set<string>();
    for (const job of jobs) {
      if (names.has(job.name)) throw new Error(`two background jobs are named "${job.name}"`);
      names.add(job.name);
    }
  }

  start(): void {
    for (const job of this.jobs) this.schedule(job, 0);
  }

  private schedule(job: Job, delayMs: number): void {
    if (this.controller.signal.aborted) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const startedAt = performance.now();
      const run = job
        .run(this.controller.signal)
        .catch((error: unknown) => {
          if (!this.controller.signal.aborted)
            this.log.error({ err: error, job: job.name }, 'background job failed');
        })
        .finally(() => {
          this.running.delete(run);
          // Fixed rate: the interval counts from the start of a run, so a run's own duration does
          // not stretch the period (a poll every second stays every second).
          this.schedule(job, Math.max(0, job.intervalMs - (performance.now() - startedAt)));
        });
      this.running.add(run);
    }, delayMs);
    timer.unref();
    this.timers.add(timer);
  }

  async stop(): Promise<void> {
    this.controller.abort();
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.allSettled([...this.running]);
  }
}
