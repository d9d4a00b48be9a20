/**
 * What the words around a number say about it: money, durations, sizes, order and account
 * numbers, hotlines, years and street addresses are the numbers verification messages carry
 * besides the code. Each check looks at a short, bounded window, so the cost per candidate is
 * constant.
 */

import type { CodeCandidate } from './code-candidates.js';

const WINDOW_BEFORE = 40;
const WINDOW_AFTER = 30;

const CURRENCY_BEFORE =
  /(?:^|[^\p{L}\p{N}])(?:rs|pkr|inr|usd|eur|gbp|rub|aed|sar|egp|ngn|kes|uah|kzt|idr|php|brl|mxn|try|amount|amt|price|total|balance|bal|sum|paid|pay|charged|debited|credited|cost|fee|сумма|баланс|руб|р)\.?\s*[:=]?\s*$|[$€£¥₹₨₽¢]\s*$/u;

const CURRENCY_AFTER =
  /^\s*(?:pkr|rs\b|rupees?|usd|eur|gbp|dollars?|euros?|rub|руб|р\.|₽|€|\$|£|₹|aed|sar|egp|ngn|uah|грн|kzt|тенге|uzs|сум|idr|php|brl|tl\b|lira|pln|zł|ريال|درهم|جنيه|روپے|تومان|円|元|원)/u;

const UNIT_AFTER =
  /^\s*(?:min|mins|minutes?|hrs?|hours?|secs?|seconds?|days?|weeks?|months?|years?|yrs?|px|pt|em|rem|kb|mb|gb|tb|mah|kg|km|mi|miles|points?|pts|coins|credits|free|bonus|gems|likes|followers|views|members|users|people|votes|steps|kcal|messages|минут[аы]?|мин|час[аов]*|сек|дн[еяй]*|баллов|dakika|saniye|minuti|minutos|minuten|stunden|heures|دقائق|دقيقة|ساعة|منٹ|分钟|分鐘|秒|小时|時間|분|초)(?![\p{L}])/u;

const REFERENCE_WORDS = [
  'order',
  'invoice',
  'ref',
  'reference',
  'ticket',
  'tracking',
  'transaction',
  'txn',
  'trx',
  'tid',
  'id',
  'uid',
  'member',
  'customer',
  'account',
  'acct',
  'a/c',
  'card',
  'ending',
  'ends',
  'last',
  'digits',
  'booking',
  'reservation',
  'pnr',
  'flight',
  'case',
  'claim',
  'policy',
  'receipt',
  'serial',
  'model',
  'item',
  'sku',
  'no\\.',
  'nr\\.?',
  'num',
  'nummer',
  'numéro',
  'número',
  '№',
  'номер',
  'заказ[а]?',
  'сч[её]т[а]?',
  'карт[аы]',
  'call',
  'dial',
  'hotline',
  'helpline',
  'tel',
  'phone',
  'mob',
  'mobile',
  'fax',
  'sms to',
  'text',
  'reply',
  'version',
  'build',
  'room',
  'suite',
  'floor',
  'unit',
  'apt',
  'box',
  'street',
  'road',
  'avenue',
  'copyright',
  '©',
  '拨打',
  '致电',
  '客服',
  '热线',
  '电话',
  '尾号',
  '订单',
];

/** A reference word right before the number, optionally followed by "number"/"#"/"is"/":". */
const REFERENCE_BEFORE = new RegExp(
  `(?:^|[^\\p{L}\\p{N}])(?:${REFERENCE_WORDS.join('|')})\\.?(?:[ \\t]*(?:number|no\\.?|nr\\.?|id|#|in|with|is|of|:)){0,2}[ \\t:#№()*=-]*$`,
  'u',
);

/** Short codes for replies: "Reply STOP to 83687", "text HELP to 4321". */
const SHORT_CODE_BEFORE = /(?:^|[^\p{L}])(?:reply|text|send|sms|txt)\b[^.\n]{0,25}\bto\s*$/u;

/** Chinese/Japanese words bind without a boundary ("请拨打10086"). */
const REFERENCE_BEFORE_CJK = /(?:拨打|致电|客服|热线|电话|尾号|订单|金额)[:：\s]*$/u;

const MONTH =
  /(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|janvier|février|mars|avril|mai|juin|juillet|août|januar|februar|märz|juni|juli|oktober|dezember|enero|febrero|marzo|abril|mayo|junio|julio|agosto|янв|фев|мар|апр|мая|июн|июл|авг|сен|окт|ноя|дек)[\p{L}]*\.?/u;
const MONTH_BEFORE = new RegExp(`${MONTH.source}\\s*(?:\\d{1,2}(?:st|nd|rd|th)?,?\\s*)?$`, 'u');
const MONTH_AFTER = new RegExp(`^\\s*,?\\s*${MONTH.source}`, 'u');

/** US street addresses end in "CA 94025"; company footers carry them next to "code". */
const ADDRESS_BEFORE =
  /\b(?:street|st\.|road|rd\.|avenue|ave\.?|suite|floor|blvd|boulevard|drive|dr\.|lane|way|inc\.?|llc|ltd|gmbh|p\.?o\.? box|strasse|straße|str\.)[^\n]{0,30}$/u;

const US_STATE_BEFORE =
  /(?:,\s*|[a-z]\s+)(?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY)\s+$/;

/** House numbers: "1601 Willow Road", "1000 W Maude Ave", "548 Market St" (checked on original case). */
const STREET_AFTER =
  /^\s+(?:[NSEW]\.?\s+)?(?:\p{Lu}[\p{L}'-]*\s+){1,3}(?:Street|St|Road|Rd|Avenue|Ave|Way|Parkway|Pkwy|Blvd|Boulevard|Drive|Dr|Lane|Ln|Place|Pl|Court|Ct|Square|Sq|Highway|Hwy|Terrace|Circle|Plaza|Ring|Straße|Strasse|Str|Weg|Allee|Platz)\b/u;

/** Shopping codes: "Use code SAVE20 at checkout for 20% off". */
const MARKETING =
  /(?:^|[^\p{L}])(?:promo|promotional|coupon|voucher|discount|gift ?card|sale|deal|checkout|cashback|\d+ ?% off|off (?:your|everything|all|orders?))(?![\p{L}])/u;

/** Words that put a year in a sentence: "in 2024", "© 2025", "since 1998". */
const YEAR_WORD_BEFORE = /(?:^|[^\p{L}])(?:in|from|until|since|year|of|©|copyright|\(c\))\s*$/u;

/** Score change (usually negative) from the words around the candidate in `lower` (lower-cased text). */
export function contextAdjustment(lower: string, original: string, candidate: CodeCandidate): number {
  const before = lower.slice(Math.max(0, candidate.start - WINDOW_BEFORE), candidate.start);
  const after = lower.slice(candidate.end, candidate.end + WINDOW_AFTER);
  let adjustment = 0;

  if (CURRENCY_BEFORE.test(before) || CURRENCY_AFTER.test(after)) adjustment -= 8;
  if (UNIT_AFTER.test(after)) adjustment -= 8;
  if (REFERENCE_BEFORE.test(before) || REFERENCE_BEFORE_CJK.test(before) || SHORT_CODE_BEFORE.test(before)) {
    adjustment -= 7;
  }

  const wideBefore = lower.slice(Math.max(0, candidate.start - 60), candidate.start);
  if (MARKETING.test(wideBefore) || MARKETING.test(lower.slice(candidate.end, candidate.end + 40)))
    adjustment -= 6;

  // Round numbers (1000, 5000, 20000) are prices, limits and counts; a random code rarely is one.
  if (/^[1-9]0{3,}$/.test(candidate.code)) adjustment -= 2;

  const isYearLike = candidate.shape === 'digits' && /^(?:19[5-9]\d|20\d\d)$/.test(candidate.code);
  if (isYearLike) {
    adjustment -= 3;
    if (MONTH_BEFORE.test(before) || MONTH_AFTER.test(after) || YEAR_WORD_BEFORE.test(before))
      adjustment -= 6;
  }
  const originalAfter = original.slice(candidate.end, candidate.end + WINDOW_AFTER + 20);
  if (STREET_AFTER.test(originalAfter)) adjustment -= 6;
  // Zip codes: five digits after "CA " or a street line. Checked on the original case, where
  // the state is upper-case, to avoid firing on ordinary two-letter words.
  if (candidate.shape === 'digits' && candidate.code.length === 5) {
    const originalBefore = original.slice(Math.max(0, candidate.start - WINDOW_BEFORE), candidate.start);
    if (US_STATE_BEFORE.test(originalBefore) || ADDRESS_BEFORE.test(before)) adjustment -= 4;
  }
  return adjustment;
}
