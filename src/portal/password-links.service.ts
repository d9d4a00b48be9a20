import { createHash, randomBytes } from 'node:crypto';
import { findAccount } from '../accounts/accounts.repository.js';
import type { Executor, Trx } from '../db/database.js';
import { clearLoginFailures, loginSubject } from '../shared/login-backoff.js';
import { hashPassword } from '../shared/passwords.js';
import {
  findLoginByAccount,
  findLoginByEmail,
  insertCustomerLogin,
  setLoginPassword,
} from './customer-logins.repository.js';
import { isEmailAddress, normalizeEmail } from './customers.service.js';
import {
  closeResetRequests,
  consumePasswordLink,
  findPasswordLink,
  replacePasswordLink,
} from './password-links.repository.js';
import { passwordProblem } from './passwords.js';

/**
 * One-time set-password links: an operator's invite (the account has no login yet: using the
 * link creates it) and a password reset (the login exists: using the link replaces its password
 * and signs out every browser). The token is 32 random bytes in the link; only its SHA-256 is
 * stored, so a database copy cannot be turned into links. Issuing a link voids the account's
 * older unused ones; using one is a compare-and-set, so it works once, before it expires.
 */

export const INVITE_TTL_MS = 7 * 24 * 3600_000;
export const RESET_TTL_MS = 3600_000;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export type IssueProblem = 'no_account' | 'no_email' | 'bad_email' | 'email_taken' | 'email_differs';

export const ISSUE_PROBLEMS: Readonly<Record<IssueProblem, string>> = {
  no_account: 'no such account',
  no_email: 'the account has no email address; give one (--email / "email")',
  bad_email: 'that is not an email address',
  email_taken: 'another customer already logs in with that email address',
  email_differs: 'the account already logs in with another email address; the link resets that login',
};

export type IssueResult =
  | { ok: true; token: string; path: string; email: string; purpose: 'invite' | 'reset'; expiresAt: number }
  | { ok: false; problem: IssueProblem };

export function hashLinkToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function setPasswordPath(token: string): string {
  return `/set-password?token=${token}`;
}

/** Issues a link in a transaction of its own (see issuePasswordLinkIn). */
export async function issuePasswordLink(
  db: Executor,
  now: number,
  input: { accountId: number; email?: string | null; createdBy: string },
): Promise<IssueResult> {
  return db.transaction().execute((trx) => issuePasswordLinkIn(trx, now, input));
}

/**
 * Issues a link for an account in the caller's transaction (the console's service writes its
 * audit row in it too): an invite when the account has no login yet, a reset otherwise.
 */
export async function issuePasswordLinkIn(
  trx: Trx,
  now: number,
  input: { accountId: number; email?: string | null; createdBy: string },
): Promise<IssueResult> {
  const account = await findAccount(trx, input.accountId);
  if (!account) return { ok: false, problem: 'no_account' };
  const login = await findLoginByAccount(trx, account.id);
  const asked = input.email ? normalizeEmail(input.email) : null;
  let email: string;
  if (login) {
    if (asked && asked !== login.email) return { ok: false, problem: 'email_differs' };
    email = login.email;
  } else {
    email = asked ?? normalizeEmail(account.email ?? '');
    if (email === '') return { ok: false, problem: 'no_email' };
    if (!isEmailAddress(email)) return { ok: false, problem: 'bad_email' };
    if (await findLoginByEmail(trx, email)) return { ok: false, problem: 'email_taken' };
  }
  const purpose = login ? 'reset' : 'invite';
  const token = randomBytes(32).toString('base64url');
  const expiresAt = now + (purpose === 'invite' ? INVITE_TTL_MS : RESET_TTL_MS);
  await replacePasswordLink(trx, {
    accountId: account.id,
    tokenHash: hashLinkToken(token),
    purpose,
    email,
    expiresAt,
    createdBy: input.createdBy,
    now,
  });
  await closeResetRequests(trx, account.id, now);
  return { ok: true, token, path: setPasswordPath(token), email, purpose, expiresAt };
}

export type LinkProblem = 'invalid' | 'used' | 'expired';

/** The customer-facing words for a link that cannot be used. */
export const LINK_PROBLEMS: Readonly<Record<LinkProblem, string>> = {
  invalid: 'This link is not valid. Check that you copied the whole address, or ask for a new link.',
  used: 'This link was already used, or a newer link replaced it. Log in with your password, or ask for a new link.',
  expired: 'This link has expired. Ask for a new link.',
};

/** Whether a link can still be used; does not use it. */
export async function checkPasswordLink(
  db: Executor,
  now: number,
  token: string,
): Promise<{ ok: true; email: string; purpose: 'invite' | 'reset' } | { ok: false; problem: LinkProblem }> {
  if (!TOKEN_SHAPE.test(token)) return { ok: false, problem: 'invalid' };
  const link = await findPasswordLink(db, hashLinkToken(token));
  if (!link) return { ok: false, problem: 'invalid' };
  if (link.usedAt !== null) return { ok: false, problem: 'used' };
  if (link.expiresAt <= now) return { ok: false, problem: 'expired' };
  return { ok: true, email: link.email, purpose: link.purpose };
}

export type UseResult =
  | { ok: true; accountId: number; sessionVersion: number }
  | { ok: false; problem: LinkProblem | 'weak_password' | 'email_taken'; message: string };

/** Sets the password through a link (creating the login for an invite) and uses the link up. */
export async function usePasswordLink(
  db: Executor,
  now: number,
  input: { token: string; password: string },
): Promise<UseResult> {
  const checked = await checkPasswordLink(db, now, input.token);
  if (!checked.ok) return { ...checked, message: LINK_PROBLEMS[checked.problem] };
  const weak = passwordProblem(input.password);
  if (weak) return { ok: false, problem: 'weak_password', message: weak };
  const link = await findPasswordLink(db, hashLinkToken(input.token));
  if (!link) return { ok: false, problem: 'invalid', message: LINK_PROBLEMS.invalid };
  const passwordHash = await hashPassword(input.password);
  try {
    return await db.transaction().execute(async (trx): Promise<UseResult> => {
      // Checked again here: a second tab, or the link expiring while scrypt ran, loses.
      if (!(await consumePasswordLink(trx, link.id, now))) {
        const again = await checkPasswordLink(trx, now, input.token);
        const problem = again.ok ? 'used' : again.problem;
        return { ok: false, problem, message: LINK_PROBLEMS[problem] };
      }
      if (await findLoginByAccount(trx, link.accountId)) {
        const sessionVersion = await setLoginPassword(trx, link.accountId, passwordHash, now);
        // The owner proved the address: a backoff someone else caused on it ends here.
        await clearLoginFailures(trx, loginSubject('customer', link.email));
        return { ok: true, accountId: link.accountId, sessionVersion };
      }
      await insertCustomerLogin(trx, { accountId: link.accountId, email: link.email, passwordHash, now });
      return { ok: true, accountId: link.accountId, sessionVersion: 1 };
    });
  } catch (error) {
    // The invite's email was taken by a sign-up after the link was issued: nothing was changed.
    if (await findLoginByEmail(db, link.email)) {
      return {
        ok: false,
        problem: 'email_taken',
        message: `Another account already logs in as ${link.email}. Ask the operator for a new link.`,
      };
    }
    throw error;
  }
}
