import type { Executor } from '../db/database.js';
import type { GroupCommit } from '../db/group-commit.js';
import { instrumentAdapter } from '../metrics/counters.js';
import type { Clock } from '../shared/clock.js';
import { withCircuitBreaker } from './circuit-breaker.js';
import type { AdapterContext, EmailProvider, RentalProvider, SmsProvider } from './types.js';
import type { UpstreamCallLog } from './upstream-call-log.js';
import { recordUpstreamCalls } from './upstream-call-recorder.js';
import { findUpstream, type Upstream } from './upstreams.repository.js';

/** Builds adapters by protocol name. Adding an upstream protocol means adding one entry here. */
export interface AdapterFactories {
  sms: Record<string, (ctx: AdapterContext) => SmsProvider>;
  rental: Record<string, (ctx: AdapterContext) => RentalProvider>;
  email: Record<string, (ctx: AdapterContext) => EmailProvider>;
}

export class UnknownUpstreamError extends Error {
  override name = 'UnknownUpstreamError';
}

export interface ProviderRegistry {
  sms(upstreamId: number): Promise<SmsProvider>;
  rental(upstreamId: number): Promise<RentalProvider>;
  email(upstreamId: number): Promise<EmailProvider>;
  /** The upstream's configuration (name, enabled, …), cached like the adapters. */
  upstream(upstreamId: number): Promise<Upstream>;
}

/**
 * Resolves an upstream id to a ready adapter. Adapters are kept while the upstream row is
 * unchanged; the row is re-read at most every `refreshMs`, so an operator's change (new key,
 * disabled upstream) reaches every process within that time without a restart.
 */
export function createProviderRegistry(options: {
  db: Executor;
  groupCommit: GroupCommit;
  clock: Clock;
  sandboxDelayMs: number | null;
  /** The adapters by protocol (`defaultAdapterFactories` in upstream-adapters.ts; tests pass their own). */
  factories: AdapterFactories;
  refreshMs?: number;
  /** Where every call is recorded; absent, calls are not logged (e.g. one-off CLI processes). */
  callLog?: UpstreamCallLog;
}): ProviderRegistry {
  const { factories } = options;
  const refreshMs = options.refreshMs ?? 2000;
  const rows = new Map<number, { upstream: Upstream; readAt: number }>();
  const adapters = new Map<string, { updatedAt: number; adapter: unknown }>();

  async function upstream(id: number): Promise<Upstream> {
    const cached = rows.get(id);
    const now = Date.now();
    if (cached && now - cached.readAt < refreshMs) return cached.upstream;
    const row = await findUpstream(options.db, id);
    if (!row) throw new UnknownUpstreamError(`upstream ${id} does not exist`);
    rows.set(id, { upstream: row, readAt: now });
    return row;
  }

  async function adapter<K extends keyof AdapterFactories>(kind: K, id: number) {
    const row = await upstream(id);
    if (row.kind !== kind)
      throw new UnknownUpstreamError(`upstream ${id} is a ${row.kind} upstream, not ${kind}`);
    const key = `${kind}:${id}`;
    const cached = adapters.get(key);
    if (cached && cached.updatedAt === row.updatedAt)
      return cached.adapter as ReturnType<AdapterFactories[K][string]>;
    const factory = factories[kind][row.protocol];
    if (!factory) throw new UnknownUpstreamError(`no ${kind} adapter for protocol "${row.protocol}"`);
    const built = factory({
      upstream: row,
      db: options.db,
      groupCommit: options.groupCommit,
      clock: options.clock,
      sandboxDelayMs: options.sandboxDelayMs,
    });
    const recorded = options.callLog ? recordUpstreamCalls(built, id, options.callLog, options.clock) : built;
    // The breaker sits outside the metrics wrapper and the call log: calls it refuses never reach
    // the upstream, so they are neither counted nor logged as upstream calls.
    const { adapter: created } = withCircuitBreaker(
      instrumentAdapter(kind, row.name, recorded),
      options.clock,
    );
    adapters.set(key, { updatedAt: row.updatedAt, adapter: created });
    return created as ReturnType<AdapterFactories[K][string]>;
  }

  return {
    sms: (id) => adapter('sms', id),
    rental: (id) => adapter('rental', id),
    email: (id) => adapter('email', id),
    upstream,
  };
}
