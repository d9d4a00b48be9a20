import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extractEmailCode } from '../../src/otp/extract-email-code.js';
import { EMAILS_MORE } from './corpus/emails-more.js';
import { EMAILS_TRICKY } from './corpus/emails-tricky.js';
import { EMAILS_WITH_CODE } from './corpus/emails-with-code.js';
import { EMAILS_WITH_LINK } from './corpus/emails-with-link.js';
import { button, mailTemplate } from './corpus/mail-template.js';

const CORPUS = [...EMAILS_WITH_CODE, ...EMAILS_WITH_LINK, ...EMAILS_TRICKY, ...EMAILS_MORE];

describe('extractEmailCode on the e-mail corpus', () => {
  it('has at least 40 messages, plain and HTML', () => {
    assert.ok(CORPUS.length >= 40, `only ${CORPUS.length}`);
    assert.ok(CORPUS.filter((c) => c.message.html !== undefined).length >= 20);
    assert.ok(CORPUS.filter((c) => c.message.html === undefined).length >= 10);
  });

  for (const { name, message, code, link, service, note } of CORPUS) {
    it(`${name}${note ? ` (${note})` : ''}`, () => {
      const result = extractEmailCode(message, service === undefined ? undefined : { service });
      assert.deepEqual(result, { code, link });
    });
  }
});

describe('extractEmailCode rules', () => {
  it('returns nothing for an empty message', () => {
    assert.deepEqual(extractEmailCode({}), { code: null, link: null });
  });

  it('prefers the subject when it is as confident as the body', () => {
    const result = extractEmailCode({ subject: 'Your code is 482913', text: 'Your code is 551902' });
    assert.equal(result.code, '482913');
  });

  it('takes the body when the subject has no code', () => {
    assert.equal(extractEmailCode({ subject: 'Welcome!', text: 'Verification code: 551902' }).code, '551902');
  });

  it('reports no link when a code was found', () => {
    const html = mailTemplate({
      brand: 'Acme',
      title: 'Verify',
      body: `<p>Your code is 482913</p>${button('https://acme.example/verify?token=1', 'Verify email')}`,
    });
    assert.deepEqual(extractEmailCode({ html }), { code: '482913', link: null });
  });

  it('ignores unsubscribe, privacy, help and mailto links', () => {
    const html = mailTemplate({ brand: 'Acme', title: 'News', body: '<p>Nothing to confirm here.</p>' });
    assert.deepEqual(extractEmailCode({ html }), { code: null, link: null });
  });

  it('does not take a plain "Log in" link without a token', () => {
    const html = '<p>Welcome back.</p><a href="https://acme.example/login">Log in</a>';
    assert.equal(extractEmailCode({ html }).link, null);
  });

  it('ignores non-web links even when they say verify', () => {
    const html = '<a href="javascript:verify()">Verify</a> <a href="mailto:verify@acme.example">Verify</a>';
    assert.equal(extractEmailCode({ html }).link, null);
  });

  it('finishes on a 100 KB HTML body', () => {
    const row =
      '<tr><td style="font-size:16px;color:#333333">Item 2025</td><td><a href="https://x.example/p?id=1">see</a></td></tr>';
    const html = `<table>${row.repeat(1_000)}</table><p>Your verification code is 730215</p>`;
    assert.ok(html.length > 100_000);
    assert.equal(extractEmailCode({ html }).code, '730215');
    const hostile = '<a href="https://x.example/verify"'.repeat(3_000) + '<a '.repeat(10_000);
    assert.ok(hostile.length > 100_000);
    assert.equal(typeof extractEmailCode({ html: hostile }).code, 'object');
  });
});
