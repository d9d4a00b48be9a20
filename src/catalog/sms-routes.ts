import type { Executor } from '../db/database.js';
import { findUpstreamByReference, listUpstreams, type Upstream } from '../providers/upstreams.repository.js';
import { CatalogAdminError } from './catalog-admin-error.js';
import { recomputeSmsPrices } from './sms-prices.js';

/**
 * A provider type's route: the ordered upstreams it buys from, and the policy that orders them for
 * each purchase. `priority` tries them as listed; `cheapest` by the offer's cost in PKR; `best` by
 * the upstream's measured success rate, then median time-to-code, for that country and service
 * (route-ranking.ts). Today's one upstream is a route of one. The route's head is also
 * `sms_provider_types.upstream_id`, written here and nowhere else.
 */

export const ROUTE_POLICIES = ['priority', 'cheapest', 'best'] as const;
export type RoutePolicy = (typeof ROUTE_POLICIES)[number];

export function isRoutePolicy(value: string): value is RoutePolicy {
  return (ROUTE_POLICIES as readonly string[]).includes(value);
}

export interface TypeRoute {
  type: number;
  policy: RoutePolicy;
  /** Position order: the head first. */
  upstreamIds: number[];
}

/** Every type's route (or one type's), by type. */
export async function listTypeRoutes(db: Executor, type?: number): Promise<TypeRoute[]> {
  const [types, hops] = await Promise.all([
    db
      .selectFrom('sms_provider_types')
      .select(['id', 'route_policy'])
      .$if(type !== undefined, (qb) => qb.where('id', '=', type as number))
      .orderBy('id')
      .execute(),
    db
      .selectFrom('sms_type_routes')
      .select(['provider_type', 'upstream_id'])
      .$if(type !== undefined, (qb) => qb.where('provider_type', '=', type as number))
      .orderBy('provider_type')
      .orderBy('position')
      .execute(),
  ]);
  return types.map((t) => ({
    type: t.id,
    policy: isRoutePolicy(t.route_policy) ? t.route_policy : 'priority',
    upstreamIds: hops.filter((h) => h.provider_type === t.id).map((h) => h.upstream_id),
  }));
}

export async function findTypeRoute(db: Executor, type: number): Promise<TypeRoute | null> {
  return (await listTypeRoutes(db, type))[0] ?? null;
}

/** An SMS upstream by id or name, or a refusal naming the ones there are. */
export async function resolveSmsUpstream(db: Executor, ref: string): Promise<Upstream> {
  const upstream = await findUpstreamByReference(db, ref);
  if (upstream?.kind !== 'sms') {
    const names = (await listUpstreams(db)).filter((u) => u.kind === 'sms').map((u) => u.name);
    throw new CatalogAdminError(`no SMS upstream "${ref}" (there are: ${names.join(', ')})`);
  }
  return upstream;
}

/**
 * Replaces a type's route (and its policy when given), then recomputes prices: which offer sets a
 * key's price follows the route's order. Offers of upstreams left off the route stay, unsold.
 */
export async function writeTypeRoute(
  db: Executor,
  type: number,
  upstreamIds: number[],
  policy: RoutePolicy | undefined,
  now: number,
): Promise<void> {
  const head = upstreamIds[0];
  if (head === undefined) throw new CatalogAdminError('a route needs at least one upstream');
  if (new Set(upstreamIds).size !== upstreamIds.length)
    throw new CatalogAdminError('a route names each upstream once');
  await db.deleteFrom('sms_type_routes').where('provider_type', '=', type).execute();
  await db
    .insertInto('sms_type_routes')
    .values(upstreamIds.map((upstream_id, position) => ({ provider_type: type, upstream_id, position })))
    .execute();
  await db
    .updateTable('sms_provider_types')
    .set({ upstream_id: head, ...(policy ? { route_policy: policy } : {}), updated_at: now })
    .where('id', '=', type)
    .execute();
  await recomputeSmsPrices(db, now);
}
