/** Small helpers for scanning HTML tags without a parser (and without backtracking regexes). */

/**
 * Finds the `>` that ends a tag opened at `start`, skipping `>` inside quoted attribute values.
 * A quote only opens a value right after `=`, so a stray apostrophe (`<img alt=Don't>`) does not
 * swallow the rest of the document.
 */
export function findTagEnd(html: string, start: number): number {
  let quote = '';
  let previous = '';
  for (let i = start; i < html.length; i++) {
    const ch = html[i] ?? '';
    if (quote !== '') {
      if (ch === quote) quote = '';
    } else if ((ch === '"' || ch === "'") && previous === '=') {
      quote = ch;
    } else if (ch === '>') {
      return i;
    }
    if (ch !== ' ' && ch !== '\t' && ch !== '\n' && ch !== '\r') previous = ch;
  }
  return -1;
}

/** The lower-cased element name starting at `from` (empty when there is none). */
export function readTagName(html: string, from: number): string {
  let end = from;
  while (end < html.length && /[a-zA-Z0-9:-]/.test(html[end] ?? '')) end++;
  return html.slice(from, end).toLowerCase();
}
