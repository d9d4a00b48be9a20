import type { AppContext } from '../app-context.js';
import type { Job } from '../workers/worker.js';
import { findProviderType } from './catalog.repository.js';
import { importSmsCatalogue } from './catalog-import.js';
import { catalogueReimportJob, type Reimport, recordedSet } from './catalogue-imports.js';
import { listTypeRoutes } from './sms-routes.js';

/**
 * The SMS line's scheduled re-import (catalogue-imports.ts): each recorded `catalog import` again,
 * with its upstream and narrowing. Costs and stock between imports come from the price sync
 * (sms-prices.ts). A type switched off, or whose route no longer has the upstream, waits.
 */
export const reimportSmsCatalogue: Reimport = async (ctx, recorded, stamp) => {
  const type = await findProviderType(ctx.db, recorded.target);
  const route = (await listTypeRoutes(ctx.db)).find((r) => r.type === recorded.target);
  if (!type?.enabled || !route?.upstreamIds.includes(recorded.upstreamId)) return false;
  const countries = recordedSet(recorded.options, 'countries');
  const services = recordedSet(recorded.options, 'services');
  const summary = await importSmsCatalogue(
    ctx,
    recorded.target,
    { ...(countries ? { countries } : {}), ...(services ? { services } : {}) },
    stamp,
    () => {},
    recorded.upstreamId,
  );
  return { offers: summary.offers };
};

export function smsCatalogueReimportJob(ctx: AppContext): Job {
  return catalogueReimportJob(ctx, 'sms', reimportSmsCatalogue);
}
