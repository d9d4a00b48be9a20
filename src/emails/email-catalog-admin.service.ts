import { type AuditStamp, inAuditedTransaction } from '../admin/audit.repository.js';
import type { Executor, Trx } from '../db/database.js';
import { findUpstreamByName, insertUpstream } from '../providers/upstreams.repository.js';
import {
  findEmailOffer,
  findEmailServer,
  findEmailService,
  upsertEmailOffer,
  upsertEmailServer,
  upsertEmailService,
} from './email-catalog.repository.js';

/**
 * The operator's changes to the temp email catalogue (`otpget email …`): each runs in one
 * transaction with its audit row, so the change and the row commit together or not at all.
 */

/** The operator asked for something the catalogue cannot do; the message says what. */
export class EmailCatalogAdminError extends Error {
  override name = 'EmailCatalogAdminError';
}

async function saveServer(
  trx: Trx,
  stamp: AuditStamp,
  server: number,
  upstreamId?: number,
  enabled?: boolean,
) {
  const before = await findEmailServer(trx, server);
  if (!before && upstreamId === undefined)
    throw new EmailCatalogAdminError(`server ${server} needs an upstream first`);
  await upsertEmailServer(
    trx,
    {
      server,
      ...(upstreamId !== undefined ? { upstreamId } : {}),
      ...(enabled !== undefined ? { enabled } : {}),
    },
    stamp.now,
  );
  return { before, after: await findEmailServer(trx, server) };
}

/** Serves a server from an email upstream (by name), or switches it on or off. */
export async function setEmailServer(
  db: Executor,
  stamp: AuditStamp,
  input: { server: number; upstreamName?: string; enabled?: boolean },
): Promise<void> {
  await inAuditedTransaction(db, stamp, async (trx) => {
    let upstreamId: number | undefined;
    if (input.upstreamName !== undefined) {
      const upstream = await findUpstreamByName(trx, input.upstreamName);
      if (upstream?.kind !== 'email')
        throw new EmailCatalogAdminError(`no email upstream named "${input.upstreamName}"`);
      upstreamId = upstream.id;
    }
    const { before, after } = await saveServer(trx, stamp, input.server, upstreamId, input.enabled);
    return {
      result: undefined,
      audit: { action: 'email.server', target: `email-server:${input.server}`, before, after },
    };
  });
}

/** Adds a real email upstream and serves the server from it (enabled). */
export async function connectEmailServer(
  db: Executor,
  stamp: AuditStamp,
  input: {
    server: number;
    name: string;
    protocol: string;
    apiKey: string;
    baseUrl: string | null;
    currency: string;
  },
): Promise<void> {
  await inAuditedTransaction(db, stamp, async (trx) => {
    if (await findUpstreamByName(trx, input.name))
      throw new EmailCatalogAdminError(`an upstream named "${input.name}" exists`);
    const upstreamId = await insertUpstream(
      trx,
      {
        name: input.name,
        kind: 'email',
        protocol: input.protocol,
        baseUrl: input.baseUrl,
        apiKey: input.apiKey,
        currency: input.currency.toUpperCase(),
      },
      stamp.now,
    );
    const { before, after } = await saveServer(trx, stamp, input.server, upstreamId, true);
    // Never the API key: only which upstream now serves the server.
    const upstream = { upstream: input.name, protocol: input.protocol, url: input.baseUrl };
    const audit = {
      action: 'email.connect',
      target: `email-server:${input.server}`,
      before,
      after: { ...after, ...upstream },
    };
    return { result: undefined, audit };
  });
}

/** Sets an offer's price, stock or switch (a new offer needs a price; server 1 a known service). */
export async function setEmailOffer(
  db: Executor,
  stamp: AuditStamp,
  input: {
    server: number;
    serviceCode: string;
    domain: string;
    price?: number;
    stock?: number;
    enabled?: boolean;
  },
): Promise<void> {
  const key = { server: input.server, serviceCode: input.serviceCode, domain: input.domain };
  await inAuditedTransaction(db, stamp, async (trx) => {
    if (input.server === 1 && !(await findEmailService(trx, input.serviceCode)))
      throw new EmailCatalogAdminError(
        `no service "${input.serviceCode}"; add it with: otpget email service ${input.serviceCode} --name …`,
      );
    const before = await findEmailOffer(trx, key);
    if (!before && input.price === undefined) throw new EmailCatalogAdminError('a new offer needs a price');
    await upsertEmailOffer(trx, input, stamp.now);
    const after = await findEmailOffer(trx, key);
    const target = `email-offer:${input.server}/${input.serviceCode || '-'}/${input.domain}`;
    return { result: undefined, audit: { action: 'email.price', target, before, after } };
  });
}

/** Changes a server-1 service's name, sender site or switch; adds it when new. */
export async function setEmailService(
  db: Executor,
  stamp: AuditStamp,
  input: { code: string; name?: string; site?: string; enabled?: boolean },
): Promise<void> {
  await inAuditedTransaction(db, stamp, async (trx) => {
    const before = await findEmailService(trx, input.code);
    await upsertEmailService(trx, input);
    const after = await findEmailService(trx, input.code);
    return {
      result: undefined,
      audit: { action: 'email.service', target: `email-service:${input.code}`, before, after },
    };
  });
}
