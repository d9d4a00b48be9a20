/**
 * More e-mails in hand-written (not templated) HTML and plain text: code boxes split 3-3,
 * class="code" spans, image-only buttons, "Click here" anchors, receipts and invoices.
 */

import type { EmailCase } from './mail-template.js';

export const EMAILS_MORE: readonly EmailCase[] = [
  {
    name: 'Epic Games code split 3-3 in a table cell',
    message: {
      subject: 'Your Epic Games security code',
      html: '<html><head><style>h1{font-size:24px}</style></head><body><table><tr><td><h1>Your security code</h1></td></tr><tr><td>Use the code below to verify your email address.</td></tr><tr><td style="font-size:40px;color:#313131">842 193</td></tr><tr><td>This code will expire in 60 minutes.</td></tr><tr><td>Epic Games, Inc. 620 Crossroads Blvd., Cary, NC 27518</td></tr></table></body></html>',
    },
    code: '842193',
    link: null,
  },
  {
    name: 'VK, Russian, code split 3-3',
    message: {
      subject: 'VK: код подтверждения',
      text: 'Ваш код подтверждения: 551 903. Никому его не сообщайте.',
    },
    code: '551903',
    link: null,
  },
  {
    name: '"Click here" anchor explained by the sentence around it',
    message: {
      subject: 'Confirm your registration',
      html: '<p>Thanks for signing up!</p><p><a href="https://app.example.com/confirm/9f2c?u=1">Click here</a> to confirm your registration.</p><p><a href="https://app.example.com/unsubscribe">Unsubscribe</a></p>',
    },
    code: null,
    link: 'https://app.example.com/confirm/9f2c?u=1',
  },
  {
    name: 'Proton code in a class="code" span, Swiss address in the footer',
    message: {
      subject: 'Welcome to Proton',
      html: '<div>Your Proton verification code is:</div><div><span class="code" style="font-family:monospace;font-size:26px">730215</span></div><div>Proton AG, Route de la Galaise 32, 1228 Plan-les-Ouates, Switzerland</div>',
    },
    code: '730215',
    link: null,
  },
  {
    name: 'Plain-text verify link before a help link',
    message: {
      subject: 'Action required: verify your email',
      text: 'Hi,\n\nClick to verify: https://example.org/v?t=abc123\n\nNeed help? https://example.org/help\n',
    },
    code: null,
    link: 'https://example.org/v?t=abc123',
  },
  {
    name: 'Eight-digit one-time passcode',
    message: {
      subject: 'Your one-time passcode',
      html: '<p>Hello,</p><p>Your one-time passcode is <span style="font-weight:bold">90412871</span>.</p><p>If you didn\'t request this passcode, you can ignore this email.</p>',
    },
    code: '90412871',
    link: null,
  },
  {
    name: 'Apple receipt: order id, document number, date, total',
    message: {
      subject: 'Your receipt from Apple',
      text: 'Order ID: MM7K2QX9P\nDocument No. 182093411\nDATE 12 May 2025\nTOTAL $9.99\nApple ID rented.box42@gmail.com',
    },
    code: null,
    link: null,
  },
  {
    name: 'Roblox one-time code in a heading',
    message: {
      subject: 'Your Roblox verification code',
      html: '<p>Hi rentedbox42,</p><p>Here is your one-time code:</p><h2>482 913</h2><p>Roblox will never ask for this code.</p>',
    },
    code: '482913',
    link: null,
  },
  {
    name: 'Password reset code on its own line',
    message: {
      subject: 'Reset your password',
      text: 'We received a request to reset your password. Enter the following password reset code:\n771203\n',
    },
    code: '771203',
    link: null,
  },
  {
    name: 'Image-only verify button (label in the alt text) behind SendGrid tracking',
    message: {
      subject: 'Please verify your email',
      html: '<a href="https://u123.ct.sendgrid.net/ls/click?upn=abc"><img src="https://img.example/verify-button.png" alt="Verify my email"></a>',
    },
    code: null,
    link: 'https://u123.ct.sendgrid.net/ls/click?upn=abc',
  },
  {
    name: 'Magic sign-in button with a token',
    message: {
      subject: 'Sign in to Example',
      html: '<p>Click the button below to sign in.</p><a href="https://example.com/auth/magic?token=ab12">Sign in</a>',
    },
    code: null,
    link: 'https://example.com/auth/magic?token=ab12',
  },
  {
    name: 'Invoice with an invoice number, amount and due date',
    message: {
      subject: 'Your invoice #20250512',
      text: 'Invoice 20250512\nAmount due: $120.00 by June 1, 2025.\nPay online: https://billing.example.com/pay/20250512',
    },
    code: null,
    link: null,
  },
  {
    name: 'Onboarding e-mail full of counts and steps',
    message: {
      subject: 'Welcome to Canva!',
      text: 'Hi there,\n\nWelcome aboard! Join 170,000,000 people designing on Canva.\nStep 1: pick a template\nStep 2: add your photos\nGet 1000 free credits when you verify your phone.\n\nCanva Pty Ltd, 110 Kippax St, Surry Hills NSW 2010, Australia',
    },
    code: null,
    link: null,
  },
  {
    name: 'New sign-in alert with date, time, IP and a settings link',
    message: {
      subject: 'Security alert',
      text: 'A new sign-in to your account from Windows 11 (Chrome 124) on May 12, 2025, 10:45 PM.\nLocation: Lahore, Pakistan (IP 203.0.113.45)\nIf this was you, you can ignore this message. Otherwise secure your account: https://myaccount.example.com/security?continue=1',
    },
    code: null,
    link: null,
  },
  {
    name: 'Account id is not a code',
    message: { subject: 'Your account ID', text: 'Your account ID is 48291033. Keep it for your records.' },
    code: null,
    link: null,
  },
  {
    name: 'Ozon, Russian, code in bold with a postal address after it',
    message: {
      subject: 'Код для входа',
      html: '<p>Здравствуйте!</p><p>Ваш код для входа в Ozon:</p><p><b>4821</b></p><p>Код действителен 5 минут. ООО «Интернет Решения», 123112, Москва, Пресненская наб., д. 10</p>',
    },
    code: '4821',
    link: null,
  },
  {
    name: 'Leboncoin, French',
    message: {
      subject: 'Votre code de connexion',
      text: 'Bonjour,\n\nVoici votre code de connexion : 730215\n\nIl est valable pendant 10 minutes.\n\nLeboncoin, 85 rue du Faubourg Saint-Martin, 75010 Paris',
    },
    code: '730215',
    link: null,
  },
  {
    name: 'Zalando, German compound keyword',
    message: {
      subject: 'Ihr Sicherheitscode',
      text: 'Hallo,\n\nIhr Sicherheitscode für die Anmeldung: 551903\n\nDer Code ist 15 Minuten gültig.\n\nZalando SE, Valeska-Gert-Straße 5, 10243 Berlin',
    },
    code: '551903',
    link: null,
  },
  {
    name: 'OLX, Polish, postal code in the footer',
    message: {
      subject: 'Twoje konto',
      text: 'Cześć!\n\nTwój kod weryfikacyjny: 662019\n\nOLX sp. z o.o., ul. Królowej Jadwigi 43, 61-872 Poznań',
    },
    code: '662019',
    link: null,
  },
  {
    name: 'Hepsiburada, Turkish, four digits',
    message: {
      subject: 'Doğrulama kodunuz',
      text: 'Merhaba,\n\nHepsiburada doğrulama kodunuz: 4410\n\nBu kodu kimseyle paylaşmayın.\nD-Market Elektronik Hizmetler, Kuştepe Mah. Mecidiyeköy Yolu Cad. No: 12, 34387 Şişli/İstanbul',
    },
    code: '4410',
    link: null,
  },
];
