import net from 'node:net';
import tls from 'node:tls';

/** One plain-text message. */
export interface MailMessage {
  from: string;
  to: string;
  subject: string;
  text: string;
}

/** Reads SMTP replies ("250-…" continues, "250 …" ends) from a socket, one reply per call. */
class ReplyReader {
  private buffer = '';
  private lines: string[] = [];
  private waiting: ((reply: { code: number; text: string }) => void) | null = null;
  private failure: Error | null = null;
  private failWaiting: ((error: Error) => void) | null = null;

  attach(socket: net.Socket): void {
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      this.buffer += chunk;
      let end = this.buffer.indexOf('\n');
      while (end >= 0) {
        this.lines.push(this.buffer.slice(0, end).replace(/\r$/, ''));
        this.buffer = this.buffer.slice(end + 1);
        end = this.buffer.indexOf('\n');
      }
      this.deliver();
    });
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('SMTP server closed the connection')));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.failWaiting?.(this.failure);
  }

  private deliver(): void {
    const last = this.lines.findIndex((line) => /^\d{3}(?: |$)/.test(line));
    if (last < 0 || !this.waiting) return;
    const lines = this.lines.splice(0, last + 1);
    const resolve = this.waiting;
    this.waiting = null;
    resolve({ code: Number(lines[last]?.slice(0, 3)), text: lines.map((l) => l.slice(4)).join('\n') });
  }

  next(): Promise<{ code: number; text: string }> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.waiting = resolve;
      this.failWaiting = reject;
      this.deliver();
    });
  }
}

/**
 * Sends one message over SMTP: `smtps://` speaks TLS from the start (default port 465), `smtp://`
 * upgrades with STARTTLS when the server offers it (default port 587); user and password in the
 * URL log in with AUTH PLAIN, which is refused over an unencrypted connection.
 */
export async function sendSmtp(url: URL, message: MailMessage, timeoutMs = 15_000): Promise<void> {
  const host = url.hostname;
  const implicitTls = url.protocol === 'smtps:';
  const port = Number(url.port || (implicitTls ? 465 : 587));
  let socket: net.Socket = implicitTls
    ? tls.connect({ host, port, servername: host })
    : net.connect({ host, port });
  socket.setTimeout(timeoutMs, () => socket.destroy(new Error('SMTP server timed out')));
  let reader = new ReplyReader();
  reader.attach(socket);
  let encrypted = implicitTls;

  /** Sends a command (none for the greeting) and reads its reply; `step` names it in errors, never AUTH's secret. */
  const expect = async (codes: number[], step: string, command?: string) => {
    if (command !== undefined) socket.write(`${command}\r\n`);
    const reply = await reader.next();
    if (!codes.includes(reply.code)) throw new Error(`SMTP ${step} refused: ${reply.code} ${reply.text}`);
    return reply;
  };

  try {
    await expect([220], 'greeting');
    let hello = await expect([250], 'EHLO', 'EHLO otpget');
    if (!encrypted && /^STARTTLS$/im.test(hello.text)) {
      await expect([220], 'STARTTLS', 'STARTTLS');
      socket.removeAllListeners('data');
      socket = tls.connect({ socket, servername: host });
      socket.setTimeout(timeoutMs, () => socket.destroy(new Error('SMTP server timed out')));
      reader = new ReplyReader();
      reader.attach(socket);
      encrypted = true;
      hello = await expect([250], 'EHLO', 'EHLO otpget');
    }
    if (url.username) {
      if (!encrypted) throw new Error('SMTP server offers no TLS; refusing to send the password in clear');
      const plain = `\0${decodeURIComponent(url.username)}\0${decodeURIComponent(url.password)}`;
      await expect([235], 'AUTH', `AUTH PLAIN ${Buffer.from(plain).toString('base64')}`);
    }
    await expect([250], 'MAIL FROM', `MAIL FROM:<${message.from}>`);
    await expect([250, 251], 'RCPT TO', `RCPT TO:<${message.to}>`);
    await expect([354], 'DATA', 'DATA');
    await expect([250], 'message', `${formatMessage(message)}\r\n.`);
    socket.write('QUIT\r\n');
  } finally {
    socket.end();
  }
}

/** Headers and body, CRLF line ends, lines starting with "." doubled (RFC 5321 transparency). */
function formatMessage(message: MailMessage): string {
  const oneLine = (value: string) => value.replace(/[\r\n]+/g, ' ');
  const headers = [
    `From: ${oneLine(message.from)}`,
    `To: ${oneLine(message.to)}`,
    `Subject: ${oneLine(message.subject)}`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
  ];
  const body = message.text
    .split(/\r?\n/)
    .map((line) => (line.startsWith('.') ? `.${line}` : line))
    .join('\r\n');
  return `${headers.join('\r\n')}\r\n\r\n${body}`;
}
