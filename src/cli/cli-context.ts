import pino from 'pino';
import { createContext } from '../app.js';
import type { AppContext } from '../app-context.js';
import { loadConfig } from '../config.js';
import { withDatabase } from './cli-support.js';

/**
 * The application context for one CLI command, over the configured database: the same services,
 * provider registry and upstream-call log the server uses. The call log is written out before the
 * database closes, so the command's upstream calls are not lost.
 */
export function withCliContext<T>(work: (ctx: AppContext) => Promise<T>): Promise<T> {
  return withDatabase(async (database) => {
    // No Redis connection from a short-lived command: it would keep the process alive.
    const ctx = createContext({ ...loadConfig(), redisUrl: null }, database, {
      log: pino({ level: 'silent' }),
    });
    try {
      return await work(ctx);
    } finally {
      await ctx.upstreamCalls.close();
      await ctx.events.close();
    }
  });
}
