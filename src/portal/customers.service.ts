import { insertAccount, insertApiKey } from '../accounts/accounts.repository.js';
import { generateApiKey, hashApiKey, keyPrefix } from '../accounts/api-keys.js';
import type { Executor } from '../db/database.js';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../shared/passwords.js';
import { findLoginByEmail, insertCustomerLogin } from './customer-logins.repository.js';
import { passwordProblem } from './passwords.js';

/** A form field and what is wrong with it, worded for the customer. */
export interface FieldProblem {
  field: 'email' | 'password' | 'name';
  message: string;
}

export type SignUpResult =
  | { ok: true; accountId: number; apiKey: string }
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
 * Creates an account, its first API key and its login in one transaction, so a failed sign-up
 * leaves nothing behind. A sign-up never attaches to an existing account with the same email:
 * that would let anyone claim an operator-made account by typing its address.
 */
export async function signUpCustomer(
  db: Executor,
  now: number,
  input: { email: string; password: string; name: string },
): Promise<SignUpResult> {
  const problems = signUpProblems(input);
  if (problems.length > 0) return { ok: false, problems };
  const email = normalizeEmail(input.email);
  const taken = {
    ok: false as const,
    problems: [{ field: 'email' as const, message: 'That email already has an account. Log in instead.' }],
  };
  if (await findLoginByEmail(db, email)) return taken;
  const passwordHash = await hashPassword(input.password);
  const apiKey = generateApiKey();
  try {
    const accountId = await db.transaction().execute(async (trx) => {
      const id = await insertAccount(trx, { name: input.name.trim() || null, email, now });
      await insertApiKey(trx, {
        accountId: id,
        keyHash: hashApiKey(apiKey),
        keyPrefix: keyPrefix(apiKey),
        now,
      });
      await insertCustomerLogin(trx, { accountId: id, email, passwordHash, now });
      return id;
    });
    return { ok: true, accountId, apiKey };
  } catch (error) {
    // Two sign-ups with one email at once: the unique index lets one through; the other is "taken".
    if (await findLoginByEmail(db, email)) return taken;
    throw error;
  }
}

/** The login's account and session version when the password is right; null otherwise (same timing). */
export async function logInCustomer(
  db: Executor,
  input: { email: string; password: string },
): Promise<{ accountId: number; sessionVersion: number } | null> {
  const login = await findLoginByEmail(db, normalizeEmail(input.email));
  const matches = await verifyPassword(
    input.password.slice(0, 200),
    login?.passwordHash ?? DUMMY_PASSWORD_HASH,
  );
  return login && matches ? { accountId: login.accountId, sessionVersion: login.sessionVersion } : null;
}
