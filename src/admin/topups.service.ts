import type { Executor } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { postLedgerEntry } from '../wallet/wallet.repository.js';
import { type Actor, writeAudit } from './audit.repository.js';
import {
  decideTopupRequest,
  findTopupRequest,
  insertTopupRequest,
  TOPUP_METHODS,
  type TopupRequest,
} from './topups.repository.js';

/** A top-up request refused or not found; `code` tells the HTTP layer which status to use. */
export class TopupError extends Error {
  override name = 'TopupError';
  constructor(
    readonly code: 'invalid' | 'duplicate' | 'not_found' | 'already_decided',
    message: string,
  ) {
    super(message);
  }
}

/** Largest single request: a typo of extra zeros must not reach the operator's approve button. */
export const MAX_TOPUP_PAISA = 10_000_000 * 100;

/** The ledger reference of an approved request: unique, so a request credits at most once. */
export const topupLedgerReference = (id: number) => `topup-request:${id}`;

export async function submitTopupRequest(
  db: Executor,
  clock: Clock,
  input: { accountId: number; amount: number; method: string; paymentReference: string; note: string | null },
): Promise<TopupRequest> {
  const method = input.method.trim().toLowerCase();
  if (!(TOPUP_METHODS as readonly string[]).includes(method)) {
    throw new TopupError('invalid', `method must be one of ${TOPUP_METHODS.join(', ')}`);
  }
  if (input.amount <= 0 || input.amount > MAX_TOPUP_PAISA)
    throw new TopupError('invalid', 'amount is out of range');
  const paymentReference = input.paymentReference.trim();
  if (!/^[\w./#:-]{3,64}$/.test(paymentReference)) {
    throw new TopupError('invalid', 'payment_reference must be 3-64 letters, digits or ./#:-_');
  }
  const id = await insertTopupRequest(db, { ...input, method, paymentReference, now: clock.now() });
  if (id === null) throw new TopupError('duplicate', 'this payment reference was already submitted');
  const created = await findTopupRequest(db, id);
  if (!created) throw new Error(`top-up request ${id} vanished`);
  return created;
}

/**
 * Approves a pending request: in one transaction, compare-and-set pending → approved, credit the
 * account through the ledger with reference `topup-request:<id>`, and write the audit row. Two
 * operators clicking at once: one wins the CAS, the other gets `already_decided`; and even a
 * bypassed CAS could not credit twice, because the ledger reference is unique.
 */
export async function approveTopupRequest(
  db: Executor,
  clock: Clock,
  actor: Actor,
  input: { id: number; note: string | null },
): Promise<{ request: TopupRequest; balance: number }> {
  const now = clock.now();
  const balance = await db.transaction().execute(async (trx) => {
    const request = await findTopupRequest(trx, input.id);
    if (!request) throw new TopupError('not_found', 'top-up request not found');
    const won = await decideTopupRequest(trx, {
      id: input.id,
      state: 'approved',
      decidedBy: actor.operatorId,
      note: input.note,
      now,
    });
    if (!won)
      throw new TopupError('already_decided', `top-up request ${input.id} is already ${request.state}`);
    const balance = await postLedgerEntry(trx, {
      accountId: request.accountId,
      amount: request.amount,
      kind: 'topup',
      reference: topupLedgerReference(request.id),
      note: `${request.method} ${request.paymentReference}`,
      now,
    });
    await writeAudit(trx, {
      actor,
      action: 'topup.approve',
      target: `topup-request:${request.id}`,
      before: { state: 'pending', accountId: request.accountId, amount: request.amount },
      after: { state: 'approved', balance, note: input.note },
      now,
    });
    return balance;
  });
  const request = await findTopupRequest(db, input.id);
  if (!request) throw new Error(`top-up request ${input.id} vanished`);
  return { request, balance };
}

export async function rejectTopupRequest(
  db: Executor,
  clock: Clock,
  actor: Actor,
  input: { id: number; note: string | null },
): Promise<TopupRequest> {
  const now = clock.now();
  await db.transaction().execute(async (trx) => {
    const request = await findTopupRequest(trx, input.id);
    if (!request) throw new TopupError('not_found', 'top-up request not found');
    const won = await decideTopupRequest(trx, {
      id: input.id,
      state: 'rejected',
      decidedBy: actor.operatorId,
      note: input.note,
      now,
    });
    if (!won)
      throw new TopupError('already_decided', `top-up request ${input.id} is already ${request.state}`);
    await writeAudit(trx, {
      actor,
      action: 'topup.reject',
      target: `topup-request:${request.id}`,
      before: { state: 'pending' },
      after: { state: 'rejected', note: input.note },
      now,
    });
  });
  const request = await findTopupRequest(db, input.id);
  if (!request) throw new Error(`top-up request ${input.id} vanished`);
  return request;
}
