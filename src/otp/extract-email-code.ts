import { type ExtractCodeOptions, findBestCode, type ScoredCode } from './extract-code.js';
import { findHtmlVerificationLink, findTextVerificationLink } from './find-verification-link.js';
import { htmlToText } from './html-to-text.js';

/** The parts of a received e-mail the extractor reads; any may be missing. */
export interface EmailMessageParts {
  subject?: string;
  /** The text/plain part. Some upstreams put the whole HTML here; that is detected. */
  text?: string;
  /** The text/html part. */
  html?: string;
}

/** What a verification e-mail gives the customer: a code, or else the link to click. */
export interface EmailCodeResult {
  code: string | null;
  /** The verify/confirm/activate link; only reported when the message has no code. */
  link: string | null;
}

/** Enough structure to say a "text" part is really HTML (bounded, so linear to test). */
const LOOKS_LIKE_HTML = /<(?:html|body|div|table|p|br|span|a|td)\b[^<>]{0,300}>/i;

/**
 * The verification code of an e-mail, read from the subject, the text part and the HTML part
 * (converted with {@link htmlToText}, so CSS sizes and colours in the markup never count);
 * the most confident of the three wins, the subject on ties. When there is no code, the
 * verification link instead (the anchor whose text or href says verify/confirm/activate;
 * unsubscribe, privacy and help links are ignored).
 */
export function extractEmailCode(message: EmailMessageParts, options?: ExtractCodeOptions): EmailCodeResult {
  const { subject = '', text = '', html = '' } = message;
  const textIsHtml = text !== '' && LOOKS_LIKE_HTML.test(text);
  const htmlBodies = [html, textIsHtml ? text : ''].filter((body) => body !== '');
  const plainBodies = [subject, textIsHtml ? '' : text, ...htmlBodies.map(htmlToText)];

  let best: ScoredCode | null = null;
  for (const body of plainBodies) {
    if (body === '') continue;
    const found = findBestCode(body, options);
    if (found !== null && (best === null || found.score > best.score)) best = found;
  }
  if (best !== null) return { code: best.code, link: null };

  let link: string | null = null;
  for (const body of htmlBodies) link ??= findHtmlVerificationLink(body);
  if (link === null && text !== '' && !textIsHtml) link = findTextVerificationLink(text);
  return { code: null, link };
}
