/**
 * Turning a message into the list of things that could be a verification code, before any
 * scoring: text normalisation, masking of phone numbers / URLs / e-mail addresses / dates, and
 * the candidate shapes (plain digits, "740-279", "G-482913", "39M4W", "TF33/4KAM/GW7C", "QGFDAE").
 *
 * Every pattern here is either anchored to a character that starts it or has bounded
 * quantifiers, so scanning is linear in the text length (no catastrophic backtracking).
 */

export type CandidateShape =
  | 'digits' // 4–8 digits: 482913
  | 'grouped-digits' // 3+3 or 4+4 digits split by one dash or space: 740-279, 1234 5678
  | 'spaced-digits' // one digit per box in HTML mail, "4 8 2 9 1 3" once converted to text
  | 'prefixed' // a service prefix before the digits: G-482913, FB-48291
  | 'alphanumeric' // upper-case letters and digits: 39M4W, 123ABC78
  | 'grouped-alphanumeric' // upper-case groups split by "/" or "-": TF33/4KAM/GW7C
  | 'letters'; // upper-case letters only: QGFDAE (accepted only when introduced as a code)

export interface CodeCandidate {
  /** Offsets into the prepared text. */
  start: number;
  end: number;
  /** What a user types: separators of digit groups and service prefixes removed. */
  code: string;
  shape: CandidateShape;
}

/** Replaces masked spans (phones, URLs, e-mail addresses, dates) so offsets stay aligned. */
export const MASK = '\uE000';

const INVISIBLE = /\u00ad|\u034f|[\u200b-\u200f]|\u2060|\ufeff/g;

function mapNativeDigits(text: string): string {
  // NFKC folds full-width digits; Arabic-Indic and Persian digits need an explicit map.
  return text.replace(/[\u0660-\u0669\u06f0-\u06f9]/g, (d) => {
    const cp = d.charCodeAt(0);
    return String(cp >= 0x06f0 ? cp - 0x06f0 : cp - 0x0660);
  });
}

/** NFKC, native digits to ASCII, invisible characters dropped, non-breaking spaces made plain. */
export function normaliseMessage(text: string): string {
  return mapNativeDigits(text.normalize('NFKC'))
    .replace(INVISIBLE, '')
    .replace(/[\u00a0\u2007\u202f]/g, ' ');
}

/** Lower-cases without changing the length, so offsets found in the result index the original. */
export function lowerSameLength(text: string): string {
  const lower = text.toLowerCase();
  if (lower.length === text.length) return lower;
  let out = '';
  for (const ch of text) {
    const l = ch.toLowerCase();
    out += l.length === ch.length ? l : ch;
  }
  return out;
}

const MASKED_PATTERNS: readonly RegExp[] = [
  // Links are reported separately; their digits (tokens, ids) are never the code.
  /(?:https?:\/\/|www\.)[^\s<>"'\uE000]+/gi,
  // International phone numbers: "+1-388-941-4444", "+92 300 1234567", "+7 (916) 123-45-67".
  /\+\d[\d ().-]{5,18}\d/g,
  // National trunk-prefix numbers: "0300 1234567", "021-34567890".
  /(?<![\d.,/-])0\d{2,4}[ -]\d{6,8}(?![\d-])/g,
  // "(555) 123-4567".
  /\(\d{2,4}\) ?\d{3,4}[ .-]?\d{3,4}(?!\d)/g,
  // Three or more dash/dot/slash groups: phones, dates, order numbers ("718-858-7036", "12.05.2024",
  // "2024-05-12", "112-3456789-1234567"). A code has at most two groups.
  /(?<![\d])\d{1,7}(?:[-./]\d{1,7}){2,6}(?!\d)/g,
  // Three or more space-separated digit groups: phones and card numbers ("300 123 4567").
  /(?<![\d])\d{2,4}(?: \d{2,4}){2,6}(?!\d)/g,
  // Clock times: "10:45", "10:45:11".
  /(?<![\d])\d{1,2}:\d{2}(?::\d{2})?(?!\d)/g,
];

function maskEmailAddresses(chars: string[], text: string): void {
  const local = /[A-Za-z0-9._%+-]/;
  const domain = /[A-Za-z0-9.-]/;
  let at = text.indexOf('@');
  let floor = 0; // never expand left past the previous address, which keeps this linear
  while (at !== -1) {
    let start = at;
    while (start > floor && local.test(text[start - 1] ?? '')) start--;
    let end = at + 1;
    while (end < text.length && domain.test(text[end] ?? '')) end++;
    if (start < at && text.slice(at + 1, end).includes('.')) {
      for (let i = start; i < end; i++) chars[i] = MASK;
    }
    floor = end;
    at = text.indexOf('@', Math.max(end, at + 1));
  }
}

/** The text with phone numbers, links, e-mail addresses, dates and times replaced by {@link MASK}. */
export function maskNonCodes(text: string): string {
  // UTF-16 units, because regex match offsets are UTF-16 offsets.
  const units = text.split('');
  maskEmailAddresses(units, text);
  for (const pattern of MASKED_PATTERNS) {
    for (const match of text.matchAll(pattern)) {
      const from = match.index;
      for (let i = from; i < from + match[0].length; i++) units[i] = MASK;
    }
  }
  return units.join('');
}

/** Letters or digits of scripts that separate words with spaces; touching one means "inside a word". */
function isWordChar(ch: string | undefined): boolean {
  if (ch === undefined) return false;
  if (!/[\p{L}\p{N}]/u.test(ch)) return false;
  // Chinese, Japanese, Korean and Thai run text and numbers together ("验证码是482913，").
  return !/[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Thai}]/u.test(ch);
}

const REJECT_BEFORE = new Set([...'$€£¥₹₨₽¢#&+_\\/@%*~^|', MASK]);
const REJECT_AFTER = new Set([...'%‰°@_\\/$€£¥₹₽¢', MASK]);

/** Whether [start, end) stands alone: not part of a word, amount, decimal, path or masked span. */
function isFreeStanding(text: string, start: number, end: number): boolean {
  const before = text[start - 1];
  const after = text[end];
  if (isWordChar(before) || isWordChar(after)) return false;
  if (before !== undefined && REJECT_BEFORE.has(before)) return false;
  if (after !== undefined && REJECT_AFTER.has(after)) return false;
  const beforeBefore = text[start - 2];
  if (before === '-' && (isWordChar(beforeBefore) || beforeBefore === '-')) return false; // "ABC-1234", "--1234"
  if ((before === '.' || before === ',' || before === ':') && /\d/.test(beforeBefore ?? '')) return false;
  const afterAfter = text[end + 1] ?? '';
  if ((after === '.' || after === ',' || after === ':' || after === '-') && /\d/.test(afterAfter))
    return false;
  if (after === '-' && isWordChar(afterAfter)) return false;
  return true;
}

const SERVICE_PREFIXES = new Set(['G', 'FB']);
const UNIT_SUFFIXED =
  /^\d+(?:PX|PT|EM|KB|MB|GB|TB|MIN|MINS|HR|HRS|AM|PM|ST|ND|RD|TH|K|M|P|X|D|H|S|MP|MAH|GHZ|MHZ|HZ)$/;

interface Run {
  start: number;
  end: number;
  text: string;
}

function classifyRun(run: string): CandidateShape | null {
  const { length } = run;
  if (/^\d+$/.test(run)) return length >= 4 && length <= 8 ? 'digits' : null;
  if (length < 4 || length > 10 || /[a-z]/.test(run)) return null;
  if (/^[A-Z]+$/.test(run)) return 'letters';
  // Masked account numbers ("XX1245", "XXXX7788") and unit-suffixed numbers are not codes.
  if (/XX/.test(run) || UNIT_SUFFIXED.test(run)) return null;
  return 'alphanumeric';
}

/**
 * Joins a run chain like "TF33" "/" "4KAM" "/" "GW7C" when every group is upper-case alphanumeric.
 * `last` is the chain's final run even when the chain is not a code, so the caller skips it whole
 * (re-scanning a long "AB1-AB1-…" chain from every run would be quadratic).
 */
function groupedAlphanumeric(
  text: string,
  runs: Run[],
  index: number,
): { last: number; code: string | null } {
  let last = index;
  while (last + 1 < runs.length) {
    const current = runs[last] as Run;
    const next = runs[last + 1] as Run;
    const separator = text[current.end];
    if (next.start !== current.end + 1 || (separator !== '/' && separator !== '-')) break;
    last++;
  }
  const groups = last - index + 1;
  if (groups < 2 || groups > 5) return { last, code: null };
  const parts = runs.slice(index, last + 1);
  if (!parts.every((part) => /^[A-Z0-9]{3,5}$/.test(part.text))) return { last, code: null };
  const code = text.slice(runs[index]?.start ?? 0, runs[last]?.end ?? 0);
  if (!/\d/.test(code) || !/[A-Z]/.test(code)) return { last, code: null };
  return { last, code };
}

/** Index of the last run of a 4–8 long chain of single digits split by single spaces, or -1. */
function spacedDigitsEnd(text: string, runs: Run[], index: number): number {
  let last = index;
  while (last + 1 < runs.length && last - index < 8) {
    const current = runs[last] as Run;
    const next = runs[last + 1] as Run;
    if (next.start !== current.end + 1 || text[current.end] !== ' ' || !/^\d$/.test(next.text)) break;
    last++;
  }
  const count = last - index + 1;
  return count >= 4 && count <= 8 ? last : -1;
}

/** All candidate codes of the prepared (normalised, masked) text, in text order. */
export function findCandidates(text: string): CodeCandidate[] {
  const runs: Run[] = [];
  for (const match of text.matchAll(/[A-Za-z0-9]+/g)) {
    runs.push({ start: match.index, end: match.index + match[0].length, text: match[0] });
  }
  const found: CodeCandidate[] = [];
  for (let i = 0; i < runs.length; i++) {
    const run = runs[i] as Run;
    const next = runs[i + 1];
    const gap = next === undefined ? '' : text.slice(run.end, next.start);

    // "G-482913" / "FB-48291": the digits are what Google's and Facebook's input boxes take.
    if (next !== undefined && SERVICE_PREFIXES.has(run.text) && gap === '-' && /^\d{4,8}$/.test(next.text)) {
      if (isFreeStanding(text, run.start, next.end)) {
        found.push({ start: run.start, end: next.end, code: next.text, shape: 'prefixed' });
      }
      i++;
      continue;
    }
    // "740-279", "123 456", "1234 5678": the split is only presentation.
    if (
      next !== undefined &&
      (gap === '-' || gap === ' ') &&
      /^\d{3,4}$/.test(run.text) &&
      next.text.length === run.text.length &&
      /^\d+$/.test(next.text)
    ) {
      if (isFreeStanding(text, run.start, next.end)) {
        found.push({ start: run.start, end: next.end, code: run.text + next.text, shape: 'grouped-digits' });
      }
      i++;
      continue;
    }
    // "4 8 2 9 1 3": mail templates that draw each digit in its own box.
    if (/^\d$/.test(run.text) && gap === ' ') {
      const last = spacedDigitsEnd(text, runs, i);
      if (last !== -1) {
        const lastRun = runs[last] as Run;
        if (isFreeStanding(text, run.start, lastRun.end)) {
          const code = runs
            .slice(i, last + 1)
            .map((r) => r.text)
            .join('');
          found.push({ start: run.start, end: lastRun.end, code, shape: 'spaced-digits' });
        }
        i = last;
        continue;
      }
    }
    if (/^[A-Z0-9]{3,5}$/.test(run.text)) {
      const grouped = groupedAlphanumeric(text, runs, i);
      if (grouped.last > i) {
        const lastRun = runs[grouped.last] as Run;
        if (grouped.code !== null && isFreeStanding(text, run.start, lastRun.end)) {
          found.push({
            start: run.start,
            end: lastRun.end,
            code: grouped.code,
            shape: 'grouped-alphanumeric',
          });
        }
        i = grouped.last;
        continue;
      }
    }
    const shape = classifyRun(run.text);
    if (shape !== null && isFreeStanding(text, run.start, run.end)) {
      found.push({ start: run.start, end: run.end, code: run.text, shape });
    }
  }
  return found;
}
