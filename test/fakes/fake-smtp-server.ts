import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SMTPServer } from 'smtp-server';

/** A message the fake SMTP server accepted: envelope, and the text (headers, a blank line, the decoded body). */
export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
  /** Whether the session that carried it was encrypted (STARTTLS or implicit TLS). */
  secure: boolean;
}

/**
 * The certificate the fake server presents (self-signed, for 127.0.0.1 and localhost): mail tests
 * pass it as SMTP_CA_FILE, the way an operator trusts a private mail server's own CA.
 */
export const TEST_SMTP_CA_FILE = fileURLToPath(new URL('./smtp-tls/cert.pem', import.meta.url));
const TEST_SMTP_KEY_FILE = fileURLToPath(new URL('./smtp-tls/key.pem', import.meta.url));

/** Undoes quoted-printable (soft line breaks and =XX bytes), so tests read the text as written. */
function decodeQuotedPrintable(body: string): string {
  const text = body.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(Number.parseInt(hex, 16));
      i += 2;
    } else bytes.push(...Buffer.from(text[i] ?? '', 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

function readableText(raw: string): string {
  const split = raw.indexOf('\r\n\r\n');
  const headers = split < 0 ? raw : raw.slice(0, split);
  let body = split < 0 ? '' : raw.slice(split + 4);
  if (/^Content-Transfer-Encoding:\s*quoted-printable/im.test(headers)) body = decodeQuotedPrintable(body);
  return `${headers}\n\n${body}`.replace(/\r\n/g, '\n').replace(/\n$/, '');
}

/**
 * A scripted SMTP server on 127.0.0.1 for mail tests: accepts every message and keeps it.
 * `tls`: `starttls` (default) offers STARTTLS with the test certificate, `implicit` speaks TLS from
 * the first byte (smtps://), `none` offers no TLS at all (a stripped STARTTLS). Logins with any
 * password are accepted once encrypted. `failNext` makes the next message be refused.
 */
export async function startFakeSmtpServer(options: { tls?: 'starttls' | 'implicit' | 'none' } = {}): Promise<{
  url: string;
  messages: ReceivedMail[];
  failNext(): void;
  close(): Promise<void>;
}> {
  const mode = options.tls ?? 'starttls';
  const messages: ReceivedMail[] = [];
  let refuse = false;
  const server = new SMTPServer({
    secure: mode === 'implicit',
    // `none` neither offers nor accepts STARTTLS: what a man in the middle who strips it leaves.
    hideSTARTTLS: mode === 'none',
    disabledCommands: mode === 'none' ? ['STARTTLS'] : [],
    key: readFileSync(TEST_SMTP_KEY_FILE),
    cert: readFileSync(TEST_SMTP_CA_FILE),
    authOptional: true,
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (refuse) {
          refuse = false;
          return callback(Object.assign(new Error('refused by the test'), { responseCode: 554 }));
        }
        messages.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          data: readableText(Buffer.concat(chunks).toString('utf8')),
          secure: session.secure,
        });
        callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    url: `${mode === 'implicit' ? 'smtps' : 'smtp'}://127.0.0.1:${port}`,
    messages,
    failNext: () => {
      refuse = true;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

/** The settings that point a test server's mail at a fake SMTP server (its CA trusted). */
export function mailSettings(smtp: { url: string }): Record<string, string> {
  return {
    SMTP_URL: smtp.url,
    SMTP_CA_FILE: TEST_SMTP_CA_FILE,
    OTPGET_MAIL_FROM: 'otp@example.com',
    OTPGET_PUBLIC_URL: 'https://otp.example.com',
  };
}
