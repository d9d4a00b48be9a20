/**
 * Words that announce a one-time code, in the languages our numbers and mailboxes receive.
 * Matching is per word (letters only, lower-cased) so "pin" does not fire inside "shipping" and
 * "otp" not inside "footpath"; compounds ending in "code"/"kod"/"koodi" (Bestätigungscode,
 * verifieringskod, vahvistuskoodi) count, except the ordinary words listed in NOT_CODE_WORDS.
 */

/** Whole words that mark a code. */
const EXACT_WORDS = new Set([
  'otp',
  'pin',
  'passcode',
  'password',
  'passwort',
  'onetime',
  'mfa',
  'tan',
  'mtan',
  'smstan',
  'pushtan',
  'token',
  'code',
  'codes',
  'codigo',
  'código',
  'códigos',
  'codice',
  'senha',
  'clave',
  'contraseña',
  'kode',
  'koodi',
  'kod',
  'kodu',
  'kodunuz',
  'kodun',
  'kodem',
  'kodas',
  'kods',
  'šifre',
  'şifre',
  'şifreniz',
  'parola',
  'parolă',
  'код',
  'кода',
  'коду',
  'кодом',
  'пароль',
  'пароля',
  'пин',
  'κωδικός',
  'κωδικό',
  'קוד',
  'הקוד',
  'סיסמה',
  'كود',
  'الكود',
  'رمز',
  'الرمز',
  'بالرمز',
  'کد',
  'کوڈ',
  'कोड',
  'ओटीपी',
  'კოდი',
  'mã',
]);

/** Word beginnings that mark verification context ("verification", "подтверждения", "bestätigen"). */
const WORD_PREFIXES = [
  'verif',
  'vérif',
  'confirm',
  'authent',
  'authoriz',
  'authoris',
  'подтвер',
  'провер',
  'bestätig',
  'bevestig',
  'doğrula',
  'weryfik',
  'xác',
  'thực',
  'تحقق',
  'التحقق',
  'تأكيد',
  'التأكيد',
  'تایید',
  'تصدیق',
  'تصدیقی',
  'אימות',
  'האימות',
];

/** Word endings that make a compound a code word in German, Dutch, Nordic and Finnish mail. */
const COMPOUND_SUFFIXES = ['code', 'codes', 'kode', 'koden', 'kod', 'koodi', 'koodin', 'passwort'];

/** Ordinary words that merely end in "code" and must not anchor a number. */
const NOT_CODE_WORDS = new Set([
  'barcode',
  'unicode',
  'encode',
  'decode',
  'vscode',
  'postcode',
  'zipcode',
  'qrcode',
  'sourcecode',
  'promocode',
  'opcode',
  'geocode',
  'transcode',
  'shortcode',
  'timecode',
  'recode',
  'dresscode',
  'errorcode',
  'statuscode',
  'countrycode',
  'areacode',
  'gutscheincode',
  'rabattcode',
]);

/** Scripts written without spaces: keywords are found as substrings of a longer run of letters. */
const SUBSTRING_KEYWORDS = [
  '验证码',
  '驗證碼',
  '校验码',
  '校驗碼',
  '动态码',
  '动态密码',
  '认证码',
  '確認碼',
  '确认码',
  '密码',
  '密碼',
  '代码',
  '代碼',
  '口令',
  'コード',
  '認証番号',
  '確認番号',
  '暗証番号',
  'ワンタイム',
  'パスワード',
  '인증번호',
  '인증코드',
  '확인코드',
  '인증',
  '비밀번호',
  'รหัส',
  'ยืนยัน',
];

/** Words right before "code" that make it a shopping or referral code, not a verification code. */
const NON_OTP_CODE_QUALIFIERS = new Set([
  'promo',
  'promotional',
  'discount',
  'coupon',
  'voucher',
  'referral',
  'invite',
  'invitation',
  'gift',
  'redeem',
  'redemption',
  'offer',
  'sale',
  'bonus',
  'tracking',
  'zip',
  'postal',
  'area',
  'country',
  'source',
  'qr',
  'error',
  'status',
  'dress',
  'swift',
  'ifsc',
  'sort',
  'промокод',
]);

/** Where a keyword sits in the text (UTF-16 offsets into the text that was searched). */
export interface KeywordSpan {
  start: number;
  end: number;
  /**
   * "code", "OTP", "PIN", "код" name the value itself (strong); "verify", "confirm", "2FA" only
   * say the message is about verification (weak), and e-mails use them far from any code.
   */
  strong: boolean;
}

/** Substring keywords that are only context ("authentication", "confirm"). */
const WEAK_SUBSTRING_KEYWORDS = new Set(['인증', 'ยืนยัน']);

const LETTER_RUN = /[\p{L}\p{M}]+/gu;

function classifyWord(word: string, previousWord: string): 'strong' | 'weak' | null {
  if (NOT_CODE_WORDS.has(word)) return null;
  if (EXACT_WORDS.has(word)) {
    // "promo code", "gift code", "zip code" are not verification codes.
    const isQualified =
      (word === 'code' || word === 'codes' || word === 'kod') && NON_OTP_CODE_QUALIFIERS.has(previousWord);
    return isQualified ? null : 'strong';
  }
  if (WORD_PREFIXES.some((prefix) => word.startsWith(prefix))) return 'weak';
  return word.length > 5 && COMPOUND_SUFFIXES.some((suffix) => word.endsWith(suffix)) ? 'strong' : null;
}

/**
 * Every code keyword in `lowerText` (already lower-cased), in text order.
 * One pass over the letter runs, so the cost is linear in the text length.
 */
export function findKeywords(lowerText: string): KeywordSpan[] {
  const spans: KeywordSpan[] = [];
  let previousWord = '';
  for (const match of lowerText.matchAll(LETTER_RUN)) {
    const word = match[0];
    const start = match.index;
    const kind = classifyWord(word, previousWord);
    if (kind !== null) {
      spans.push({ start, end: start + word.length, strong: kind === 'strong' });
    } else if (/[^\p{Script=Latin}\p{Script=Cyrillic}]/u.test(word)) {
      for (const keyword of SUBSTRING_KEYWORDS) {
        const at = word.indexOf(keyword);
        if (at !== -1) {
          const strong = !WEAK_SUBSTRING_KEYWORDS.has(keyword);
          spans.push({ start: start + at, end: start + at + keyword.length, strong });
          break;
        }
      }
    }
    previousWord = word;
  }
  // "2FA" and "one-time" are split by the letter-run scan; they are common enough to add here.
  for (const phrase of ['2fa', 'one-time', 'one time']) {
    let at = lowerText.indexOf(phrase);
    while (at !== -1) {
      spans.push({ start: at, end: at + phrase.length, strong: false });
      at = lowerText.indexOf(phrase, at + phrase.length);
    }
  }
  return spans.sort((a, b) => a.start - b.start);
}
