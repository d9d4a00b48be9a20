import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import {
  clearLoginFailures,
  isLoginLocked,
  loginSubject,
  recordLoginFailure,
} from '../shared/login-backoff.js';
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from '../shared/passwords.js';
import { type Actor, writeAudit } from './audit.repository.js';
import {
  deleteSessionsExpiredBefore,
  findOperatorByEmail,
  findSessionOperator,
  insertOperator,
  insertSession,
  listOperators,
  type Operator,
  replaceOperatorPasswordHash,
  revokeOperatorSessions,
  revokeSession,
  updateOperator,
} from './operators.repository.js';
import { passwordProblem } from './passwords.js';

/** How long a console login lasts. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

/** A refused operator change (bad email, weak password, duplicate): the message is safe to show. */
export class OperatorError extends Error {
  override name = 'OperatorError';
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createOperator(
  db: Executor,
  clock: Clock,
  input: { email: string; password: string; actor: Actor },
): Promise<Operator> {
  const email = normaliseEmail(input.email);
  if (!/^[^\s@]+@[^\s@]+$/.test(email) || email.length > 200) {
    throw new OperatorError(`"${input.email}" is not an email address`);
  }
  const problem = passwordProblem(input.password);
  if (problem) throw new OperatorError(problem);
  if (await findOperatorByEmail(db, email)) throw new OperatorError(`operator ${email} already exists`);
  const passwordHash = await hashPassword(input.password);
  const now = clock.now();
  const id = await db.transaction().execute(async (trx) => {
    const id = await insertOperator(trx, { email, passwordHash, now });
    await writeAudit(trx, {
      actor: input.actor,
      action: 'operator.create',
      target: `operator:${id}`,
      before: null,
      after: { id, email, status: 'active' },
      now,
    });
    return id;
  });
  return { id, email, status: 'active', createdAt: now };
}

export async function setOperatorPassword(
  db: Executor,
  clock: Clock,
  input: { email: string; password: string; actor: Actor },
): Promise<void> {
  const operator = await findOperatorByEmail(db, normaliseEmail(input.email));
  if (!operator) throw new OperatorError(`no operator ${input.email}`);
  const problem = passwordProblem(input.password);
  if (problem) throw new OperatorError(problem);
  const passwordHash = await hashPassword(input.password);
  const now = clock.now();
  await db.transaction().execute(async (trx) => {
    await updateOperator(trx, operator.id, { passwordHash }, now);
    // A new password ends every existing login, and lifts a login backoff on the name.
    await revokeOperatorSessions(trx, operator.id, now);
    await clearLoginFailures(trx, loginSubject('operator', operator.email));
    await writeAudit(trx, {
      actor: input.actor,
      action: 'operator.password',
      target: `operator:${operator.id}`,
      before: null,
      after: null,
      now,
    });
  });
}

export async function setOperatorStatus(
  db: Executor,
  clock: Clock,
  input: { email: string; status: 'active' | 'disabled'; actor: Actor },
): Promise<void> {
  const operator = await findOperatorByEmail(db, normaliseEmail(input.email));
  if (!operator) throw new OperatorError(`no operator ${input.email}`);
  const now = clock.now();
  await db.transaction().execute(async (trx) => {
    await updateOperator(trx, operator.id, { status: input.status }, now);
    if (input.status === 'disabled') await revokeOperatorSessions(trx, operator.id, now);
    await writeAudit(trx, {
      actor: input.actor,
      action: input.status === 'disabled' ? 'operator.disable' : 'operator.enable',
      target: `operator:${operator.id}`,
      before: { status: operator.status },
      after: { status: input.status },
      now,
    });
  });
}

export { listOperators };

/**
 * Checks the password; on success opens a session and returns its token (shown once, stored
 * hashed). Wrong passwords count towards the per-name backoff (shared/login-backoff.ts), and
 * while it holds the name is refused unchecked; a hash of an older cost is rehashed.
 */
export async function login(
  db: Executor,
  clock: Clock,
  input: { email: string; password: string; address?: string },
): Promise<{ token: string; expiresAt: number; operator: Operator } | null> {
  if (input.password.length > 200) return null;
  const email = normaliseEmail(input.email);
  const subject = loginSubject('operator', email);
  if (await isLoginLocked(db, subject, clock.now())) return null;
  const operator = await findOperatorByEmail(db, email);
  // Verifying anyway keeps "no such user" as slow as "wrong password".
  const ok = await verifyPassword(input.password, operator?.passwordHash ?? dummyPasswordHash());
  if (!operator || !ok) {
    await recordLoginFailure(db, subject, clock.now());
    return null;
  }
  if (operator.status !== 'active') return null;
  await clearLoginFailures(db, subject);
  if (needsRehash(operator.passwordHash)) {
    const to = await hashPassword(input.password);
    await replaceOperatorPasswordHash(db, {
      id: operator.id,
      from: operator.passwordHash,
      to,
      now: clock.now(),
    });
  }
  const token = `ogop_${randomBytes(32).toString('base64url')}`;
  const now = clock.now();
  const expiresAt = now + SESSION_TTL_MS;
  await db.transaction().execute(async (trx) => {
    // Housekeeping on login (rare, and never on the request path): forget sessions ended a week ago.
    await deleteSessionsExpiredBefore(trx, now - 7 * 86_400_000);
    await insertSession(trx, { operatorId: operator.id, tokenHash: hashSessionToken(token), now, expiresAt });
    await writeAudit(trx, {
      actor: {
        operatorId: operator.id,
        name: operator.email,
        ...(input.address ? { address: input.address } : {}),
      },
      action: 'operator.login',
      target: `operator:${operator.id}`,
      before: null,
      after: { expiresAt },
      now,
    });
  });
  const { passwordHash: _omit, ...visible } = operator;
  return { token, expiresAt, operator: visible };
}

/** The operator behind a session token, or null (unknown, expired, revoked, or operator disabled). */
export async function authenticateOperator(
  db: Executor,
  clock: Clock,
  token: string | undefined,
): Promise<Operator | null> {
  if (!token || token.length > 200) return null;
  return findSessionOperator(db, hashSessionToken(token), clock.now());
}

export async function logout(db: Executor, clock: Clock, token: string): Promise<void> {
  await revokeSession(db, hashSessionToken(token), clock.now());
}
