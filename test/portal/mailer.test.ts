import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { createMailer, type Mailer } from '../../src/mail/mailer.js';
import { startFakeSmtpServer, TEST_SMTP_CA_FILE } from '../fakes/fake-smtp-server.js';

const CA = readFileSync(TEST_SMTP_CA_FILE, 'utf8');

/** A mailer for a test server, trusting the test certificate the way SMTP_CA_FILE would. */
function mailerFor(url: string, ca: string | null = CA): Mailer {
  const mailer = createMailer({ url: new URL(url), from: 'otp@example.com', ca });
  assert.ok(mailer);
  return mailer;
}

const message = {
  to: 'you@example.com',
  subject: 'Hello\r\nBcc: injected@example.com',
  text: 'line one\n.starts with a dot\nlast',
};

describe('mailer (SMTP through nodemailer)', () => {
  let smtp: Awaited<ReturnType<typeof startFakeSmtpServer>>;
  let mailer: Mailer;
  before(async () => {
    smtp = await startFakeSmtpServer();
    mailer = mailerFor(smtp.url);
  });
  after(async () => {
    mailer.close();
    await smtp.close();
  });

  it('delivers a plain-text message over STARTTLS, with dot lines escaped and headers kept on one line', async () => {
    await mailer.send(message);
    const received = smtp.messages.at(-1);
    assert.ok(received);
    assert.equal(received.secure, true, 'upgraded with STARTTLS before the message');
    assert.equal(received.from, 'otp@example.com');
    assert.deepEqual(received.to, ['you@example.com']);
    assert.match(received.data, /^Subject: Hello Bcc: injected@example\.com$/m);
    assert.doesNotMatch(received.data, /^Bcc:/m);
    assert.match(received.data, /\n\nline one\n\.starts with a dot\nlast$/);
    assert.match(received.data, /^Message-ID: <[^>]+@[^>]+>$/m);
    assert.match(received.data, /^Date: /m);
  });

  it('encodes a non-ASCII subject as RFC 2047 and keeps a long link whole', async () => {
    const link = `https://otp.example.com/set-password?token=${'x'.repeat(43)}`;
    await mailer.send({
      to: 'you@example.com',
      subject: 'Nouă parolă',
      text: `Open this link within one hour: ${link}`,
    });
    const received = smtp.messages.at(-1);
    assert.ok(received);
    assert.match(received.data, /^Subject: =\?UTF-8\?[QB]\?/m);
    assert.ok(received.data.includes(link), received.data);
  });

  it('reports a refused message and an unreachable server as errors', async () => {
    smtp.failNext();
    await assert.rejects(mailer.send(message), /554/);
    const nowhere = mailerFor('smtp://127.0.0.1:1');
    await assert.rejects(nowhere.send(message), /ECONNREFUSED|closed/);
    nowhere.close();
  });
});

describe('mailer: never without TLS', () => {
  it('refuses to send when the server offers no STARTTLS (a stripped upgrade), with or without a password', async () => {
    const plain = await startFakeSmtpServer({ tls: 'none' });
    try {
      for (const url of [plain.url, plain.url.replace('smtp://', 'smtp://user:secret@')]) {
        const mailer = mailerFor(url);
        await assert.rejects(mailer.send(message), /STARTTLS/i);
        mailer.close();
      }
      assert.equal(plain.messages.length, 0, 'nothing was sent in clear');
    } finally {
      await plain.close();
    }
  });

  it('speaks TLS from the first byte for smtps://, logging in over it', async () => {
    const implicit = await startFakeSmtpServer({ tls: 'implicit' });
    const mailer = mailerFor(implicit.url.replace('smtps://', 'smtps://user:secret@'));
    try {
      await mailer.send(message);
      assert.equal(implicit.messages.at(-1)?.secure, true);
    } finally {
      mailer.close();
      await implicit.close();
    }
  });

  it('verifies the certificate: a server whose certificate is not trusted gets nothing', async () => {
    const smtp = await startFakeSmtpServer();
    const mailer = mailerFor(smtp.url, null);
    try {
      await assert.rejects(mailer.send(message), /certificate/i);
      assert.equal(smtp.messages.length, 0);
    } finally {
      mailer.close();
      await smtp.close();
    }
  });
});
