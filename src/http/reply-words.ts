/**
 * A table of plain-text reply words keyed by themselves (`WORDS.NO_BALANCE === 'NO_BALANCE'`). A
 * wire module answers only words of its table, so a typo is a compile error, and the docs
 * catalogue documents the same table, so a word cannot be sent without being documented.
 */
export function wordTable<const W extends string>(...words: W[]): { readonly [K in W]: K } {
  return Object.freeze(Object.fromEntries(words.map((w) => [w, w]))) as { readonly [K in W]: K };
}
