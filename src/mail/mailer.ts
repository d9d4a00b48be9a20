import type { SmtpConfig } from '../config.js';
import { type MailMessage, sendSmtp } from './smtp-client.js';

/** Outgoing mail. otpget may run offline with no mail server: then there is no mailer at all. */
export interface Mailer {
  send(message: Omit<MailMessage, 'from'>): Promise<void>;
}

/** The SMTP mailer when SMTP_URL is configured; null otherwise (callers fall back to the operator). */
export function createMailer(smtp: SmtpConfig | null): Mailer | null {
  if (!smtp) return null;
  return { send: (message) => sendSmtp(smtp.url, { ...message, from: smtp.from }) };
}
