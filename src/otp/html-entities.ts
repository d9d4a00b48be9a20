/**
 * HTML character references as they appear in verification e-mails. Only the named entities that
 * mail templates actually use are known; an unknown name is left as written rather than guessed.
 */

const NAMED: Readonly<Record<string, string>> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  ensp: ' ',
  emsp: ' ',
  thinsp: ' ',
  zwnj: '\u200c',
  zwj: '\u200d',
  lrm: '\u200e',
  rlm: '\u200f',
  shy: '\u00ad',
  copy: '©',
  reg: '®',
  trade: '™',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  minus: '−',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  laquo: '«',
  raquo: '»',
  lsaquo: '‹',
  rsaquo: '›',
  bull: '•',
  middot: '·',
  euro: '€',
  pound: '£',
  yen: '¥',
  cent: '¢',
  curren: '¤',
  deg: '°',
  times: '×',
  divide: '÷',
  plusmn: '±',
  sect: '§',
  para: '¶',
  iexcl: '¡',
  iquest: '¿',
  dagger: '†',
  rarr: '→',
  larr: '←',
  uarr: '↑',
  darr: '↓',
  check: '✓',
  auml: 'ä',
  ouml: 'ö',
  uuml: 'ü',
  Auml: 'Ä',
  Ouml: 'Ö',
  Uuml: 'Ü',
  szlig: 'ß',
  eacute: 'é',
  egrave: 'è',
  ecirc: 'ê',
  Eacute: 'É',
  aacute: 'á',
  agrave: 'à',
  acirc: 'â',
  atilde: 'ã',
  iacute: 'í',
  oacute: 'ó',
  ocirc: 'ô',
  otilde: 'õ',
  uacute: 'ú',
  ccedil: 'ç',
  Ccedil: 'Ç',
  ntilde: 'ñ',
  Ntilde: 'Ñ',
};

/** Names browsers also accept without the trailing semicolon (legacy references seen in old templates). */
const LEGACY_WITHOUT_SEMICOLON = new Set(['amp', 'lt', 'gt', 'quot', 'nbsp', 'copy', 'reg']);

// Bounded quantifiers keep this linear: a reference is at most 33 characters long.
const REFERENCE = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,7})|([a-zA-Z][a-zA-Z0-9]{1,31}))(;?)/g;

function fromCodePoint(codePoint: number): string {
  // The HTML standard maps NUL, surrogates and out-of-range values to U+FFFD.
  if (codePoint === 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff))
    return '\ufffd';
  return String.fromCodePoint(codePoint);
}

/** Decodes named (common ones), decimal (`&#8203;`) and hexadecimal (`&#x200B;`) character references. */
export function decodeHtmlEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(
    REFERENCE,
    (
      whole,
      decimal: string | undefined,
      hex: string | undefined,
      name: string | undefined,
      semicolon: string,
    ) => {
      if (decimal !== undefined) return fromCodePoint(Number.parseInt(decimal, 10));
      if (hex !== undefined) return fromCodePoint(Number.parseInt(hex, 16));
      if (name === undefined) return whole;
      const value = NAMED[name];
      if (value === undefined) return whole;
      if (semicolon === '' && !LEGACY_WITHOUT_SEMICOLON.has(name)) return whole;
      return value;
    },
  );
}
