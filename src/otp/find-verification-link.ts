/**
 * The "click to verify" link of a magic-link or confirm-your-address e-mail. Anchors are judged by
 * their visible text and their href; footer links (unsubscribe, privacy, help) are never taken.
 */

import { decodeHtmlEntities } from './html-entities.js';
import { findTagEnd } from './html-tags.js';
import { htmlToText } from './html-to-text.js';

/** Words of a link that verifies an address or confirms an action. */
const STRONG =
  /verif|confirm|activat|validat|magic|complete (?:your )?(?:registration|sign ?up)|подтверд|активир|bestätig|aktivier|vérifi|valider|confirmer|verificar|confirmar|activar|ativar|onayla|doğrula|weryfik|potwierd|bevestig|تأكيد|تحقق|تفعيل|אמת|验证|確認|认证|인증/iu;

/** Words of a link that logs in, which is the verification only when it carries a token. */
const WEAK =
  /sign[ -]?in|log[ -]?in|signin|login|auth|reset[ -](?:your[ -])?password|password[ -]reset|войти|anmelden|connexion|iniciar sesi/iu;

/** Below this a link is not reported; a plain "Log in" footer link scores 2. */
const MIN_LINK_SCORE = 3;

const NEGATIVE =
  /unsubscribe|opt[ -]?out|optout|privacy|terms|policy|help|support|contact|preferences|manage (?:your )?(?:email|notification|subscription)|notification settings|view (?:it )?(?:in|on) (?:your )?browser|view online|web ?version|report (?:this|spam|abuse)|didn'?t (?:request|sign)|not you|block|abmelden|désinscri|desuscri|cancelar suscri|отписат/iu;

/** Query parameters that carry a one-time token are typical of verification links. */
const TOKEN_PARAMETER =
  /[?&#](?:token|code|key|otp|ticket|t|k|hash|signature|confirmation|verification)[a-z_]*=/i;

interface LinkChoice {
  href: string;
  score: number;
}

function isWebLink(href: string): boolean {
  return /^https?:\/\//i.test(href);
}

/**
 * Points for a link: its label (anchor text, title, image alt, or the line introducing a
 * plain-text link) counts most, then the href, then the sentence around an HTML anchor
 * ("<a>Click here</a> to confirm your registration").
 */
function scoreLink(href: string, label: string, context = ''): number {
  if (!isWebLink(href)) return 0;
  if (NEGATIVE.test(label) || NEGATIVE.test(href)) return 0;
  let score = 0;
  if (STRONG.test(label)) score += 3;
  else if (WEAK.test(label)) score += 1;
  if (STRONG.test(href)) score += 2;
  else if (WEAK.test(href)) score += 1;
  if (STRONG.test(context)) score += 1;
  if (score > 0 && TOKEN_PARAMETER.test(href)) score += 1;
  return score;
}

function readHref(tag: string): string | null {
  const match = /\shref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/i.exec(tag);
  const raw = match?.[1] ?? match?.[2] ?? match?.[3];
  return raw === undefined ? null : decodeHtmlEntities(raw).trim();
}

function better(current: LinkChoice | null, href: string, score: number): LinkChoice | null {
  if (score < MIN_LINK_SCORE) return current;
  return current === null || score > current.score ? { href, score } : current;
}

/** The title, aria-label and alt attributes of a tag: the label of an image-only button. */
function describedBy(tag: string): string {
  return [...tag.matchAll(/\s(?:title|aria-label|alt)\s*=\s*(?:"([^"]*)"|'([^']*)')/gi)]
    .map((m) => m[1] ?? m[2] ?? '')
    .join(' ');
}

/** About 150 characters of visible text on each side of an anchor, without cutting into a tag. */
function surroundingText(html: string, open: number, innerEnd: number): string {
  const before = html.slice(Math.max(0, open - 300), open);
  const after = html.slice(innerEnd, innerEnd + 300);
  const beforeText = htmlToText(before.slice(before.indexOf('>') + 1)).slice(-150);
  const afterCut = after.lastIndexOf('<');
  const afterText = htmlToText(after.slice(after.indexOf('>') + 1, afterCut > 0 ? afterCut : after.length));
  return `${beforeText} ${afterText.slice(0, 150)}`;
}

/** The best verification link among the `<a href>` anchors of an HTML body, or null. */
export function findHtmlVerificationLink(html: string): string | null {
  const lower = html.toLowerCase();
  let best: LinkChoice | null = null;
  let closeAt = -1; // cached position of the next "</a", so a body without closers stays linear
  let from = 0;
  while (from < html.length) {
    const open = lower.indexOf('<a', from);
    if (open === -1) break;
    const after = lower[open + 2] ?? '';
    if (!/[\s/>]/.test(after)) {
      from = open + 2;
      continue;
    }
    const tagEnd = findTagEnd(html, open + 2);
    if (tagEnd === -1) break;
    if (closeAt !== -2 && closeAt < tagEnd) closeAt = lower.indexOf('</a', tagEnd);
    if (closeAt === -1) closeAt = -2;
    // Bounded so an unclosed anchor far from the next "</a" cannot make the scan quadratic.
    const innerEnd = Math.min(closeAt >= 0 ? closeAt : html.length, tagEnd + 2000);
    const tag = html.slice(open, tagEnd + 1);
    const href = readHref(tag);
    if (href !== null) {
      const inner = html.slice(tagEnd + 1, innerEnd);
      const images = Array.from(inner.matchAll(/<img\b[^<>]{0,1000}>/gi), (m) => m[0]);
      const label = [htmlToText(inner), describedBy(tag), ...images.map(describedBy)].join(' ');
      best = better(best, href, scoreLink(href, label, surroundingText(html, open, innerEnd)));
    }
    from = tagEnd + 1;
  }
  return best?.href ?? null;
}

/** The text a plain-text link is introduced by: the rest of its line, or the last non-empty line before it. */
function lineBefore(text: string, index: number): string {
  const window = text.slice(Math.max(0, index - 300), index);
  const lines = window.split('\n').filter((line) => line.trim() !== '');
  const current = window.endsWith('\n') ? '' : (lines.pop() ?? '');
  return `${lines.pop() ?? ''} ${current}`;
}

/** The best verification link written out in a plain-text body ("Confirm your address: https://…"). */
export function findTextVerificationLink(text: string): string | null {
  let best: LinkChoice | null = null;
  for (const match of text.matchAll(/https?:\/\/[^\s<>"'\]]+/gi)) {
    const href = match[0].replace(/[.,;:!?)]+$/, '');
    best = better(best, href, scoreLink(href, lineBefore(text, match.index)));
  }
  return best?.href ?? null;
}
