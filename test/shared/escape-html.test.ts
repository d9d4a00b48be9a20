import assert from 'node:assert/strict';
import { it } from 'node:test';
import { escapeHtml } from '../../src/shared/escape-html.js';

it('escapes the five characters that could end an element or a quoted attribute, and nothing else', () => {
  assert.equal(
    escapeHtml(`<a href="x" title='y'>Tom & Jerry</a>`),
    '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;Tom &amp; Jerry&lt;/a&gt;',
  );
  assert.equal(
    escapeHtml('already &amp; once'),
    'already &amp;amp; once',
    'escaping is not idempotent by design',
  );
  assert.equal(escapeHtml('اردو 🙂 plain'), 'اردو 🙂 plain');
});
