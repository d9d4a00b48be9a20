import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { sendSmtp } from '../../src/mail/smtp-client.js';
import { startFakeSmtpServer } from '../fakes/fake-smtp-server.js';

describe('SMTP client', () => {
  let smtp: Awaited<ReturnType<typeof startFakeSmtpServer>>;
  before(async () => {
    smtp = await startFakeSmtpServer();
  });
  after(() => smtp.close());

  const message = {
    from: 'otp@example.com',
    to: 'you@example.com',
    subject: 'Hello\r\nBcc: injected@example.com',
    text: 'line one\n.starts with a dot\nlast',
  };

  it('delivers a plain-text message, with dot lines escaped and headers kept on one line', async () => {
    await sendSmtp(new URL(smtp.url), message);
    const received = smtp.messages.at(-1);
    assert.ok(received);
    assert.equal(received.from, 'otp@example.com');
    assert.deepEqual(received.to, ['you@example.com']);
    assert.match(received.data, /^Subject: Hello Bcc: injected@example\.com$/m);
    assert.doesNotMatch(received.data, /^Bcc:/m);
    assert.match(received.data, /\n\nline one\n\.starts with a dot\nlast$/);
  });

  it('refuses to send a password over a connection without TLS', async () => {
    const url = new URL(smtp.url.replace('smtp://', 'smtp://user:secret@'));
    await assert.rejects(sendSmtp(url, message), /refusing to send the password in clear/);
  });

  it('reports a refused message and an unreachable server as errors', async () => {
    smtp.failNext();
    await assert.rejects(sendSmtp(new URL(smtp.url), message), /SMTP message refused: 554/);
    await assert.rejects(sendSmtp(new URL('smtp://127.0.0.1:1'), message), /ECONNREFUSED|closed/);
  });
});
