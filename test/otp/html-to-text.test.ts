import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeHtmlEntities } from '../../src/otp/html-entities.js';
import { htmlToText } from '../../src/otp/html-to-text.js';

describe('htmlToText', () => {
  const cases: ReadonlyArray<{ name: string; html: string; text: string }> = [
    {
      name: 'block elements separate words',
      html: '<div>842526</div><div>Dieser Einmalcode ist 10 Minuten gültig.</div>',
      text: '842526\nDieser Einmalcode ist 10 Minuten gültig.',
    },
    { name: '<br> is a line break', html: '<b>9063</b><br/>ist der Code', text: '9063\nist der Code' },
    {
      name: 'table cells are spaced',
      html: '<table><tr><td>Code</td><td>4821</td></tr></table>',
      text: 'Code 4821',
    },
    {
      name: 'head, style, script and comments are dropped',
      html: '<html><head><title>T 1234</title><style>.a{font-size:16px;color:#333333}</style></head><body><!-- 9999 --><script>var x = 5555;</script><p>Hello</p><!--[if mso]><p>mso</p><![endif]--></body></html>',
      text: 'Hello',
    },
    {
      name: 'named, decimal and hex entities are decoded; invisible ones removed',
      html: '<p>Tom &amp; Jerry&nbsp;&mdash; &#169; &#x20AC;5 &lt;b&gt; 4&#8203;8&zwnj;2</p>',
      text: 'Tom & Jerry — © €5 <b> 482',
    },
    { name: 'unknown entity is left as written', html: '<p>a &madeup; b</p>', text: 'a &madeup; b' },
    {
      name: 'whitespace collapses and blank lines go',
      html: '<p>  a \n\t b </p>\n\n<p></p><p>c</p>',
      text: 'a b\nc',
    },
    {
      name: 'quoted ">" inside attributes does not end the tag',
      html: '<a title="x > y" href="/v">Verify</a>',
      text: 'Verify',
    },
    {
      name: 'stray apostrophe in an unquoted attribute',
      html: "<img alt=Don't>Code 1234<p>end</p>",
      text: 'Code 1234\nend',
    },
    { name: 'a lone "<" is text', html: '<p>1 < 2</p>', text: '1 < 2' },
    { name: 'pre keeps its line breaks', html: '<pre>line 1\nline 2</pre>', text: 'line 1\nline 2' },
    {
      name: 'unterminated comment drops the rest',
      html: '<p>shown</p><!-- never closed <p>hidden</p>',
      text: 'shown',
    },
    { name: 'unterminated style drops the rest', html: '<p>shown</p><style>p{}', text: 'shown' },
    { name: 'plain text passes through', html: 'just text 123', text: 'just text 123' },
    { name: 'upper-case tags', html: '<DIV>A</DIV><DIV>B</DIV><STYLE>x</STYLE>', text: 'A\nB' },
  ];
  for (const { name, html, text } of cases) {
    it(name, () => assert.equal(htmlToText(html), text));
  }

  it('finishes on a 100 KB hostile input', () => {
    const hostile = `${'<a title="'.repeat(2000)}${'<!--'.repeat(5000)}${'&#'.repeat(20000)}${'<p'.repeat(20000)}`;
    assert.ok(hostile.length > 100_000);
    assert.equal(typeof htmlToText(hostile), 'string');
    const many = '<div><span style="font-size:16px">x</span></div>'.repeat(2500);
    assert.equal(htmlToText(many).split('\n').length, 2500);
  });
});

describe('decodeHtmlEntities', () => {
  it('decodes legacy references without a semicolon only for the common names', () => {
    assert.equal(decodeHtmlEntities('a &amp b &nbsp c &hellip d'), 'a & b   c &hellip d');
  });
  it('maps invalid code points to U+FFFD', () => {
    assert.equal(decodeHtmlEntities('&#0;&#xD800;&#x110000;'), '\ufffd\ufffd\ufffd');
  });
});
