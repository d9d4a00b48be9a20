import { decodeHtmlEntities } from './html-entities.js';
import { findTagEnd, readTagName } from './html-tags.js';

/**
 * Elements whose boundaries separate words visually. Without a break here a code in its own
 * `<div>` runs into the next word ("842526Dieser Einmalcode…") and no word boundary is left.
 */
const BLOCK_ELEMENTS = new Set([
  'address',
  'article',
  'aside',
  'blockquote',
  'body',
  'br',
  'caption',
  'center',
  'dd',
  'div',
  'dl',
  'dt',
  'fieldset',
  'figcaption',
  'figure',
  'footer',
  'form',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'header',
  'hr',
  'html',
  'li',
  'main',
  'nav',
  'ol',
  'p',
  'pre',
  'section',
  'table',
  'tbody',
  'tfoot',
  'thead',
  'tr',
  'ul',
]);

const CELL_ELEMENTS = new Set(['td', 'th']);

/** Elements whose content is never shown as text; everything up to the closing tag is dropped. */
const HIDDEN_CONTENT_ELEMENTS = new Set([
  'head',
  'script',
  'style',
  'template',
  'noscript',
  'svg',
  'title',
  'object',
]);

/** Invisible characters templates use as preheader padding or to stop auto-linking. */
const INVISIBLE = /\u00ad|\u034f|[\u200b-\u200d]|\u2060|\ufeff/g;

/**
 * Plain text of an HTML e-mail body, keeping word boundaries: block elements and `<br>` become
 * newlines, table cells a space; `<head>`, `<style>`, `<script>` and comments are dropped;
 * character references are decoded; spaces are collapsed and blank lines removed.
 *
 * A single forward scan with `indexOf` (no backtracking regex over the document), so a 100 KB or
 * malformed body costs linear time.
 */
export function htmlToText(html: string): string {
  const lower = html.toLowerCase();
  const out: string[] = [];
  let preDepth = 0;
  let i = 0;

  const pushText = (raw: string): void => {
    if (raw === '') return;
    const decoded = decodeHtmlEntities(raw).replace(INVISIBLE, '');
    out.push(preDepth > 0 ? decoded.replace(/\r\n?/g, '\n') : decoded.replace(/\s+/g, ' '));
  };

  while (i < html.length) {
    const lt = html.indexOf('<', i);
    if (lt === -1) {
      pushText(html.slice(i));
      break;
    }
    pushText(html.slice(i, lt));
    const next = html[lt + 1] ?? '';

    if (html.startsWith('<!--', lt)) {
      const close = html.indexOf('-->', lt + 4);
      i = close === -1 ? html.length : close + 3;
      continue;
    }
    if (next === '!' || next === '?') {
      const close = html.indexOf('>', lt + 2);
      i = close === -1 ? html.length : close + 1;
      continue;
    }
    const isClosing = next === '/';
    const name = readTagName(html, lt + (isClosing ? 2 : 1));
    if (name === '') {
      // A bare "<" in text (e.g. "a < b") is text, not markup.
      pushText('<');
      i = lt + 1;
      continue;
    }
    const tagEnd = findTagEnd(html, lt + 1);
    if (tagEnd === -1) break; // an unterminated tag at the end is not visible text
    i = tagEnd + 1;

    if (!isClosing && HIDDEN_CONTENT_ELEMENTS.has(name) && html[tagEnd - 1] !== '/') {
      const close = lower.indexOf(`</${name}`, i);
      if (close === -1) break;
      const closeEnd = html.indexOf('>', close);
      i = closeEnd === -1 ? html.length : closeEnd + 1;
      continue;
    }
    if (name === 'pre') preDepth = Math.max(0, preDepth + (isClosing ? -1 : 1));
    if (BLOCK_ELEMENTS.has(name)) out.push('\n');
    else if (CELL_ELEMENTS.has(name)) out.push(' ');
  }

  return out
    .join('')
    .split('\n')
    .map((line) => line.replace(/[ \t\f\v\u00a0]+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n');
}
