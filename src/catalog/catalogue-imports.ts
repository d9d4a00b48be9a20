import type { AuditStamp } from '../admin/audit.repository.js';
import type { AppContext } from '../app-context.js';
import type { Executor } from '../db/database.js';
import type { Job } from '../workers/worker.js';
import type { CatalogueLine } from './catalog-tables.js';

/**
 * The schedule every line's catalogue import shares (`catalog import`, `rental import`, `email
 * import`). An import records itself (line, its type or server, the upstream, its narrowing) in
 * its own transaction; the line's re-import job runs each recorded import again once
 * OTPGET_CATALOG_REIMPORT_MINUTES have passed, with the same narrowing, so an upstream's new
 * entries go on sale, its costs are followed and dropped ones stop, without an operator. The
 * audit log names the job as the actor. An import whose type or server no longer buys from that
 * upstream waits for the next time; a failing one is logged and tried next time.
 */

export const REIMPORT_ACTOR = { operatorId: null, name: 'system:catalog-reimport' };

export interface RecordedImport {
  target: number;
  upstreamId: number;
  /** The narrowing the import was run with, as the line wrote it. */
  options: Record<string, unknown>;
}

/** Remembers an import for the schedule (in the import's transaction), replacing the last one. */
export async function recordCatalogueImport(
  db: Executor,
  line: CatalogueLine,
  recorded: RecordedImport,
  now: number,
  everyMinutes: number,
): Promise<void> {
  const values = {
    options: JSON.stringify(recorded.options),
    imported_at: now,
    next_import_at: now + everyMinutes * 60_000,
  };
  await db
    .insertInto('catalogue_imports')
    .values({ line, target: recorded.target, upstream_id: recorded.upstreamId, ...values })
    .onConflict((oc) => oc.columns(['line', 'target', 'upstream_id']).doUpdateSet(values))
    .execute();
}

/**
 * Runs one recorded import again; answers false when it should wait (its type or server no
 * longer buys from that upstream), else what to log.
 */
export type Reimport = (
  ctx: AppContext,
  recorded: RecordedImport,
  stamp: AuditStamp,
) => Promise<false | Record<string, unknown>>;

/** The background job re-importing one line's due catalogues. */
export function catalogueReimportJob(ctx: AppContext, line: CatalogueLine, reimport: Reimport): Job {
  return {
    name: `catalog.${line}-reimport`,
    intervalMs: 60_000,
    async run() {
      const everyMinutes = ctx.config.catalogReimportMinutes;
      if (everyMinutes === 0) return;
      await reimportDue(ctx, line, reimport, everyMinutes);
    },
  };
}

/** Re-imports the line's due catalogues; returns how many ran. */
export async function reimportDue(
  ctx: AppContext,
  line: CatalogueLine,
  reimport: Reimport,
  everyMinutes: number,
): Promise<number> {
  const now = ctx.clock.now();
  const due = await ctx.db
    .selectFrom('catalogue_imports')
    .select(['target', 'upstream_id', 'options', 'next_import_at'])
    .where('line', '=', line)
    .where('next_import_at', '<=', now)
    .orderBy('target')
    .orderBy('upstream_id')
    .execute();
  let ran = 0;
  for (const row of due) {
    // The claim: of several workers, the one whose compare-and-set moves the time runs it.
    const claimed = await ctx.db
      .updateTable('catalogue_imports')
      .set({ next_import_at: now + everyMinutes * 60_000 })
      .where('line', '=', line)
      .where('target', '=', row.target)
      .where('upstream_id', '=', row.upstream_id)
      .where('next_import_at', '=', row.next_import_at)
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    const where = { line, target: row.target, upstreamId: row.upstream_id };
    try {
      const recorded = {
        target: row.target,
        upstreamId: row.upstream_id,
        options: parseOptions(row.options),
      };
      const summary = await reimport(ctx, recorded, { actor: REIMPORT_ACTOR, now: ctx.clock.now() });
      if (summary === false) continue;
      ran++;
      ctx.log.info({ ...where, ...summary }, 'catalogue re-imported');
    } catch (error) {
      ctx.log.warn({ err: error, ...where }, 'catalogue re-import failed');
    }
  }
  return ran;
}

function parseOptions(text: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(text);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    throw new Error(`recorded import options are not an object: ${text}`);
  return parsed as Record<string, unknown>;
}

/** A recorded list of codes (`options.countries`), or undefined: everything. */
export function recordedSet(options: Record<string, unknown>, key: string): Set<string> | undefined {
  const value = options[key];
  return Array.isArray(value) ? new Set(value.map(String)) : undefined;
}
