import type { Executor, Trx } from '../db/database.js';

/** Who made a change: an operator signed in to the console, or the CLI on the server. */
export interface Actor {
  operatorId: number | null;
  name: string;
  /** The client address of a console request (after trusted proxies); absent for the CLI. */
  address?: string;
}

export const CLI_ACTOR: Actor = { operatorId: null, name: 'cli' };

export interface AuditEntryInput {
  actor: Actor;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  now: number;
}

/** Who makes a change and when: what a service needs to write the change's audit row. */
export interface AuditStamp {
  actor: Actor;
  now: number;
}

/** What a change's audit row records besides who and when. */
export interface AuditRecord {
  action: string;
  target: string;
  before: unknown;
  after: unknown;
}

/**
 * Runs an operator's change in one transaction and writes its audit row in that same
 * transaction, so the change and its row commit together or not at all. `change` returns its
 * result and what the row records; a change that throws writes no row and changes nothing.
 */
export async function inAuditedTransaction<T>(
  db: Executor,
  stamp: AuditStamp,
  change: (trx: Trx) => Promise<{ result: T; audit: AuditRecord }>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    const { result, audit } = await change(trx);
    await writeAudit(trx, { ...audit, actor: stamp.actor, now: stamp.now });
    return result;
  });
}

/** One audit row, written in the change's own transaction (see inAuditedTransaction). */
export async function writeAudit(db: Executor, entry: AuditEntryInput): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      operator_id: entry.actor.operatorId,
      actor: entry.actor.name,
      action: entry.action,
      target: entry.target,
      before_json: entry.before === null || entry.before === undefined ? null : JSON.stringify(entry.before),
      after_json: entry.after === null || entry.after === undefined ? null : JSON.stringify(entry.after),
      created_at: entry.now,
      client_address: entry.actor.address ?? null,
    })
    .execute();
}

export interface AuditEntry {
  id: number;
  actor: string;
  action: string;
  target: string;
  before: unknown;
  after: unknown;
  /** Where the change came from: the client address, or null (CLI, or before addresses were kept). */
  address: string | null;
  createdAt: number;
}

export async function listAudit(
  db: Executor,
  options: { limit: number; beforeId?: number; target?: string; action?: string },
): Promise<AuditEntry[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .$if(options.beforeId !== undefined, (qb) => qb.where('id', '<', options.beforeId as number))
    .$if(options.target !== undefined, (qb) => qb.where('target', '=', options.target as string))
    .$if(options.action !== undefined, (qb) => qb.where('action', '=', options.action as string))
    .orderBy('id', 'desc')
    .limit(options.limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    actor: r.actor,
    action: r.action,
    target: r.target,
    before: r.before_json === null ? null : JSON.parse(r.before_json),
    after: r.after_json === null ? null : JSON.parse(r.after_json),
    address: r.client_address,
    createdAt: r.created_at,
  }));
}
