import type { Executor } from '../db/database.js';
import type { UpstreamsTable } from '../db/schema.js';

export interface Upstream {
  id: number;
  name: string;
  kind: UpstreamsTable['kind'];
  protocol: string;
  baseUrl: string | null;
  /** Our credential at the upstream. Stored because we must send it; never logged or shown in full. */
  apiKey: string | null;
  currency: string;
  timeoutMs: number;
  enabled: boolean;
  /** SHA-256 of the push token (push-tokens.ts); null while push is off. Never shown. */
  pushTokenHash: string | null;
  pushTokenIssuedAt: number | null;
  updatedAt: number;
}

type Row = {
  id: number;
  name: string;
  kind: UpstreamsTable['kind'];
  protocol: string;
  base_url: string | null;
  api_key: string | null;
  currency: string;
  timeout_ms: number;
  enabled: number;
  push_token_hash: string | null;
  push_token_issued_at: number | null;
  updated_at: number;
};

function toUpstream(r: Row): Upstream {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    protocol: r.protocol,
    baseUrl: r.base_url,
    apiKey: r.api_key,
    currency: r.currency,
    timeoutMs: r.timeout_ms,
    enabled: r.enabled === 1,
    pushTokenHash: r.push_token_hash,
    pushTokenIssuedAt: r.push_token_issued_at,
    updatedAt: r.updated_at,
  };
}

export async function findUpstream(db: Executor, id: number): Promise<Upstream | null> {
  const row = await db.selectFrom('upstreams').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toUpstream(row) : null;
}

export async function findUpstreamByName(db: Executor, name: string): Promise<Upstream | null> {
  const row = await db.selectFrom('upstreams').selectAll().where('name', '=', name).executeTakeFirst();
  return row ? toUpstream(row) : null;
}

/** An upstream by what an operator types: its id (digits) or its name. */
export async function findUpstreamByReference(db: Executor, reference: string): Promise<Upstream | null> {
  return /^\d{1,15}$/.test(reference)
    ? findUpstream(db, Number(reference))
    : findUpstreamByName(db, reference);
}

export async function listUpstreams(db: Executor): Promise<Upstream[]> {
  const rows = await db.selectFrom('upstreams').selectAll().orderBy('id').execute();
  return rows.map(toUpstream);
}

export interface UpstreamInput {
  name: string;
  kind: UpstreamsTable['kind'];
  protocol: string;
  baseUrl?: string | null;
  apiKey?: string | null;
  currency?: string;
  timeoutMs?: number;
  enabled?: boolean;
}

export async function insertUpstream(db: Executor, input: UpstreamInput, now: number): Promise<number> {
  const row = await db
    .insertInto('upstreams')
    .values({
      name: input.name,
      kind: input.kind,
      protocol: input.protocol,
      base_url: input.baseUrl ?? null,
      api_key: input.apiKey ?? null,
      currency: input.currency ?? 'USD',
      timeout_ms: input.timeoutMs ?? 15_000,
      enabled: input.enabled === false ? 0 : 1,
      created_at: now,
      updated_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function updateUpstream(
  db: Executor,
  id: number,
  changes: Partial<Omit<UpstreamInput, 'kind'>>,
  now: number,
): Promise<boolean> {
  const result = await db
    .updateTable('upstreams')
    .set({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.protocol !== undefined ? { protocol: changes.protocol } : {}),
      ...(changes.baseUrl !== undefined ? { base_url: changes.baseUrl } : {}),
      ...(changes.apiKey !== undefined ? { api_key: changes.apiKey } : {}),
      ...(changes.currency !== undefined ? { currency: changes.currency } : {}),
      ...(changes.timeoutMs !== undefined ? { timeout_ms: changes.timeoutMs } : {}),
      ...(changes.enabled !== undefined ? { enabled: changes.enabled ? 1 : 0 } : {}),
      updated_at: now,
    })
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
