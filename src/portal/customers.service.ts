import { insertAccount } from '../accounts/accounts.repository.js';
import type { Executor } from '../db/database.js';
import {
  clearLoginFailures,
  isLoginLocked,
  loginSubject,
  recordLoginFailure,
} from '../shared/login-backoff.js';
import { dummyPasswordHash, hashPassword, needsRehash, verifyPassword } from '../shared/passwords.js';
import { findLoginByEmail, insertCustomerLogin, replacePasswordHash } from './customer-logins.repository.js';
import { passwordProblem } from './passwords.js';

/** A form field and what is wrong with it, worded for the customer. */
export interface FieldProblem {
  field: 'email' | 'password' | 'name';
  message: string;
}

/**
 * A sign-up that passed the form checks: `created` made a new account; `exists` means the
 * address already logs in, and nothing was made. Callers answer both the same way.
 */
export type SignUpResult =
  | { ok: true; outcome: 'created' | 'exists'; accountId: number; email: string }
  | { ok: false; problems: FieldProblem[] };

const EMAIL = /^[^\s@]{1,64}@[^\s@]{1,255}\.[^\s@]{2,63}$/;

/** Lower-cased, trimmed: the form of an email address logins are stored and looked up by. */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function isEmailAddress(email: string): boolean {
  return EMAIL.test(normalizeEmail(email));
}

export function signUpProblems(input: { email: string; password: string; name: string }): FieldProblem[] {
  const problems: FieldProblem[] = [];
  if (!isEmailAddress(input.email)) {
    problems.push({ field: 'email', message: 'Enter an email address like name@example.com.' });
  }
  const weak = passwordProblem(input.password);
  if (weak) problems.push({ field: 'password', message: weak });
  if (input.name.trim().length > 100)
    problems.push({ field: 'name', message: 'Keep the name under 100 characters.' });
  return problems;
}

/**
 * Creates an account and its login in one transaction, so a failed sign-up leaves nothing
 * behind. No API key yet: the dashboard makes it after the first login, since the sign-up reply
 * must look the same whether or not the address was new (see docs/SECURITY.md). A sign-up never
 * attaches to an existing account with the same email: that would let anyone claim an
 * operator-made account by typing its address.
 */
export async function signUpCustomer(
  db: Executor,
  now: number,
  input: { email: string; password: string; name: string },
): Promise<SignUpResult> {
  const problems = signUpProblems(input);
  if (problems.length > 0) return { ok: false, problems };
  const email = normalizeEmail(input.email);
  // Hashed either way, so a known address answers as slowly as a new one.
  const passwordHash = await hashPassword(input.password);
  const existing = await findLoginByEmail(db, email);
  if (existing) return { ok: true, outcome: 'exists', accountId: existing.accountId, email };
  try {
    const accountId = await db.transaction().execute(async (trx) => {
      const id = await insertAccount(trx, { name: input.name.trim() || null, email, now });
      await insertCustomerLogin(trx, { accountId: id, email, passwordHash, now });
      return id;
    });
    return { ok: true, outcome: 'created', accountId, email };
  } catch (error) {
    // Two sign-ups with one email at once: the unique index lets one through; the other "exists".
    const winner = await findLoginByEmail(db, email);
    if (winner) return { ok: true, outcome: 'exists', accountId: winner.accountId, email };
    throw error;
  }
}

/**
 * The login's account and session version when the password is right; null otherwise. Wrong
 * passwords count towards the per-name backoff, and while it holds the name is refused without
 * checking the password. A right password on a hash of an older cost is rehashed at today's.
 */
export async function logInCustomer(
  db: Executor,
  now: number,
  input: { email: string; password: string },
): Promise<{ accountId: number; sessionVersion: number } | null> {
  const email = normalizeEmail(input.email);
  const subject = loginSubject('customer', email);
  if (await isLoginLocked(db, subject, now)) return null;
  const password = input.password.slice(0, 200);
  const login = await findLoginByEmail(db, email);
  const matches = await verifyPassword(password, login?.passwordHash ?? dummyPasswordHash());
  if (!login || !matches) {
    await recordLoginFailure(db, subject, now);
    return null;
  }
  await clearLoginFailures(db, subject);
  if (needsRehash(login.passwordHash)) {
    const to = await hashPassword(password);
    await replacePasswordHash(db, { accountId: login.accountId, from: login.passwordHash, to, now });
  }
  return { accountId: login.accountId, sessionVersion: login.sessionVersion };
}
