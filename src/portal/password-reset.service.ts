import type { AppContext } from '../app-context.js';
import type { Mailer } from '../mail/mailer.js';
import { findLoginByEmail } from './customer-logins.repository.js';
import { isEmailAddress, normalizeEmail } from './customers.service.js';
import { hasPendingResetRequest, insertResetRequest } from './password-links.repository.js';
import { issuePasswordLink } from './password-links.service.js';

/**
 * "Forgot password": with a mailer, a one-hour set-password link is mailed to the login's
 * address; without one (otpget often runs offline) the request is recorded for the operator, who
 * issues the link with `otpget account invite <id>` or the admin API and hands it over. The
 * caller answers the same words whether or not the address has a login, and the mail goes out
 * after the reply, so the slow part (the mail server) does not show in the reply's timing. A
 * request while one is still waiting for the operator, or within a minute of a mailed link, is
 * dropped: the form cannot flood a mailbox or the operator's list.
 */
const MAIL_INTERVAL_MS = 60_000;

export async function requestPasswordReset(
  ctx: AppContext,
  mailer: Mailer | null,
  rawEmail: string,
): Promise<void> {
  if (!isEmailAddress(rawEmail)) return;
  const login = await findLoginByEmail(ctx.db, normalizeEmail(rawEmail));
  if (!login) return;
  const now = ctx.clock.now();
  if (await hasPendingResetRequest(ctx.db, login.accountId, now - MAIL_INTERVAL_MS)) return;
  const base = ctx.config.publicUrl;
  if (!mailer || !base) {
    await insertResetRequest(ctx.db, {
      accountId: login.accountId,
      email: login.email,
      delivery: 'operator',
      now,
    });
    return;
  }
  const link = await issuePasswordLink(ctx.db, now, { accountId: login.accountId, createdBy: 'customer' });
  if (!link.ok) return;
  await insertResetRequest(ctx.db, { accountId: login.accountId, email: login.email, delivery: 'mail', now });
  const message = {
    to: login.email,
    subject: 'Choose a new otpget password',
    text: [
      'Someone (hopefully you) asked to choose a new password for your otpget account.',
      '',
      `Open this link within one hour to choose it: ${base}${link.path}`,
      '',
      'The link works once. If you did not ask for it, ignore this message: your password stays as it is.',
    ].join('\n'),
  };
  mailer.send(message).catch(async (error: unknown) => {
    // Never log the link. The request goes to the operator instead, so the customer is not stranded.
    ctx.log.error({ err: error, accountId: login.accountId }, 'password reset mail failed');
    await insertResetRequest(ctx.db, {
      accountId: login.accountId,
      email: login.email,
      delivery: 'operator',
      now: ctx.clock.now(),
    }).catch((e: unknown) => ctx.log.error({ err: e }, 'could not record the reset request'));
  });
}
