/**
 * Verification e-mails that carry a code, per service, plain and HTML. Our own wording,
 * modelled on what these services send.
 */

import { codeBox, type EmailCase, mailTemplate } from './mail-template.js';

export const EMAILS_WITH_CODE: readonly EmailCase[] = [
  {
    name: 'Instagram sign-up, code in subject and HTML',
    service: 'ig',
    message: {
      subject: '482913 is your Instagram code',
      html: mailTemplate({
        brand: 'Instagram',
        title: 'Confirm your email',
        preheader: 'Someone tried to sign up for an Instagram account with rented.box42@gmail.com.',
        body: `<p>Hi,</p><p>Someone tried to sign up for an Instagram account with rented.box42@gmail.com. If it was you, enter this confirmation code in the app:</p>
          ${codeBox('482913')}
          <p>If you didn't try to sign up, you can ignore this email.</p>`,
      }),
    },
    code: '482913',
    link: null,
  },
  {
    name: 'Instagram, generic subject, code only in the HTML body',
    message: {
      subject: 'Confirm your email address',
      text: 'View this email in your browser.',
      html: mailTemplate({
        brand: 'Instagram',
        title: 'Confirm',
        body: `<p>Use the confirmation code below to finish creating your account.</p>${codeBox('530417')}`,
      }),
    },
    code: '530417',
    link: null,
  },
  {
    name: 'Telegram login code, plain text',
    service: 'tg',
    message: {
      subject: 'Telegram login code',
      text: "Your login code: 58213\n\nThis code can be used to log in to your Telegram account. We never ask it for anything else. Do not give it to anyone!\n\nIf you didn't request this code by trying to log in on another device, simply ignore this message.",
    },
    code: '58213',
    link: null,
  },
  {
    name: 'Telegram email verification, HTML',
    service: 'tg',
    message: {
      subject: 'Verify your email for Telegram',
      html: mailTemplate({
        brand: 'Telegram',
        title: 'Telegram',
        body: '<p>Hello,</p><p>Your code to set up login email on Telegram is <strong>71402</strong>.</p><p>If you did not request this code, ignore this email.</p>',
      }),
    },
    code: '71402',
    link: null,
  },
  {
    name: 'Discord new-location code',
    service: 'ds',
    message: {
      subject: 'Your Discord verification code',
      html: mailTemplate({
        brand: 'Discord',
        title: 'Verify',
        body: `<h2 style="font-size:24px;font-weight:600">Hey there,</h2><p>Here is your verification code:</p>${codeBox('193022')}<p>This code expires in 10 minutes. Do not share it with anyone.</p>`,
      }),
    },
    code: '193022',
    link: null,
  },
  {
    name: 'OpenAI code in subject and body',
    service: 'dr',
    message: {
      subject: 'Your ChatGPT code is 774013',
      html: mailTemplate({
        brand: 'OpenAI',
        title: 'Your ChatGPT code',
        body: `<p>Enter this temporary verification code to continue:</p>${codeBox('774013')}<p>If you were not trying to log in to ChatGPT, please reset your password.</p>`,
      }),
    },
    code: '774013',
    link: null,
  },
  {
    name: 'GitHub device verification, plain text',
    service: 'git',
    message: {
      subject: '[GitHub] Please verify your device',
      text: 'Hey rentedbox42!\n\nA sign in attempt requires further verification because we did not recognize your device. To complete the sign in, enter the verification code on the unrecognized device.\n\nDevice: Chrome on Windows\nVerification code: 902112\n\nIf you did not attempt to sign in to your account, your password may be compromised. Visit https://github.com/settings/security to create a new, strong password for your GitHub account.\n\nThanks,\nThe GitHub Team',
    },
    code: '902112',
    link: null,
  },
  {
    name: 'TikTok code in a CSS-heavy template',
    service: 'lf',
    message: {
      subject: '605119 is your verification code',
      html: mailTemplate({
        brand: 'TikTok',
        title: 'Verification code',
        body: `<p style="font-size:16px;font-weight:600">Verification Code</p>${codeBox('605119')}<p>To verify your account, enter this code in TikTok.</p><p>Verification codes expire after 48 hours.</p>`,
      }),
    },
    code: '605119',
    link: null,
  },
  {
    name: 'Microsoft account security code, plain text',
    service: 'mm',
    message: {
      subject: 'Microsoft account security code',
      text: "Microsoft account\nSecurity code\n\nPlease use the following security code for the Microsoft account re*****@gmail.com.\n\nSecurity code: 4472\n\nIf you don't recognize the Microsoft account re*****@gmail.com, you can click https://account.live.com/dp?ft=Ab12Cd to remove your email address from that account.\n\nThanks,\nThe Microsoft account team",
    },
    code: '4472',
    link: null,
  },
  {
    name: 'Microsoft single-use code, HTML, seven digits',
    service: 'mm',
    message: {
      subject: 'Your single-use code',
      html: mailTemplate({
        brand: 'Microsoft',
        title: 'Your single-use code',
        body: '<p>We received your request for a single-use code to use with your Microsoft account.</p><p>Your single-use code is: <b>2803194</b></p><p>Only enter this code on an official website or app.</p>',
      }),
    },
    code: '2803194',
    link: null,
  },
  {
    name: 'Amazon account verification',
    service: 'am',
    message: {
      subject: 'Verify your new Amazon account',
      html: mailTemplate({
        brand: 'Amazon',
        title: 'Verify your new Amazon account',
        body: `<p>To verify your email address, please use the following One Time Password (OTP):</p>${codeBox('381204')}<p>Do not share this OTP with anyone. Amazon takes your account security very seriously. Amazon Customer Service will never ask you to disclose or verify your Amazon password, OTP, credit card, or banking account number.</p>`,
      }),
    },
    code: '381204',
    link: null,
  },
  {
    name: 'Google recovery e-mail verification',
    service: 'go',
    message: {
      subject: 'Google Verification Code',
      text: 'Google Verification Code\n\nUse this code to finish setting up this recovery email:\n\n482913\n\nThis code will expire in 24 hours.\n\nYou received this email to let you know about important changes to your Google Account and services.\n© 2025 Google LLC, 1600 Amphitheatre Parkway, Mountain View, CA 94043, USA',
    },
    code: '482913',
    link: null,
  },
  {
    name: 'Apple ID verification',
    service: 'wx',
    message: {
      subject: 'Verify your Apple ID email address',
      html: mailTemplate({
        brand: 'Apple',
        title: 'Verify your email',
        body: `<p>Dear customer,</p><p>To verify your email address, enter the following code on the verification page:</p><p style="font-size:24px"><b>284619</b></p><p>Verification codes expire after three hours.</p>`,
        footer:
          'Apple ID | Support | Privacy Policy<br>Copyright &copy; 2025 One Apple Park Way, Cupertino, CA 95014, United States.',
      }),
    },
    code: '284619',
    link: null,
  },
  {
    name: 'Facebook confirmation, FB- prefix in the subject',
    service: 'fb',
    message: {
      subject: 'FB-48291 is your Facebook confirmation code',
      html: mailTemplate({
        brand: 'Facebook',
        title: 'Facebook',
        body: `<p>Hi,</p><p>You recently registered for Facebook. To complete your Facebook registration, please confirm your account.</p><p>You may be asked to enter this confirmation code:</p>${codeBox('48291')}`,
      }),
    },
    code: '48291',
    link: null,
  },
  {
    name: 'Steam Guard alphanumeric code',
    message: {
      subject: 'Your Steam account: Access from new web or mobile device',
      text: 'Dear rentedbox42,\n\nHere is the Steam Guard code you need to login to account rentedbox42:\n\nF4K2M\n\nThis email was generated because of a login attempt from a web or mobile device located at 203.0.113.45 (PK). The login attempt included your correct account name and password.',
    },
    code: 'F4K2M',
    link: null,
  },
  {
    name: 'Slack confirmation code split 3-3',
    message: {
      subject: 'Slack confirmation code: 483-921',
      html: mailTemplate({
        brand: 'Slack',
        title: 'Confirm your email address',
        body: `<h1 style="font-size:36px;line-height:42px">Confirm your email address</h1><p>Your confirmation code is below &mdash; enter it in your open browser window and we'll help you get signed in.</p>${codeBox('483-921')}<p>If you didn't request this email, there's nothing to worry about &mdash; you can safely ignore it.</p>`,
      }),
    },
    code: '483921',
    link: null,
  },
  {
    name: 'Twitch verification code',
    message: {
      subject: 'Your Twitch Verification Code',
      html: mailTemplate({
        brand: 'Twitch',
        title: 'Twitch',
        body: '<p>Hey rentedbox42,</p><p>Thanks for joining Twitch! Please enter this code to verify your email:</p><div style="font-size:40px;font-weight:800">318822</div><p>Code expires in 15 minutes.</p>',
      }),
    },
    code: '318822',
    link: null,
  },
  {
    name: 'Netflix four-digit sign-in code',
    message: {
      subject: 'Your sign-in code',
      html: mailTemplate({
        brand: 'Netflix',
        title: 'Sign in',
        body: '<p>Enter this code to sign in</p><p style="font-size:36px;letter-spacing:8px">4821</p><p>This code will expire in 15 minutes.</p><p>Questions? Call 1-844-505-2993</p>',
      }),
    },
    code: '4821',
    link: null,
  },
  {
    name: 'LinkedIn code among follower counts',
    message: {
      subject: 'Your LinkedIn verification code',
      text: "Here's your verification code 391027\n\nThis code expires in 15 minutes.\n\nYou have 5 new messages and 1,234 profile views this week.\nLinkedIn Corporation, 1000 W Maude Ave, Sunnyvale, CA 94085",
    },
    code: '391027',
    link: null,
  },
  {
    name: 'PayPal code next to amounts',
    message: {
      subject: 'Your PayPal security code',
      text: "Your PayPal code is 530022. Don't share it.\n\nPayment of $45.00 USD to Example Store (Invoice 880213) is waiting for your confirmation.\nPayPal, 2211 N First St, San Jose, CA 95131",
    },
    code: '530022',
    link: null,
  },
  {
    name: 'Kick alphanumeric code',
    message: {
      subject: 'Verify your Kick account',
      html: mailTemplate({
        brand: 'Kick',
        title: 'Verify',
        body: `<p>Your verification code:</p>${codeBox('7HQ2KD')}<p>Enter it on kick.com within 30 minutes.</p>`,
      }),
    },
    code: '7HQ2KD',
    link: null,
  },
  {
    name: 'Yandex, Russian',
    message: {
      subject: 'Код подтверждения',
      text: 'Здравствуйте!\n\nКод подтверждения: 551903\n\nВведите его на странице регистрации. Код действует 10 минут.\n\nС уважением, команда Яндекса\n© 2001–2025 ООО «Яндекс»',
    },
    code: '551903',
    link: null,
  },
  {
    name: 'Arabic verification e-mail',
    message: {
      subject: 'رمز التحقق الخاص بك',
      html: mailTemplate({
        brand: 'Careem',
        title: 'رمز التحقق',
        body: '<p dir="rtl">مرحباً،</p><p dir="rtl">رمز التحقق الخاص بك هو: <b>٦٠٣٨١٢</b></p><p dir="rtl">صالح لمدة 10 دقائق.</p>',
      }),
    },
    code: '603812',
    link: null,
  },
  {
    name: 'Spanish verification e-mail',
    message: {
      subject: 'Tu código de verificación',
      text: 'Hola:\n\nTu código de verificación es 447190.\n\nEste código caduca en 10 minutos. Si no has solicitado este código, ignora este mensaje.\n\nGlovo, Calle de Pallars 190, 08005 Barcelona',
    },
    code: '447190',
    link: null,
  },
  {
    name: 'X confirmation code',
    service: 'tw',
    message: {
      subject: 'Confirm your email address',
      html: mailTemplate({
        brand: 'X',
        title: 'Confirm',
        body: '<p>Please enter this verification code to get started on X:</p><p style="font-size:32px;font-weight:700">483920</p><p>Verification codes expire after two hours.</p>',
      }),
    },
    code: '483920',
    link: null,
  },
  {
    name: 'Binance code with a timestamp and IP address',
    message: {
      subject: '[Binance] Confirm Your Registration',
      text: 'Welcome to Binance!\n\nYour verification code: 482913\n\nThe verification code will be valid for 30 minutes. Please do not share this code with anyone.\n\nRequest time: 2025-05-12 10:45:11 (UTC)\nIP address: 203.0.113.45',
    },
    code: '482913',
    link: null,
  },
  {
    name: 'Uber code in the subject only',
    message: { subject: 'Your Uber code is 4829' },
    code: '4829',
    link: null,
  },
];
