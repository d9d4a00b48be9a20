import type { Logger } from 'pino';
import type { Authenticator } from './accounts/authenticator.js';
import type { Config } from './config.js';
import type { Database, Executor } from './db/database.js';
import type { GroupCommit } from './db/group-commit.js';
import type { EventBus } from './events/event-bus.js';
import type { RateLimiter } from './http/rate-limit.js';
import type { WaitSlots } from './http/wait-slots.js';
import type { ProductLines } from './orders/product-line.js';
import type { ProviderRegistry } from './providers/registry.js';
import type { UpstreamCallLog } from './providers/upstream-call-log.js';
import type { Clock } from './shared/clock.js';
import type { WebhookNetwork } from './webhooks/webhook-destination.js';

/**
 * Everything the wire modules, services and workers share, built once in `createContext` from the
 * configuration. A plain object: no container, no globals. Tests build it with their own clock,
 * database and upstream factories.
 */
export interface AppContext {
  config: Config;
  database: Database;
  db: Executor;
  /** The purchase path's writes, committed together per event-loop turn on SQLite. */
  groupCommit: GroupCommit;
  clock: Clock;
  log: Logger;
  auth: Authenticator;
  providers: ProviderRegistry;
  /** The upstream-call log every adapter of `providers` records into (buffered). */
  upstreamCalls: UpstreamCallLog;
  rateLimiter: RateLimiter;
  /** Order-changed events (in-process, and across processes on PostgreSQL): long-polls wait on them. */
  events: EventBus;
  /** How customer webhooks resolve and connect (tests inject one that never leaves the machine). */
  webhookNetwork: WebhookNetwork;
  /** Per-account caps on requests waiting in this process (long-polls, idempotency duplicates). */
  waitSlots: WaitSlots;
  /** The product lines (built once in `createContext`): the core iterates them, never imports one. */
  lines: ProductLines<AppContext>;
}
