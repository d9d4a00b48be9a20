import type { Executor } from '../db/database.js';

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

/** One audit row; call it in the same transaction as the change wherever the change allows. */
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
