import { createRequire } from 'node:module';
import type Nodemailer from 'nodemailer';
import type { SmtpConfig } from '../config.js';

/** One plain-text message; the sender is the configured OTPGET_MAIL_FROM. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** Outgoing mail. otpget may run offline with no mail server: then there is no mailer at all. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
  /** Closes the pooled connections (the server's shutdown). */
  close(): void;
}

/** A mail server gets this long to connect, greet and answer each command. */
const SMTP_TIMEOUT_MS = 15_000;

/**
 * The SMTP mailer when SMTP_URL is configured; null otherwise (callers fall back to the operator).
 * Every message carries a password link or may, so none is sent without TLS: `smtps://` is TLS
 * from the first byte, `smtp://` must upgrade with STARTTLS (a server that does not offer it, or
 * an attacker who strips it, makes the send fail). The certificate is always verified, against the
 * system CAs or SMTP_CA_FILE. Connections are pooled; headers (Message-ID, Date, RFC 2047 encoded
 * subjects) are nodemailer's.
 */
export function createMailer(smtp: SmtpConfig | null): Mailer | null {
  if (!smtp) return null;
  const { url } = smtp;
  const implicitTls = url.protocol === 'smtps:';
  // Loaded only when SMTP is configured: a server without mail (and every CLI command) skips it.
  const nodemailer = createRequire(import.meta.url)('nodemailer') as typeof Nodemailer;
  const transport = nodemailer.createTransport({
    pool: true,
    maxConnections: 2,
    host: url.hostname.replace(/^\[|\]$/g, ''),
    port: Number(url.port || (implicitTls ? 465 : 587)),
    secure: implicitTls,
    requireTLS: !implicitTls,
    ...(url.username
      ? { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }
      : {}),
    tls: { rejectUnauthorized: true, minVersion: 'TLSv1.2', ...(smtp.ca ? { ca: smtp.ca } : {}) },
    connectionTimeout: SMTP_TIMEOUT_MS,
    greetingTimeout: SMTP_TIMEOUT_MS,
    socketTimeout: SMTP_TIMEOUT_MS,
  });
  return {
    async send(message) {
      await transport.sendMail({
        from: smtp.from,
        to: message.to,
        subject: message.subject,
        text: message.text,
      });
    },
    close() {
      transport.close();
    },
  };
}
