/**
 * More SMS texts: banks and wallets (amounts, account numbers, transaction ids next to the code),
 * regional apps, and short or oddly formatted messages. Our own wording.
 */

import type { SmsCase } from './sms.js';

export const SMS_MORE_CASES: readonly SmsCase[] = [
  { text: 'Your Careem verification code is 4471. This code will expire in 5 minutes.', code: '4471' },
  { text: '<#> 482913 is your Foodpanda verification code. dF3kLp9Qx2A', code: '482913' },
  { text: 'Your Snapchat code is 339 102. Happy Snapping!', code: '339102' },
  { text: 'Your Tinder code is 551022 dont share', code: '551022' },
  { text: '[Alipay] Verification code 821773. Valid for 15 minutes. Do not tell anyone.', code: '821773' },
  { text: 'Microsoft access code: 2381', code: '2381' },
  { text: 'Use verification code 4821 for Bolt authentication.', code: '4821' },
  { text: 'Your Yandex Go code: 9081', code: '9081' },
  { text: 'NEVER SHARE this code: 772910. Meta will never ask for it.', code: '772910' },
  { text: 'Signal: Your code is: 482-913 Do not share this code', code: '482913' },
  { text: '482913 is your verification code for Lazada. Valid for 5 mins.', code: '482913' },
  {
    text: 'Dear Customer, OTP for your transaction of PKR 15,000.00 at DARAZ is 771203. Valid for 5 mins. Never share your OTP. UBL',
    code: '771203',
  },
  { text: 'Dear customer, your OTP is 4821 for Rs.2,500 payment to K-Electric. Do not share.', code: '4821' },
  { text: 'Your 1xBet code: 55102', code: '55102' },
  { text: 'Your verification code is 482913\nSent from +44 7700 900123', code: '482913' },
  { text: 'Kode OTP Shopee Anda: 662019. JANGAN BERIKAN kode ini kepada siapapun.', code: '662019' },
  { text: 'Ваш код: 4821\nВвод кода означает согласие с условиями', code: '4821' },
  { text: 'Código de verificación de WhatsApp: 318-604', code: '318604' },
  {
    text: 'Your Amazon OTP is 381204. Valid for 10 mins. Do not share. Order 402-1234567-7654321',
    code: '381204',
  },
  { text: 'Bank Alfalah: Your OTP for login is 62018931', code: '62018931' },
  { text: 'Your security code is 821-773. It expires at 14:05.', code: '821773' },
  { text: 'Grab: Your code is 4471. Call 1800-1234-567 if you did not request.', code: '4471' },
  { text: 'Hi! Your appointment at 10:30 on 12/06 is confirmed. Ref 4821.', code: null },
  { text: 'Your Netflix verification code is 4821. Visit netflix.com/code to learn more.', code: '4821' },
  { text: 'Use 771203 to reset your password. It expires in 15 minutes.', code: '771203' },
  {
    text: "WhatsApp code 318-604. You can also tap this link to verify your phone: v.whatsapp.com/318604 Don't share this code with others",
    code: '318604',
  },
  { text: "Your Instagram code is 123 456. Don't share it.", code: '123456' },
  { text: 'Your verification PIN is 8821', code: '8821' },
  { text: 'Your code for Hinge is 48291', code: '48291' },
  { text: 'Welcome to Jazz! Your balance is Rs. 125.50. Dial *111# for offers.', code: null },
  { text: 'You have received Rs. 2000 from 03001234567 via JazzCash. TID 44821093', code: null },
  { text: '482913', code: '482913' },
  { text: 'Verification code:\n482913', code: '482913' },
  { text: 'Your login OTP is 4821 and expires in 3 minutes. Reference: 99810', code: '4821' },
  { text: 'Code: A1B2C3', code: 'A1B2C3' },
  { text: 'Your Epic Games security code is 382 190', code: '382190' },
  { text: 'Bumble: 4829 is your code', code: '4829' },
  { text: "PayPal: 530022 is your security code. Don't share your code.", code: '530022' },
  // Shopping codes are not verification codes
  { text: 'Use code SAVE20 at checkout for 20% off', code: null },
  { text: 'Flash sale! Use code BF2025 for 30% off everything', code: null },
  { text: 'Your gift card code: 7HQ2-KD91-XXP4', code: null },
  { text: 'Get 10% cashback on Daraz! Your OTP is 482913', code: '482913' },
];
