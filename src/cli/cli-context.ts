import { userInfo } from 'node:os';
import pino from 'pino';
import type { Actor, AuditStamp } from '../admin/audit.repository.js';
import { createContext } from '../app.js';
import type { AppContext } from '../app-context.js';
import { loadConfig } from '../config.js';
import { systemClock } from '../shared/clock.js';
import { withDatabase } from './cli-support.js';

/**
 * Who the audit log names for a change made with the CLI: `cli:<os user>`. The CLI runs on the
 * server with database access, so the operating-system account is the most precise name there is.
 */
export function cliActor(): Actor {
  let user = process.env.USER ?? process.env.LOGNAME ?? 'unknown';
  try {
    user = userInfo().username || user;
  } catch {
    // No passwd entry (some containers): keep the environment's name.
  }
  return { operatorId: null, name: `cli:${user}` };
}

/** The CLI user, now: what an operator service takes to audit the change it makes. */
export function cliStamp(): AuditStamp {
  return { actor: cliActor(), now: systemClock.now() };
}

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
