import type { AppContext } from '../app-context.js';
import type { Job } from '../workers/worker.js';
import { type ImportFilter, importSmsCatalogue } from './catalog-import.js';
import { listTypeRoutes } from './sms-routes.js';

/**
 * Background job: runs every recorded `catalog import` again once its time has come
 * (OTPGET_CATALOG_REIMPORT_MINUTES after the last), with the same upstream and narrowing, so an
 * upstream's new countries and services go on sale and dropped ones stop without an operator.
 * Costs and stock between imports come from the price sync (sms-prices.ts). The audit log names
 * the job as the actor. An import whose type is switched off, or whose upstream is no longer on
 * the type's route, waits for the next time; a failing one is logged and tried next time.
 */

const ACTOR = { operatorId: null, name: 'system:catalog-reimport' };

export function smsCatalogueReimportJob(ctx: AppContext): Job {
  return {
    name: 'catalog.sms-reimport',
    intervalMs: 60_000,
    async run() {
      const everyMinutes = ctx.config.catalogReimportMinutes;
      if (everyMinutes === 0) return;
      await reimportDue(ctx, everyMinutes);
    },
  };
}

/** Re-imports the due catalogues; returns how many it ran. */
export async function reimportDue(ctx: AppContext, everyMinutes: number): Promise<number> {
  const now = ctx.clock.now();
  const due = await ctx.db
    .selectFrom('sms_catalogue_imports as i')
    .innerJoin('sms_provider_types as t', 't.id', 'i.provider_type')
    .select([
      'i.provider_type',
      'i.upstream_id',
      'i.countries',
      'i.services',
      'i.next_import_at',
      't.enabled',
    ])
    .where('i.next_import_at', '<=', now)
    .execute();
  if (due.length === 0) return 0;
  const routes = new Map((await listTypeRoutes(ctx.db)).map((r) => [r.type, new Set(r.upstreamIds)]));
  let ran = 0;
  for (const row of due) {
    // The claim: of several workers, the one whose compare-and-set moves the time runs it.
    const claimed = await ctx.db
      .updateTable('sms_catalogue_imports')
      .set({ next_import_at: now + everyMinutes * 60_000 })
      .where('provider_type', '=', row.provider_type)
      .where('upstream_id', '=', row.upstream_id)
      .where('next_import_at', '=', row.next_import_at)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    if (row.enabled !== 1 || !routes.get(row.provider_type)?.has(row.upstream_id)) continue;
    const filter: ImportFilter = {
      ...(row.countries === null ? {} : { countries: new Set(row.countries.split(',')) }),
      ...(row.services === null ? {} : { services: new Set(row.services.split(',')) }),
    };
    try {
      const summary = await importSmsCatalogue(
        ctx,
        row.provider_type,
        filter,
        { actor: ACTOR, now: ctx.clock.now() },
        () => {},
        row.upstream_id,
      );
      ran++;
      ctx.log.info(
        { type: row.provider_type, upstreamId: row.upstream_id, offers: summary.offers },
        'catalogue re-imported',
      );
    } catch (error) {
      ctx.log.warn(
        { err: error, type: row.provider_type, upstreamId: row.upstream_id },
        'catalogue re-import failed',
      );
    }
  }
  return ran;
}
