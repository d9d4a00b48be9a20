import type { Executor } from '../db/database.js';
import { type IssueResult, issuePasswordLinkIn } from '../portal/password-links.service.js';
import { type Actor, writeAudit } from './audit.repository.js';

/**
 * An operator issues a set-password link for an account: an invite when the account has no
 * login yet, a reset otherwise. The audit row names the account, the purpose and the expiry;
 * never the link, which is shown once to the operator and stored only as a hash.
 */
export async function issuePasswordLinkAsOperator(
  db: Executor,
  now: number,
  actor: Actor,
  input: { accountId: number; email?: string | null },
): Promise<IssueResult> {
  // The link and its audit row commit together: a refused issue (no account, bad email) writes neither.
  return db.transaction().execute(async (trx) => {
    const result = await issuePasswordLinkIn(trx, now, { ...input, createdBy: actor.name });
    if (result.ok) {
      await writeAudit(trx, {
        actor,
        action: `account.password_link.${result.purpose}`,
        target: `account:${input.accountId}`,
        before: null,
        after: { email: result.email, expiresAt: result.expiresAt },
        now,
      });
    }
    return result;
  });
}

/** The full link when the public address is known; else the path, to put after the server's address. */
export function passwordLinkUrl(publicUrl: string | null, path: string): string {
  return publicUrl ? `${publicUrl}${path}` : path;
}
