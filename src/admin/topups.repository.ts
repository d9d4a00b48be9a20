import type { Executor } from '../db/database.js';
import type { TopupRequestsTable } from './admin-tables.js';

export const TOPUP_METHODS = ['jazzcash', 'easypaisa', 'bank'] as const;
export type TopupMethod = (typeof TOPUP_METHODS)[number];

/** A customer's request to credit a payment made outside otpget. */
export interface TopupRequest {
  id: number;
  accountId: number;
  /** Paisa. */
  amount: number;
  method: string;
  paymentReference: string;
  note: string | null;
  state: TopupRequestsTable['state'];
  decidedBy: number | null;
  decidedAt: number | null;
  decisionNote: string | null;
  createdAt: number;
}

type Row = {
  id: number;
  account_id: number;
  amount: number;
  method: string;
  payment_reference: string;
  note: string | null;
  state: TopupRequestsTable['state'];
  decided_by: number | null;
  decided_at: number | null;
  decision_note: string | null;
  created_at: number;
};

function toTopup(r: Row): TopupRequest {
  return {
    id: r.id,
    accountId: r.account_id,
    amount: r.amount,
    method: r.method,
    paymentReference: r.payment_reference,
    note: r.note,
    state: r.state,
    decidedBy: r.decided_by,
    decidedAt: r.decided_at,
    decisionNote: r.decision_note,
    createdAt: r.created_at,
  };
}

/** Inserts a pending request; null when this method + payment reference was submitted before. */
export async function insertTopupRequest(
  db: Executor,
  values: {
    accountId: number;
    amount: number;
    method: string;
    paymentReference: string;
    note: string | null;
    now: number;
  },
): Promise<number | null> {
  const row = await db
    .insertInto('topup_requests')
    .values({
      account_id: values.accountId,
      amount: values.amount,
      method: values.method,
      payment_reference: values.paymentReference,
      note: values.note,
      state: 'pending',
      decided_by: null,
      decided_at: null,
      decision_note: null,
      created_at: values.now,
    })
    .onConflict((oc) => oc.columns(['method', 'payment_reference']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function findTopupRequest(db: Executor, id: number): Promise<TopupRequest | null> {
  const row = await db.selectFrom('topup_requests').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toTopup(row) : null;
}

export async function listTopupRequests(
  db: Executor,
  options: { state?: TopupRequestsTable['state']; accountId?: number; limit: number },
): Promise<TopupRequest[]> {
  const rows = await db
    .selectFrom('topup_requests')
    .selectAll()
    .$if(options.state !== undefined, (qb) =>
      qb.where('state', '=', options.state as TopupRequestsTable['state']),
    )
    .$if(options.accountId !== undefined, (qb) => qb.where('account_id', '=', options.accountId as number))
    .orderBy('id', 'desc')
    .limit(options.limit)
    .execute();
  return rows.map(toTopup);
}

/** Compare-and-set pending → approved/rejected; true only for the one caller that won. */
export async function decideTopupRequest(
  db: Executor,
  values: {
    id: number;
    state: 'approved' | 'rejected';
    decidedBy: number | null;
    note: string | null;
    now: number;
  },
): Promise<boolean> {
  const result = await db
    .updateTable('topup_requests')
    .set({
      state: values.state,
      decided_by: values.decidedBy,
      decided_at: values.now,
      decision_note: values.note,
    })
    .where('id', '=', values.id)
    .where('state', '=', 'pending')
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
