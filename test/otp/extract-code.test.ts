import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { extractCode, findBestCode } from '../../src/otp/extract-code.js';
import { SMS_CASES } from './corpus/sms.js';
import { SMS_MORE_CASES } from './corpus/sms-more.js';

const CORPUS = [...SMS_CASES, ...SMS_MORE_CASES];

describe('extractCode on the SMS corpus', () => {
  it('has at least 40 messages', () => assert.ok(CORPUS.length >= 40, `only ${CORPUS.length}`));

  for (const { text, code, service, note } of CORPUS) {
    const title = `${JSON.stringify(text.slice(0, 70))}${note ? ` (${note})` : ''}`;
    it(title, () => assert.equal(extractCode(text, service === undefined ? undefined : { service }), code));
  }
});

describe('extractCode rules', () => {
  const cases: ReadonlyArray<{ name: string; text: string; code: string | null; service?: string }> = [
    { name: 'CSS size is not a code', text: 'code { max-width: 1024px; }', code: null },
    { name: 'hex colour is not a code', text: 'Your code colour is #333333', code: null },
    { name: 'font weight is not a code', text: 'code{font-weight:600;line-height:1.5}', code: null },
    { name: 'digits in an e-mail address are ignored', text: 'Code sent to user48291@gmail.com', code: null },
    { name: 'digits in a link are ignored', text: 'Code: https://x.io/v/482913', code: null },
    { name: 'decimal amount is not a code', text: 'Your code is 1234.56 USD', code: null },
    { name: 'year after a month is not a code', text: 'Verification code sent on May 12, 2024', code: null },
    {
      name: 'copyright year is not a code',
      text: 'Enter the code in the app. © 2025 Example Inc.',
      code: null,
    },
    {
      name: 'zip code in a footer is not a code',
      text: 'Your code expired. Example Inc, Menlo Park, CA 94025',
      code: null,
    },
    { name: 'a lone six-digit number is taken', text: '482913', code: '482913' },
    { name: 'a lone four-digit number is not', text: '4829', code: null },
    { name: 'barcode is not a code keyword', text: 'Barcode 48291', code: null },
    { name: 'German compound keyword', text: 'Ihr Sicherheitscode: 5521', code: '5521' },
    { name: 'spaced single digits', text: 'Your code: 4 8 2 9 1 3', code: '482913' },
    {
      name: 'Telegram hint prefers five digits',
      text: 'Your code: 482139\nYour code: 48213',
      code: '48213',
      service: 'tg',
    },
    { name: 'without the hint six digits win', text: 'Your code: 482139\nYour code: 48213', code: '482139' },
    {
      name: 'service given by catalogue name',
      text: 'Your code: 482139\nYour code: 48213',
      code: '48213',
      service: 'Telegram',
    },
    { name: 'an unknown service is harmless', text: 'Code 482139', code: '482139', service: 'constructor' },
    {
      name: 'zero-width characters inside the code',
      text: 'Your code: 4\u200b8\u200b2\u200b9\u200b1\u200b3',
      code: '482913',
    },
    { name: 'upper-case word after "code:" in prose', text: 'Your code: BELOW', code: null },
  ];
  for (const { name, text, code, service } of cases) {
    it(name, () => assert.equal(extractCode(text, service === undefined ? undefined : { service }), code));
  }
});

describe('findBestCode', () => {
  it('keeps the raw form next to the code the customer types', () => {
    assert.deepEqual(
      ['G-482913 is your Google code', 'Your WhatsApp code 740-279', 'Code: 4 8 2 9 1 3'].map((text) => {
        const found = findBestCode(text);
        return [found?.code, found?.raw];
      }),
      [
        ['482913', 'G-482913'],
        ['740279', '740-279'],
        ['482913', '4 8 2 9 1 3'],
      ],
    );
  });

  it('scores an anchored code above a loose number', () => {
    const anchored = findBestCode('Your code is 482913');
    const loose = findBestCode('482913');
    assert.ok(anchored !== null && loose !== null && anchored.score > loose.score);
  });
});

describe('extractCode properties', () => {
  it('returns null or a code-shaped string for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        const code = extractCode(text);
        return code === null || /^[A-Za-z0-9/-]{4,20}$/.test(code);
      }),
      { numRuns: 500 },
    );
  });

  it('finds a stated code inside neutral prose', () => {
    const word = fc.constantFrom(
      'hello',
      'your',
      'account',
      'team',
      'thanks',
      'please',
      'new',
      'device',
      'today',
    );
    const prose = fc.array(word, { maxLength: 30 }).map((words) => words.join(' '));
    const code = fc.integer({ min: 100_000, max: 999_999 }).map(String);
    fc.assert(
      fc.property(prose, code, prose, (head, value, tail) => {
        return extractCode(`${head}. Your verification code is ${value}. ${tail}`) === value;
      }),
      { numRuns: 300 },
    );
  });
});

describe('extractCode on large input', () => {
  it('finishes on 100 KB of adversarial text', () => {
    const inputs = [
      'code '.repeat(20_000),
      '1'.repeat(100_000),
      '1-'.repeat(50_000),
      '1 '.repeat(50_000),
      'a@'.repeat(50_000),
      'A'.repeat(100_000),
      `${'+1'.repeat(50_000)}`,
      'Your code is 482913. '.repeat(5_000),
      'AB1-'.repeat(25_000),
      '<#> 1 2 3 4 5 6 7 8 9 '.repeat(5_000),
      'x'.repeat(100_000),
      '0300 '.repeat(20_000),
    ];
    for (const input of inputs) {
      assert.ok(input.length >= 100_000);
      const result = extractCode(input);
      assert.ok(result === null || typeof result === 'string');
    }
    assert.equal(extractCode(`${'lorem ipsum 2024 '.repeat(6_000)}Your code is 482913`), '482913');
  });
});
