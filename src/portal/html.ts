import { escapeHtml } from '../shared/escape-html.js';

/**
 * A tiny HTML template: `html\`<p>${value}</p>\`` escapes every interpolated value unless it is
 * already Html (a nested template or `raw`). Pages are built from these, so user data can only
 * reach the page escaped.
 */
export class Html {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Value = Html | string | number | boolean | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof Html) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Html {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new Html(out);
}

/** Trusted markup, e.g. a constant; never user input. */
export function raw(markup: string): Html {
  return new Html(markup);
}
