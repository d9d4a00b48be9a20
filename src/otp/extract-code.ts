import {
  type CandidateShape,
  type CodeCandidate,
  findCandidates,
  lowerSameLength,
  MASK,
  maskNonCodes,
  normaliseMessage,
} from './code-candidates.js';
import { contextAdjustment } from './code-context.js';
import { findKeywords, type KeywordSpan } from './otp-keywords.js';
import { findServiceCodeFormat, type ServiceCodeFormat } from './service-code-formats.js';

export interface ExtractCodeOptions {
  /** Our service code or name ("tg", "wa", "Instagram"): a hint about the expected code format. */
  service?: string;
}

/** A code and how sure the extractor is. */
export interface ScoredCode {
  /** What the customer types (see {@link extractCode}). */
  code: string;
  /** The code as the message wrote it: "G-482913", "740-279", "4 8 2 9 1 3". */
  raw: string;
  /** Higher is surer; only meaningful for comparing candidates within one release. */
  score: number;
  shape: CandidateShape;
}

/** Below this a candidate is not reported: a lone 4-digit number with no code word is not a code. */
const MIN_SCORE = 4;

const BASE_SCORE: Readonly<Record<CandidateShape, number>> = {
  digits: 2,
  'grouped-digits': 3,
  'spaced-digits': 2,
  prefixed: 5,
  alphanumeric: 1,
  'grouped-alphanumeric': 1,
  letters: 0,
};

/** Short words allowed between a keyword and its code: "code is", "code for your login is", "код:". */
const MAX_GAP_WORDS = 4;
const MAX_GAP_WORDS_WEAK = 2;
const MAX_GAP_BEFORE = 45;
const MAX_GAP_AFTER = 35;
const NEAR_DISTANCE = 90;

/** Words that directly introduce the value: "…is 811739", "…: 4829", "lautet 1234", "为123456". */
const INTRODUCER =
  /(?:[:：=]|(?:^|[^\p{L}])(?:is|are|es|est|ist|lautet|è|é|är|er|on|jest|je|to|là|la|adalah|это|—|–|-|是|为|為|は)|["'«“(【[「])\s*$/u;

/** Upper-case words that follow "code:" in prose and are not codes. */
const NOT_LETTER_CODES = new Set([
  'BELOW',
  'HERE',
  'ABOVE',
  'VALID',
  'READY',
  'EXPIRED',
  'SENT',
  'CODE',
  'CODES',
  'NEEDED',
  'REQUIRED',
  'INVALID',
  'NONE',
  'NULL',
  'TRUE',
  'FALSE',
]);

/** Shapes that are numbers on their own; the others only count when a code word introduces them. */
const NUMERIC_SHAPES: ReadonlySet<CandidateShape> = new Set(['digits', 'grouped-digits', 'prefixed']);

type Gap = 'anchored' | 'near' | 'far';

function classifyGap(gap: string, maxLength: number, maxWords: number): Gap {
  if (gap.length > NEAR_DISTANCE) return 'far';
  if (gap.length > maxLength || /[\d\uE000]/.test(gap)) return 'near';
  const words = gap.match(/[\p{L}\p{M}]+/gu)?.length ?? 0;
  return words <= maxWords ? 'anchored' : 'near';
}

function maxWords(keyword: KeywordSpan): number {
  return keyword.strong ? MAX_GAP_WORDS : MAX_GAP_WORDS_WEAK;
}

/** Whether the candidate is the only thing on its line, as a code in its own box or paragraph is. */
function isAloneOnLine(text: string, start: number, end: number): boolean {
  let i = start - 1;
  while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  if (i >= 0 && text[i] !== '\n') return false;
  let j = end;
  while (j < text.length && (text[j] === ' ' || text[j] === '\t')) j++;
  return j === text.length || text[j] === '\n' || text[j] === '\r';
}

/**
 * Keyword proximity bonus. A code word right before the candidate ("code: 482913") or right
 * after it ("482913 is your code") counts most; a code word further away counts a little, and
 * only for plain numbers, unless the candidate stands alone on its line (a code box).
 */
function keywordBonus(
  text: string,
  candidate: CodeCandidate,
  aloneOnLine: boolean,
  before?: KeywordSpan,
  after?: KeywordSpan,
): number {
  // A weak word ("verify") only anchors when it is close: "823 815 to verify", not
  // "1000 free credits when you verify".
  const gapBefore =
    before === undefined
      ? 'far'
      : classifyGap(text.slice(before.end, candidate.start), MAX_GAP_BEFORE, maxWords(before));
  const gapAfter =
    after === undefined
      ? 'far'
      : classifyGap(text.slice(candidate.end, after.start), MAX_GAP_AFTER, maxWords(after));
  let bonus = 0;
  if (gapBefore === 'anchored') bonus = before?.strong ? 6 : 4;
  if (gapAfter === 'anchored') bonus = Math.max(bonus, after?.strong ? 5 : 3);
  if (bonus > 0) return bonus;
  const isNearStrong = (gapBefore === 'near' && before?.strong) || (gapAfter === 'near' && after?.strong);
  if (!isNearStrong) return 0;
  if (aloneOnLine) return 3;
  return NUMERIC_SHAPES.has(candidate.shape) ? 2 : 0;
}

function serviceBonus(candidate: CodeCandidate, format: ServiceCodeFormat | undefined): number {
  if (format === undefined || candidate.shape === 'alphanumeric' || candidate.shape === 'letters') return 0;
  if (candidate.shape === 'grouped-alphanumeric') return 0;
  if (candidate.shape === 'prefixed') return format.prefix !== undefined ? 2 : 0;
  return format.lengths.includes(candidate.code.length) ? 2 : 0;
}

/** The Web OTP line "@example.com #123456" (WICG origin-bound codes) is unambiguous when present. */
function findOriginBoundCode(text: string): string | null {
  const lines = text.trimEnd().split('\n');
  const last = lines[lines.length - 1]?.trim() ?? '';
  const match = /^@[a-z0-9.-]+\.[a-z]{2,}\s+#([A-Za-z0-9]{4,10})(?:\s+%\S+)?$/i.exec(last);
  return match?.[1] ?? null;
}

/** "security code: QGFDAE", "code is QGFDAE": a code word, at most two short words, then the value. */
function isIntroducedAsCode(
  text: string,
  candidate: CodeCandidate,
  before: KeywordSpan | undefined,
): boolean {
  if (before === undefined) return false;
  const gap = text.slice(before.end, candidate.start);
  if (gap.length > 20 || /[\d\uE000\n]/.test(gap)) return false;
  if ((gap.match(/[\p{L}\p{M}]+/gu)?.length ?? 0) > 2) return false;
  return INTRODUCER.test(gap);
}

function isMostlyUpperCase(text: string): boolean {
  const letters = text.match(/[A-Za-z]/g) ?? [];
  const upper = letters.filter((ch) => ch >= 'A' && ch <= 'Z').length;
  return letters.length > 0 && upper / letters.length > 0.6;
}

/**
 * The best code of a message with its score and raw form, or null. For callers that compare
 * several parts of one message (e-mail subject and body) or want the raw form; most callers
 * want {@link extractCode}.
 */
export function findBestCode(input: string, options: ExtractCodeOptions = {}): ScoredCode | null {
  const normalised = normaliseMessage(input);
  const originBound = findOriginBoundCode(normalised);
  if (originBound !== null) {
    const shape = /^\d+$/.test(originBound) ? 'digits' : 'alphanumeric';
    return { code: originBound, raw: originBound, score: 100, shape };
  }

  const text = maskNonCodes(normalised);
  const lower = lowerSameLength(text);
  const keywords = findKeywords(lower);
  const candidates = findCandidates(text);
  const format = findServiceCodeFormat(options.service);
  const numericCount = candidates.filter((c) => NUMERIC_SHAPES.has(c.shape)).length;

  let best: ScoredCode | null = null;
  let bestLetters: ScoredCode | null = null;
  let k = 0; // keywords[k] is the first keyword starting at or after the candidate's end
  for (const candidate of candidates) {
    while (k < keywords.length && (keywords[k] as KeywordSpan).start < candidate.end) k++;
    let before: KeywordSpan | undefined;
    for (let j = k - 1; j >= 0; j--) {
      const span = keywords[j] as KeywordSpan;
      if (span.end <= candidate.start) {
        before = span;
        break;
      }
    }
    const after = keywords[k];

    const aloneOnLine = isAloneOnLine(text, candidate.start, candidate.end);
    let score = BASE_SCORE[candidate.shape] + keywordBonus(text, candidate, aloneOnLine, before, after);
    if (candidate.shape === 'digits' && candidate.code.length === 6) score += 1;
    if (INTRODUCER.test(lower.slice(Math.max(0, candidate.start - 12), candidate.start))) score += 1;
    score += serviceBonus(candidate, format);
    score += contextAdjustment(lower, text, candidate);
    if (numericCount === 1 && NUMERIC_SHAPES.has(candidate.shape)) score += 1;

    const raw = normalised.slice(candidate.start, candidate.end);
    const scored: ScoredCode = { code: candidate.code, raw, score, shape: candidate.shape };
    if (candidate.shape === 'letters') {
      if (NOT_LETTER_CODES.has(candidate.code) || !isIntroducedAsCode(text, candidate, before)) continue;
      if (bestLetters === null || score > bestLetters.score) bestLetters = scored;
      continue;
    }
    if (best === null || score > best.score) best = scored;
  }
  if (best !== null && best.score >= MIN_SCORE) return best;
  // An all-letter code ("QGFDAE") looks like a shouted word, so it is only taken when nothing
  // else qualifies, it was introduced as a code, and the message is not written in capitals.
  if (bestLetters !== null && !isMostlyUpperCase(text.replaceAll(MASK, ''))) return bestLetters;
  return null;
}

/**
 * The verification code in a plain-text SMS or e-mail body, or null when there is none.
 *
 * The result is what a customer types into the app's code box:
 * - digit groups are joined: "Your WhatsApp code 740-279" → "740279", "123 456" → "123456";
 * - service prefixes are dropped: "G-482913" (Google) → "482913", "FB-48291" → "48291",
 *   because those apps show the prefix beside the input and accept digits only;
 * - alphanumeric codes are returned as written, upper-case ("39M4W"), and slash/dash-separated
 *   alphanumeric groups ("TF33/4KAM/GW7C") keep their separators, since there is no way to
 *   know whether the app wants them. The full message text is always stored next to the code.
 *
 * Phone numbers, dates, times, amounts, durations, years, order/account/reference numbers,
 * CSS sizes and colours and the digits inside links and e-mail addresses are ignored.
 * Pure and linear-time; safe to run on every inbound message.
 */
export function extractCode(text: string, options?: ExtractCodeOptions): string | null {
  return findBestCode(text, options)?.code ?? null;
}
