import type { AppContext } from '../app-context.js';
import type { Mailer } from '../mail/mailer.js';

/** At most one "someone tried to sign up" mail per address per this many seconds. */
const NOTICE_INTERVAL_SECONDS = 3600;

/**
 * A sign-up with an address that already logs in: the form answers as for a new address, and
 * the owner (when mail is configured) learns of it and is pointed at "forgot password", in case
 * it was them. Sent after the reply, so the mail server's speed does not show in its timing;
 * at most once an hour per address, so the form cannot flood a mailbox.
 */
export async function notifyExistingOwner(
  ctx: AppContext,
  mailer: Mailer | null,
  email: string,
): Promise<void> {
  const base = ctx.config.publicUrl;
  if (!mailer || !base) return;
  const decision = await ctx.rateLimiter.hit(`signup-notice:${email}`, 1, NOTICE_INTERVAL_SECONDS);
  if (!decision.allowed) return;
  const message = {
    to: email,
    subject: 'Someone tried to sign up to otpget with your address',
    text: [
      'Someone (perhaps you) tried to create a new otpget account with this address.',
      'Your address already has an account, so nothing was created or changed.',
      '',
      `If it was you and you forgot your password, choose a new one here: ${base}/forgot-password`,
      '',
      'If it was not you, you can ignore this message.',
    ].join('\n'),
  };
  mailer.send(message).catch((error: unknown) => {
    ctx.log.error({ err: error }, 'sign-up notice mail failed');
  });
}
