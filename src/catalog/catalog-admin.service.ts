import { type AuditStamp, inAuditedTransaction } from '../admin/audit.repository.js';
import type { Executor } from '../db/database.js';
import type { Upstream } from '../providers/upstreams.repository.js';
import { findProviderType } from './catalog.repository.js';
import {
  CatalogAdminError,
  configureProviderUpstream,
  listPriceRows,
  type PriceRowInput,
  type PriceRowView,
  type ProviderUpstreamInput,
  setProviderType,
  upsertCountry,
  upsertPriceRow,
  upsertService,
} from './catalog-admin.js';
import {
  findTypeRoute,
  type RoutePolicy,
  resolveSmsUpstream,
  type TypeRoute,
  writeTypeRoute,
} from './sms-routes.js';

/**
 * The operator's changes to the SMS OTP catalogue (CLI and console alike): each one runs in one
 * transaction with its audit row, so the change and the row commit together or not at all.
 * The building blocks in catalog-admin.ts run inside that transaction.
 */

/** Renames a type and/or points it at an upstream; returns the type's upstream when repointed. */
export async function configureProviderTypeAsOperator(
  db: Executor,
  stamp: AuditStamp,
  type: number,
  changes: { name?: string; upstream?: ProviderUpstreamInput },
): Promise<Upstream | null> {
  return inAuditedTransaction(db, stamp, async (trx) => {
    const before = await findProviderType(trx, type);
    if (!before) throw new CatalogAdminError(`provider type ${type} does not exist (types are 1-6)`);
    if (changes.name !== undefined) await setProviderType(trx, type, { name: changes.name }, stamp.now);
    const upstream = changes.upstream
      ? await configureProviderUpstream(trx, type, changes.upstream, stamp.now)
      : null;
    const after = await findProviderType(trx, type);
    return {
      result: upstream,
      audit: {
        action: 'provider.set',
        target: `provider-type:${type}`,
        before: { name: before.name, upstreamId: before.upstreamId },
        // Never the upstream's API key: only where the type now buys from.
        after: {
          name: after?.name,
          upstreamId: after?.upstreamId,
          ...(upstream
            ? { upstream: upstream.name, protocol: upstream.protocol, url: upstream.baseUrl }
            : {}),
        },
      },
    };
  });
}

/** Gives a type its route (upstreams by id or name, the head first) and, when given, its policy. */
export async function routeProviderTypeAsOperator(
  db: Executor,
  stamp: AuditStamp,
  type: number,
  upstreams: string[],
  policy: RoutePolicy | undefined,
): Promise<TypeRoute> {
  return inAuditedTransaction(db, stamp, async (trx) => {
    const before = await findTypeRoute(trx, type);
    if (!before) throw new CatalogAdminError(`provider type ${type} does not exist (types are 1-6)`);
    const ids: number[] = [];
    for (const ref of upstreams) ids.push((await resolveSmsUpstream(trx, ref)).id);
    await writeTypeRoute(trx, type, ids, policy, stamp.now);
    const after = (await findTypeRoute(trx, type)) as TypeRoute;
    return {
      result: after,
      audit: {
        action: 'provider.route',
        target: `provider-type:${type}`,
        before: { upstreamIds: before.upstreamIds, policy: before.policy },
        after: { upstreamIds: after.upstreamIds, policy: after.policy },
      },
    };
  });
}

/** Offers or hides a type (BAD_TYPE while hidden). */
export async function switchProviderTypeAsOperator(
  db: Executor,
  stamp: AuditStamp,
  type: number,
  enabled: boolean,
): Promise<void> {
  await inAuditedTransaction(db, stamp, async (trx) => {
    const before = await findProviderType(trx, type);
    await setProviderType(trx, type, { enabled }, stamp.now);
    return {
      result: undefined,
      audit: {
        action: enabled ? 'provider.enable' : 'provider.disable',
        target: `provider-type:${type}`,
        before: { enabled: before?.enabled },
        after: { enabled },
      },
    };
  });
}

/** Adds or renames one of our SMS countries or services. */
export async function nameSmsCatalogEntryAsOperator(
  db: Executor,
  stamp: AuditStamp,
  what: 'country' | 'service',
  id: number,
  name: string,
): Promise<void> {
  const table = what === 'country' ? 'sms_countries' : 'sms_services';
  await inAuditedTransaction(db, stamp, async (trx) => {
    const before = await trx.selectFrom(table).select('name').where('id', '=', id).executeTakeFirst();
    await (what === 'country' ? upsertCountry : upsertService)(trx, id, name, stamp.now);
    return {
      result: undefined,
      audit: {
        action: `catalog.${what}`,
        target: `sms-${what}:${id}`,
        before: before ? { name: before.name } : null,
        after: { name },
      },
    };
  });
}

const offerAudit = (row: PriceRowView | undefined) =>
  row
    ? {
        upstream: row.upstream,
        upstreamCountry: row.upstreamCountry,
        upstreamService: row.upstreamService,
        costMicros: row.costMicros,
        fixedPricePaisa: row.fixedPricePaisa,
        pricePaisa: row.pricePaisa,
        enabled: row.enabled,
      }
    : null;

/** Creates or changes an offer (prices recomputed in the same transaction); returns it as it is now. */
export async function changeSmsOfferAsOperator(
  db: Executor,
  stamp: AuditStamp,
  input: PriceRowInput,
): Promise<PriceRowView | null> {
  return inAuditedTransaction(db, stamp, async (trx) => {
    const type = await findProviderType(trx, input.type);
    const upstreamId =
      input.upstream === undefined ? type?.upstreamId : (await resolveSmsUpstream(trx, input.upstream)).id;
    const find = async (trx: Executor) =>
      (await listPriceRows(trx, { type: input.type, countryId: input.countryId })).find(
        (r) => r.serviceId === input.serviceId && r.upstreamId === upstreamId,
      );
    const before = await find(trx);
    await upsertPriceRow(trx, input, stamp.now);
    const after = await find(trx);
    return {
      result: after ?? null,
      audit: {
        action: 'catalog.sms_offer',
        target: `sms-offer:${input.type}/${input.countryId}/${input.serviceId}`,
        before: offerAudit(before),
        after: offerAudit(after),
      },
    };
  });
}
