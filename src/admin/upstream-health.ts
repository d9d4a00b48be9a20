import type { AppContext } from '../app-context.js';
import type { Executor } from '../db/database.js';
import { UpstreamError } from '../providers/types.js';

/** What a connection check found: the balance when the protocol reports one. */
export type UpstreamCheck =
  | { ok: true; probe: string; balanceMicros: number | null; currency: string; ms: number }
  | { ok: false; probe: string; error: string; ms: number };

/**
 * Calls one read-only method of the upstream (balance, price list or domain list) with its own
 * timeout. Never buys anything. The error shown is the failure kind only: raw upstream replies can
 * echo credentials.
 */
export async function checkUpstream(ctx: AppContext, upstreamId: number): Promise<UpstreamCheck> {
  const upstream = await ctx.providers.upstream(upstreamId);
  const signal = AbortSignal.timeout(upstream.timeoutMs);
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  let probe = 'none';
  try {
    let balanceMicros: number | null = null;
    if (upstream.kind === 'sms') {
      const provider = await ctx.providers.sms(upstreamId);
      if (provider.getBalance) {
        probe = 'getBalance';
        balanceMicros = await provider.getBalance(signal);
      } else if (provider.getPrices) {
        probe = 'getPrices';
        await provider.getPrices(signal);
      }
    } else if (upstream.kind === 'email') {
      const provider = await ctx.providers.email(upstreamId);
      if (provider.getDomains) {
        probe = 'getDomains';
        await provider.getDomains('instagram.com', signal);
      }
    } else {
      const provider = await ctx.providers.rental(upstreamId);
      if (provider.getAvailability) {
        probe = 'getAvailability';
        await provider.getAvailability('us', signal);
      }
    }
    if (probe === 'none')
      return { ok: false, probe, error: 'this protocol offers no read-only check', ms: ms() };
    return { ok: true, probe, balanceMicros, currency: upstream.currency, ms: ms() };
  } catch (error) {
    const kind =
      error instanceof UpstreamError ? error.kind : error instanceof Error ? error.name : 'unknown error';
    return { ok: false, probe, error: kind, ms: ms() };
  }
}

/** Orders placed and failed at the upstream since `since`, per upstream: the recent error rate. */
export async function upstreamFailures(
  db: Executor,
  since: number,
): Promise<Map<number, { orders: number; failed: number }>> {
  const [activations, rentals, emails] = await Promise.all([
    db
      .selectFrom('activations')
      .select(['upstream_id', 'state', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('created_at', '>=', since)
      .groupBy(['upstream_id', 'state'])
      .execute(),
    db
      .selectFrom('rentals')
      .select(['upstream_id', 'state', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('created_at', '>=', since)
      .groupBy(['upstream_id', 'state'])
      .execute(),
    db
      .selectFrom('email_orders')
      .select(['upstream_id', 'state', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('created_at', '>=', since)
      .groupBy(['upstream_id', 'state'])
      .execute(),
  ]);
  const result = new Map<number, { orders: number; failed: number }>();
  for (const r of [...activations, ...rentals, ...emails]) {
    const entry = result.get(r.upstream_id) ?? { orders: 0, failed: 0 };
    entry.orders += Number(r.n);
    if (r.state === 'failed') entry.failed += Number(r.n);
    result.set(r.upstream_id, entry);
  }
  return result;
}
