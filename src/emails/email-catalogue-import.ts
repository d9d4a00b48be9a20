import { type AuditStamp, inAuditedTransaction } from '../admin/audit.repository.js';
import type { AppContext } from '../app-context.js';
import {
  catalogueReimportJob,
  type Reimport,
  recordCatalogueImport,
  recordedSet,
} from '../catalog/catalogue-imports.js';
import type { Executor } from '../db/database.js';
import { customerPricePaisa } from '../pricing/pricing.js';
import {
  getExchangeRateMicros,
  getMarkupBasisPoints,
  MissingExchangeRateError,
} from '../pricing/pricing.repository.js';
import { type DomainOffer, UpstreamError } from '../providers/types.js';
import { mapInParallel } from '../shared/in-parallel.js';
import type { Job } from '../workers/worker.js';
import { ANY_SITE } from './email-catalog.js';
import { findEmailServer, listEmailServices } from './email-catalog.repository.js';
import { EmailCatalogAdminError } from './email-catalog-admin.service.js';

/**
 * `otpget email import <1|2> [--services ig,…] [--reprice]`: reads which mailbox domains the
 * server's upstream sells, at what cost and stock (kopeechka's `mailbox-zones`, SMS-Activate's
 * `emails/domains`), and makes the server's offers match, in one audited transaction.
 *
 * - Server 1 asks once per enabled service, by the service's sender site; server 2 asks once for
 *   any site. Upstream calls come first, outside the transaction.
 * - A listed domain becomes an offer (or updates one): cost and stock from the upstream, price =
 *   cost × rate × markup (scopes `email:server:N:service:CODE`, `email:server:N`, `email`). An
 *   offer whose price the operator set by hand keeps that price unless `reprice` is asked; its
 *   stock still follows the upstream.
 * - An offer of an asked site that the upstream no longer lists stops selling (disabled, no
 *   stock). Nothing is deleted: orders keep their own snapshot of service and domain.
 * - An upstream that lists no domain for any site publishes no catalogue (the sandbox): the import
 *   refuses rather than switch the whole server off.
 * - A domain whose cost prices to 0 paisa is skipped: an offer's price is always > 0.
 *
 * Prices follow later rate or markup changes on the next import: the import is recorded with its
 * narrowing (not `reprice`) and runs again on schedule (catalogue-imports.ts) while the server
 * buys from that upstream.
 */

export interface EmailImportOptions {
  /** Server-1 service codes to import (default: every enabled service). */
  services?: Set<string>;
  /** Also reprice offers whose price the operator set by hand. */
  reprice?: boolean;
}

export interface EmailImportSummary {
  server: number;
  upstreamId: number;
  /** Sites asked of the upstream. */
  sites: number;
  offers: { added: number; updated: number; unchanged: number; disabled: number; skipped: number };
}

/** Upstream calls at once: enough to finish 100 sites quickly, few enough not to be throttled. */
const PARALLEL_CALLS = 4;

interface Asked {
  serviceCode: string;
  site: string;
  domains: DomainOffer[];
}

export async function importEmailCatalogue(
  ctx: AppContext,
  server: number,
  options: EmailImportOptions,
  stamp: AuditStamp,
  onProgress: (done: number, total: number) => void = () => {},
): Promise<EmailImportSummary> {
  const row = await findEmailServer(ctx.db, server);
  if (!row) throw new EmailCatalogAdminError(`server ${server} has no upstream`);
  const upstream = await ctx.providers.upstream(row.upstreamId);
  if (upstream.kind !== 'email')
    throw new EmailCatalogAdminError(`upstream "${upstream.name}" is not an email upstream`);
  const provider = await ctx.providers.email(row.upstreamId);
  const getDomains = provider.getDomains?.bind(provider);
  if (!getDomains)
    throw new EmailCatalogAdminError(`upstream "${upstream.name}" publishes no domain list to import`);

  const targets = await sitesToAsk(ctx.db, server, options.services);
  const asked = await mapInParallel(
    targets,
    PARALLEL_CALLS,
    async (target): Promise<Asked> => {
      try {
        return { ...target, domains: await getDomains(target.site) };
      } catch (error) {
        // Nothing is written when any site fails: a partial list would disable what it missed.
        if (!(error instanceof UpstreamError)) throw error;
        throw new EmailCatalogAdminError(
          `upstream "${upstream.name}" did not list its domains for ${target.site} (${error.kind}); nothing imported`,
        );
      }
    },
    onProgress,
  );
  if (asked.every((a) => a.domains.length === 0))
    throw new EmailCatalogAdminError(
      `upstream "${upstream.name}" lists no mailbox domains${targets.length === 0 ? ' (no service to ask for)' : ''}; nothing imported`,
    );

  return inAuditedTransaction(ctx.db, stamp, async (trx) => {
    let rateMicros: number;
    try {
      rateMicros = await getExchangeRateMicros(trx, upstream.currency);
    } catch (error) {
      if (error instanceof MissingExchangeRateError) throw new EmailCatalogAdminError(error.message);
      throw error;
    }
    const summary: EmailImportSummary = {
      server,
      upstreamId: upstream.id,
      sites: asked.length,
      offers: { added: 0, updated: 0, unchanged: 0, disabled: 0, skipped: 0 },
    };
    for (const { serviceCode, domains } of asked) {
      const markup = await getMarkupBasisPoints(trx, [
        ...(serviceCode ? [`email:server:${server}:service:${serviceCode}`] : []),
        `email:server:${server}`,
        'email',
      ]);
      const priced = domains.map((d) => ({
        ...d,
        domain: d.domain.toLowerCase(),
        price: customerPricePaisa({
          costMicros: d.costMicros,
          pkrPerUnitMicros: rateMicros,
          markupBasisPoints: markup,
        }),
      }));
      await applySite(trx, server, serviceCode, priced, options.reprice === true, stamp.now, summary);
    }
    await recordCatalogueImport(
      trx,
      'email',
      {
        target: server,
        upstreamId: upstream.id,
        options: { services: options.services ? [...options.services].sort() : undefined },
      },
      stamp.now,
      ctx.config.catalogReimportMinutes,
    );
    return {
      result: summary,
      audit: { action: 'email.import', target: `email-server:${server}`, before: null, after: summary },
    };
  });
}

/** Server 1: each enabled service's sender site (narrowed to `services`); server 2: any site. */
async function sitesToAsk(
  db: Executor,
  server: number,
  services: Set<string> | undefined,
): Promise<Array<Omit<Asked, 'domains'>>> {
  if (server !== 1) return [{ serviceCode: '', site: ANY_SITE }];
  const known = await listEmailServices(db);
  if (services) {
    const unknown = [...services].filter((code) => !known.some((s) => s.code === code));
    if (unknown.length > 0) throw new EmailCatalogAdminError(`no service "${unknown[0]}"`);
  }
  return known
    .filter((s) => (services ? services.has(s.code) : s.enabled))
    .map((s) => ({ serviceCode: s.code, site: s.site }));
}

async function applySite(
  db: Executor,
  server: number,
  serviceCode: string,
  listed: Array<DomainOffer & { price: number }>,
  reprice: boolean,
  now: number,
  summary: EmailImportSummary,
): Promise<void> {
  const rows = await db
    .selectFrom('email_offers')
    .select(['id', 'domain', 'price', 'stock', 'cost_micros', 'enabled'])
    .where('server', '=', server)
    .where('service_code', '=', serviceCode)
    .execute();
  const byDomain = new Map(rows.map((r) => [r.domain.toLowerCase(), r]));
  const seen = new Set<string>();
  for (const offer of listed) {
    if (seen.has(offer.domain)) continue; // the first listing of a domain wins
    seen.add(offer.domain);
    if (offer.price <= 0) {
      summary.offers.skipped++;
      continue;
    }
    const row = byDomain.get(offer.domain);
    if (!row) {
      await db
        .insertInto('email_offers')
        .values({
          server,
          service_code: serviceCode,
          domain: offer.domain,
          price: offer.price,
          stock: offer.stock,
          cost_micros: offer.costMicros,
          enabled: 1,
          updated_at: now,
        })
        .execute();
      summary.offers.added++;
      continue;
    }
    const keepsHandPrice = row.cost_micros === null && !reprice;
    const values = {
      price: keepsHandPrice ? row.price : offer.price,
      cost_micros: keepsHandPrice ? null : offer.costMicros,
      stock: offer.stock,
      enabled: 1,
    };
    if (
      values.price === row.price &&
      values.cost_micros === row.cost_micros &&
      values.stock === row.stock &&
      row.enabled === 1
    ) {
      summary.offers.unchanged++;
      continue;
    }
    await db
      .updateTable('email_offers')
      .set({ ...values, updated_at: now })
      .where('id', '=', row.id)
      .execute();
    summary.offers.updated++;
  }
  const dropped = rows.filter((r) => r.enabled === 1 && !seen.has(r.domain.toLowerCase())).map((r) => r.id);
  if (dropped.length > 0) {
    await db
      .updateTable('email_offers')
      .set({ enabled: 0, stock: 0, updated_at: now })
      .where('id', 'in', dropped)
      .execute();
    summary.offers.disabled += dropped.length;
  }
}

/** The scheduled re-import: the recorded services again, never a reprice. */
export const reimportEmailCatalogue: Reimport = async (ctx, recorded, stamp) => {
  const server = await findEmailServer(ctx.db, recorded.target);
  if (!server?.enabled || server.upstreamId !== recorded.upstreamId) return false;
  const services = recordedSet(recorded.options, 'services');
  const summary = await importEmailCatalogue(ctx, server.server, services ? { services } : {}, stamp);
  return { offers: summary.offers };
};

export function emailCatalogueReimportJob(ctx: AppContext): Job {
  return catalogueReimportJob(ctx, 'email', reimportEmailCatalogue);
}
