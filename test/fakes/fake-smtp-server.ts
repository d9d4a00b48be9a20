import net from 'node:net';

/** A message the fake SMTP server accepted: envelope and the DATA text (dot-stuffing undone). */
export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
}

/**
 * A scripted SMTP server on 127.0.0.1 for mail tests: no TLS and no login, accepts every message
 * and keeps it. `failNext` makes the next message be refused (to test the fallback).
 */
export async function startFakeSmtpServer(): Promise<{
  url: string;
  messages: ReceivedMail[];
  failNext(): void;
  close(): Promise<void>;
}> {
  const messages: ReceivedMail[] = [];
  let refuse = false;
  const server = net.createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let mail: ReceivedMail = { from: '', to: [], data: '' };
    const dataLines: string[] = [];
    socket.write('220 fake-smtp ready\r\n');
    socket.on('data', (chunk: string) => {
      buffer += chunk;
      let end = buffer.indexOf('\r\n');
      while (end >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        end = buffer.indexOf('\r\n');
        if (inData) {
          if (line === '.') {
            inData = false;
            if (refuse) {
              refuse = false;
              socket.write('554 refused by the test\r\n');
            } else {
              messages.push({ ...mail, data: dataLines.join('\n') });
              socket.write('250 queued\r\n');
            }
            dataLines.length = 0;
          } else dataLines.push(line.startsWith('..') ? line.slice(1) : line);
          continue;
        }
        const verb = line.slice(0, 4).toUpperCase();
        if (verb === 'EHLO') socket.write('250-fake-smtp\r\n250 8BITMIME\r\n');
        else if (verb === 'MAIL') {
          mail = { from: /<([^>]*)>/.exec(line)?.[1] ?? '', to: [], data: '' };
          socket.write('250 ok\r\n');
        } else if (verb === 'RCPT') {
          mail.to.push(/<([^>]*)>/.exec(line)?.[1] ?? '');
          socket.write('250 ok\r\n');
        } else if (verb === 'DATA') {
          inData = true;
          socket.write('354 go on\r\n');
        } else if (verb === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('502 not implemented\r\n');
      }
    });
    socket.on('error', () => {});
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    failNext: () => {
      refuse = true;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
