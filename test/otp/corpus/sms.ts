/**
 * SMS texts with the code a customer should get. Our own wording, modelled on the messages real
 * services send and on the failures collected in shared/reference (parse-otp-message, 2FHey and
 * otphelper issue reports); `note` says which known failure a row guards against.
 */

export interface SmsCase {
  text: string;
  code: string | null;
  service?: string;
  note?: string;
}

export const SMS_CASES: readonly SmsCase[] = [
  // Services, English
  { text: 'Your WhatsApp code 740-279', code: '740279', note: 'API reference example; dashed code joined' },
  { text: "Your WhatsApp code: 318-604\n\nDon't share this code with others", code: '318604', service: 'wa' },
  {
    text: 'Telegram code: 58213\n\nYou can also tap on this link to log in:\nhttps://t.me/login/58213',
    code: '58213',
    service: 'tg',
  },
  {
    text: 'Telegram code 70155. Do not give this code to anyone, even if they say they are from Telegram!',
    code: '70155',
  },
  { text: 'G-482913 is your Google verification code.', code: '482913', service: 'go' },
  { text: 'G-718356() Google sign-in', code: '718356', note: '2FHey: punctuation right after the code' },
  { text: 'FB-40172 is your Facebook confirmation code', code: '40172', service: 'fb' },
  { text: "123 456 is your Instagram code. Don't share it.", code: '123456', service: 'ig' },
  { text: 'Use 823 815 to verify your Instagram account.', code: '823815' },
  {
    text: '[TikTok] 605119 is your verification code, valid for 5 minutes. To keep your account safe, never forward this code.',
    code: '605119',
  },
  { text: 'Your Discord security code is: 193022', code: '193022' },
  { text: 'Your OpenAI verification code is 774013', code: '774013', service: 'dr' },
  {
    text: 'Your Uber code: 4829. Never share this code. Reply STOP ASSIST to 83687 to unsubscribe.',
    code: '4829',
    note: 'reply short code after the code',
  },
  { text: "Amazon: Your one-time password is 381204. Don't share it with anyone.", code: '381204' },
  { text: 'Use 4472 as Microsoft account security code', code: '4472', service: 'mm' },
  { text: 'Your Steam Guard code: F4K2M', code: 'F4K2M' },
  { text: "Your Apple ID Code is: 284619. Don't share it with anyone.", code: '284619' },
  { text: 'Your login code: 4821 9034', code: '48219034', note: '4+4 space split' },
  { text: 'Verification code 105-876', code: '105876' },
  { text: '167-262 is your verification code', code: '167262' },

  // Known failure cases from the reference
  { text: '+1-388-941-4444 your code is 333-222', code: '333222', note: 'phone number before the code' },
  { text: 'Questions? 718-858-7036', code: null, note: 'phone number only' },
  {
    text: 'OTP for XXXXXX (XX1245) is 811739',
    code: '811739',
    note: 'flutter_smart_auth #26 masked account',
  },
  {
    text: 'Verification code: 9913\nSharing the verification code with anyone puts your account at risk.',
    code: '9913',
    note: '2FHey #105 newline after the code',
  },
  { text: '373473(Weibo login verification code) Please do not share', code: '373473', note: '2FHey' },
  { text: 'Use the code (7744) to sign in to your account.', code: '7744', note: '2FHey parentheses' },
  {
    text: 'Your BofA code is "521992". We will never call to ask for it.',
    code: '521992',
    note: '2FHey quotes',
  },
  { text: '確認コードは 764972 です。', code: '764972', note: '2FHey CJK without spaces' },
  { text: 'Your Purchase Code is 39M4W', code: '39M4W', note: 'five-character alphanumeric' },
  { text: 'Your TeamViewer security code: QGFDAE', code: 'QGFDAE', note: 'letters only, keyword anchored' },
  { text: 'Your ING sign code: TF33/4KAM/GW7C', code: 'TF33/4KAM/GW7C', note: 'grouped alphanumeric' },
  {
    text: '<#> Your ExampleApp code is: 123ABC78 FA+9qCX9VSu',
    code: '123ABC78',
    note: 'Android SMS Retriever hash must not win',
  },
  {
    text: 'Your GitHub authentication code is 902112.\n\n@github.com #902112',
    code: '902112',
    note: 'WICG origin-bound line',
  },
  { text: '@acme.example #K7Q2ZP', code: 'K7Q2ZP', note: 'origin-bound line alone' },
  { text: 'Your code is valid for 20min. Code: 291696', code: '291696', note: 'otphelper #196 duration' },
  {
    text: "Il tuo codice di verifica è 291696. Per accedere digita 291696 nell'app.",
    code: '291696',
    note: 'otphelper Italian "digita"',
  },
  {
    text: '【中国移动】您的验证码为【 123456 】，5分钟内有效。如有疑问请拨打10086',
    code: '123456',
    note: 'otphelper #186 hotline',
  },

  // Other languages and scripts
  { text: 'Код подтверждения: 4821. Никому не сообщайте его.', code: '4821' },
  { text: 'Пароль: 1752. Не сообщайте его никому', code: '1752' },
  { text: 'Ваш код для входа: 55190', code: '55190' },
  { text: 'Ihr Bestätigungscode lautet 604418. Er ist 10 Minuten gültig.', code: '604418' },
  { text: 'Votre code de vérification est 318276. Il expire dans 15 minutes.', code: '318276' },
  { text: 'Tu código de verificación es 447190. No lo compartas con nadie.', code: '447190' },
  { text: 'Seu código de acesso é 8812. Não compartilhe.', code: '8812' },
  { text: 'Doğrulama kodunuz: 552019. Bu kodu kimseyle paylaşmayın.', code: '552019' },
  { text: 'Twój kod weryfikacyjny to 730145', code: '730145' },
  { text: 'رمز التحقق الخاص بك هو 482913. لا تشاركه مع أحد.', code: '482913' },
  { text: 'كود التفعيل: ٤٨٢٩١٣', code: '482913', note: 'Arabic-Indic digits' },
  { text: 'کد تایید شما: ۵۵۱۰۲۷', code: '551027', note: 'Persian digits' },
  { text: 'آپ کا تصدیقی کوڈ 739104 ہے۔ یہ کوڈ کسی کو نہ بتائیں۔', code: '739104' },
  { text: 'आपका OTP 662871 है। इसे किसी के साथ साझा न करें।', code: '662871' },
  { text: 'קוד האימות שלך הוא 248610', code: '248610' },
  { text: '[Web발신] 인증번호 [508713]를 입력해주세요.', code: '508713' },
  { text: '【LINE】認証番号：4471', code: '4471' },
  { text: 'Mã xác thực Zalo của bạn là 5521', code: '5521' },
  { text: 'รหัส OTP คือ 619204 (Ref: KXQZ) ใช้ภายใน 5 นาที', code: '619204' },
  { text: '您的驗證碼是 802317，請勿告訴他人。', code: '802317' },
  { text: 'Kode verifikasi Gojek kamu: 4410. JANGAN berikan kode ini ke siapa pun.', code: '4410' },
  { text: 'Your code is １２３４５６', code: '123456', note: 'full-width digits' },

  // Two numbers: the code is the second
  { text: 'Your account 55102937 login code is 448120', code: '448120' },
  { text: 'Ref 99812: your Easypaisa OTP is 5512. Valid for 3 minutes.', code: '5512' },
  { text: 'Rs. 2500 will be charged. Your OTP to confirm the payment is 613390', code: '613390' },
  { text: 'Order #5521 confirmed. Use code 730215 to verify delivery.', code: '730215' },
  { text: 'Your card ending 4417 was used. Verification code 219334', code: '219334' },
  { text: 'At 10:45 on 03/06/2025 a sign-in was requested. Your code is 902641', code: '902641' },
  { text: 'JazzCash: Rs.1500 sent to 03001234567. Your OTP is 4419', code: '4419' },
  { text: 'Pay PKR 1,200 to Daraz. OTP: 518204. Do not share.', code: '518204' },
  { text: 'Your code 4821 expires in 1440 minutes', code: '4821' },
  {
    text: 'Rs. 5,000.00 will be debited from A/c XX1234 on 12-05-2024. OTP is 482913. Call 111-225-111 if not you.',
    code: '482913',
  },

  // "Do not share" boilerplate
  {
    text: 'DO NOT SHARE THIS CODE WITH ANYONE. YOUR OTP IS 662019. HBL WILL NEVER ASK FOR IT.',
    code: '662019',
    note: 'all capitals',
  },
  {
    text: 'Never share this code with anyone, including our staff. Your one-time code: 407731',
    code: '407731',
  },

  // No code
  { text: 'Your order 123456 has shipped and will arrive on May 14.', code: null },
  {
    text: 'Rs. 5,000.00 debited from A/c XX1234 on 12-05-2024. Avl bal Rs. 10,250. Call 111-225-111 if not you.',
    code: null,
  },
  { text: 'Meeting moved to 1530 tomorrow, room 4012.', code: null },
  { text: 'Your balance is $1250.00. Thanks for using EasyPay.', code: null },
  { text: 'Happy new year 2025 from all of us at Jazz!', code: null },
  {
    text: 'Get 50% off with promo code SAVE2024 this weekend only',
    code: null,
    note: 'promo code is not an OTP',
  },
  {
    text: 'Your parcel tracking number is 48291736. Track at https://example-post.com/t/48291736',
    code: null,
  },
  { text: 'Call us at 0300 1234567 for help.', code: null },
  { text: 'Your verification was successful. Welcome aboard!', code: null },
  { text: '', code: null },
];
