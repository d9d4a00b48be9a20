/**
 * E-mails built around the HTML failure cases listed in shared/reference (section 3.3): codes
 * that run into the next word when tags are stripped, colours, entities, CSS sizes, years, order
 * numbers and tracking ids in links, and HTML delivered in the text field.
 */

import { button, codeBox, type EmailCase, mailTemplate } from './mail-template.js';

export const EMAILS_TRICKY: readonly EmailCase[] = [
  {
    name: 'German one-time code in a div right before the next sentence',
    message: {
      subject: 'Ihr Einmalcode',
      html: '<html><body><div style="font-size:28px;font-weight:700">842526</div><div>Dieser Einmalcode ist 10 Minuten gültig.</div></body></html>',
    },
    code: '842526',
    link: null,
    note: 'UwUMail v0.26.2: "842526Dieser Einmalcode…"',
  },
  {
    name: 'German code followed by "ist der Code" after a line break',
    message: {
      subject: 'Anmeldung bei Ihrem Konto',
      html: mailTemplate({
        brand: 'Kleinanzeigen',
        title: 'Anmeldung',
        body: '<p>Hallo,</p><p><b style="font-size:24px">9063</b><br>ist der Code für Ihre Anmeldung. Bitte geben Sie ihn nicht weiter.</p>',
        footer: '&copy; 2025 Kleinanzeigen GmbH, Albert-Einstein-Ring 2-6, 14532 Kleinmachnow',
      }),
    },
    code: '9063',
    link: null,
    note: 'UwUMail v0.26.2: "9063ist der Code"',
  },
  {
    name: 'Code padded with zero-width entities against auto-linking',
    message: {
      subject: 'Your verification code',
      html: mailTemplate({
        brand: 'Vinted',
        title: 'Verification code',
        body: '<p>Your verification code is:</p><p style="font-size:30px">4&#8203;8&#8203;2&#8203;9&#8203;1&#8203;3</p><p>It is valid for 30 minutes.</p>',
      }),
    },
    code: '482913',
    link: null,
    note: 'entities like &#8203;',
  },
  {
    name: 'One digit per box',
    message: {
      subject: 'Confirm your Wolt account',
      html: mailTemplate({
        brand: 'Wolt',
        title: 'Confirm',
        body: `<p>Enter this code in the app to log in:</p><table role="presentation"><tr>${[...'730215'].map((d) => `<td style="width:40px;height:48px;font-size:28px;border:1px solid #dddddd">${d}</td>`).join('')}</tr></table><p>The code expires in 15 minutes.</p>`,
      }),
    },
    code: '730215',
    link: null,
  },
  {
    name: 'Colours and sizes as text around the code (plain part generated from CSS)',
    message: {
      subject: 'Security code',
      text: '.header{color:#333333;font-size:16px;font-weight:600} @media (max-width: 1024px){.c{width:100%}}\nSecurity code\nYour security code is 661027\nIt expires in 10 minutes.\nfooter{background:#1a73e8;padding:24px}',
    },
    code: '661027',
    link: null,
    note: 'hex colours, CSS sizes, font weights',
  },
  {
    name: 'Colours and sizes only, with a code word: no code',
    message: {
      subject: 'Your code settings changed',
      text: '.code{color:#333333;font-size:16px;font-weight:600;max-width:1024px}\nYour code settings were updated on May 12, 2025.',
    },
    code: null,
    link: null,
  },
  {
    name: 'Years, order numbers and tracking ids in links next to the code',
    message: {
      subject: 'Your Daraz verification code',
      html: mailTemplate({
        brand: 'Daraz',
        title: 'Verification code',
        body: `<p>Order #4021553 placed on 12 May 2025 needs verification.</p><p>Your verification code is <b>5512</b>.</p><p><a href="https://track.daraz.example/c/20250512/88213/482913">Track order 4021553</a></p>`,
      }),
    },
    code: '5512',
    link: null,
  },
  {
    name: 'Whole HTML document delivered in the text field (upstream full message)',
    message: {
      subject: 'Verify your account',
      text: mailTemplate({
        brand: 'Tinder',
        title: 'Verify',
        body: `<p>Your Tinder verification code is</p>${codeBox('558102')}<p>This code will expire in 10 minutes.</p>`,
      }),
    },
    code: '558102',
    link: null,
    note: 'kopeechka fullmessage / AnyMessage message field',
  },
  {
    name: 'HTML in the text field, link only',
    message: {
      text: mailTemplate({
        brand: 'Etsy',
        title: 'Confirm',
        body: `<p>Welcome to Etsy! Please confirm your email address.</p>${button('https://www.etsy.example/confirm?email_token=5f2c1d&amp;u=8821', 'Confirm your email')}`,
      }),
    },
    code: null,
    link: 'https://www.etsy.example/confirm?email_token=5f2c1d&u=8821',
  },
  {
    name: 'Preheader padding, CSS in head, footer with year and zip code, and a code',
    message: {
      subject: 'Your Snapchat code',
      html: mailTemplate({
        brand: 'Snapchat',
        title: 'Snapchat',
        preheader: 'Your code is inside',
        body: `<p>Your Snapchat verification code is:</p>${codeBox('390017')}<p>Snap Inc. will never ask you for this code.</p>`,
      }),
    },
    code: '390017',
    link: null,
  },
  {
    name: 'Invitation with a promo code is not a verification code',
    message: {
      subject: 'You are invited: use promo code WELCOME2025',
      text: 'Join today and use promo code WELCOME2025 for 20% off your first 3 orders. Offer ends 31/05/2025.\n\nSign up: https://shop.example/signup?ref=88213',
    },
    code: null,
    link: null,
  },
];
