/**
 * Verification e-mails without a code, where the customer needs the confirm/verify link, and
 * e-mails with neither (the extractor must stay silent rather than guess).
 */

import { button, type EmailCase, mailTemplate } from './mail-template.js';

export const EMAILS_WITH_LINK: readonly EmailCase[] = [
  {
    name: 'Discord verify-email button behind click tracking',
    service: 'ds',
    message: {
      subject: 'Verify Email Address for Discord',
      html: mailTemplate({
        brand: 'Discord',
        title: 'Verify Email Address',
        body: `<h2>Hey rentedbox42,</h2><p>Thanks for registering for an account on Discord! Before we get started, we just need to confirm that this is you. Click below to verify your email address:</p>
          ${button('https://click.discord.com/ls/click?upn=u001.Xk2Qz9f-2BVq1w&amp;utm_source=verify', 'Verify Email')}`,
      }),
    },
    code: null,
    link: 'https://click.discord.com/ls/click?upn=u001.Xk2Qz9f-2BVq1w&utm_source=verify',
  },
  {
    name: 'OpenAI verify-email button',
    service: 'dr',
    message: {
      subject: 'Verify your email address',
      html: mailTemplate({
        brand: 'OpenAI',
        title: 'Verify your email',
        body: `<h1>Verify your email address</h1><p>To continue setting up your OpenAI account, please verify that this is your email address.</p>${button('https://auth.openai.com/u/email-verification?ticket=Qm9vZ3Vz0ab12#', 'Verify email address')}<p>This link will expire in 5 days. If you did not make this request, please disregard this email.</p>`,
      }),
    },
    code: null,
    link: 'https://auth.openai.com/u/email-verification?ticket=Qm9vZ3Vz0ab12#',
  },
  {
    name: 'GitHub verify email, text and HTML parts',
    service: 'git',
    message: {
      subject: '[GitHub] Please verify your email address.',
      text: 'Hey rentedbox42!\n\nTo complete the sign-up, please verify your email address:\nhttps://github.com/users/rentedbox42/emails/88213551/confirm_verification/0f3a9c2b71d4?via_launch_code_email=true\n\nYour username is rentedbox42.\n\nThanks,\nThe GitHub Team',
      html: mailTemplate({
        brand: 'GitHub',
        title: 'Verify your email',
        body: `<p>Almost done, <b>@rentedbox42</b>! To complete your GitHub sign up, we just need to verify your email address.</p>${button('https://github.com/users/rentedbox42/emails/88213551/confirm_verification/0f3a9c2b71d4?via_launch_code_email=true', 'Verify email address')}<p>Once verified, you can start using all of GitHub's features.</p>`,
      }),
    },
    code: null,
    link: 'https://github.com/users/rentedbox42/emails/88213551/confirm_verification/0f3a9c2b71d4?via_launch_code_email=true',
  },
  {
    name: 'Reddit plain-text link with unsubscribe link after it',
    message: {
      subject: 'Verify your Reddit email address',
      text: "Hi there,\n\nPlease confirm your email address by clicking the link below:\nhttps://www.reddit.com/verification/Zx81kQ2?correlation_id=5521-9bd0&ref=verify_email.\n\nIf you didn't sign up for Reddit, you can ignore this email.\n\nUnsubscribe: https://www.reddit.com/unsubscribe/Zx81kQ2\nReddit Inc, 548 Market St #16093, San Francisco, CA 94104",
    },
    code: null,
    link: 'https://www.reddit.com/verification/Zx81kQ2?correlation_id=5521-9bd0&ref=verify_email',
  },
  {
    name: 'Zoom activation through a tracking redirect',
    message: {
      subject: 'Please activate your Zoom account',
      html: mailTemplate({
        brand: 'Zoom',
        title: 'Activate',
        body: `<p>Hello,</p><p>Welcome to Zoom! To activate your account please click the button below to verify your email address:</p>${button('https://links.zoom.example/ls/click?upn=9Xq-2Fz&amp;t=44821', 'Activate Account')}<p>Or paste this link into your browser: <a href="https://zoom.us/activate?code=aB3dE9x&amp;fr=signup">https://zoom.us/activate?code=aB3dE9x&amp;fr=signup</a></p>`,
      }),
    },
    code: null,
    link: 'https://zoom.us/activate?code=aB3dE9x&fr=signup',
    note: 'the direct activation link outranks the tracking redirect behind the button',
  },
  {
    name: 'Spotify password reset with a token',
    message: {
      subject: 'Reset your password',
      html: mailTemplate({
        brand: 'Spotify',
        title: 'Reset your password',
        body: `<p>Hello,</p><p>Forgot your password? No problem. Tap the button below to reset it.</p>${button('https://accounts.spotify.com/password-reset/complete?flow_ctx=6e2b&amp;token=c0ffee1234', 'Reset password')}<p>If you didn't ask to reset your password, you can ignore this email.</p>`,
      }),
    },
    code: null,
    link: 'https://accounts.spotify.com/password-reset/complete?flow_ctx=6e2b&token=c0ffee1234',
  },
  {
    name: 'Image-only button described by its title; unsubscribe link says "confirm"',
    message: {
      subject: 'One more step',
      html: mailTemplate({
        brand: 'Depop',
        title: 'One more step',
        body: `<p>Tap the button to finish creating your account.</p><a href="https://www.depop.example/e/v/Qz81?sig=77aa0" title="Confirm my email"><img src="https://cdn.depop.example/btn-600x120.png" width="300" height="60" alt=""></a>`,
      }),
    },
    code: null,
    link: 'https://www.depop.example/e/v/Qz81?sig=77aa0',
  },
  {
    name: 'AliExpress confirm e-mail with order-looking numbers',
    message: {
      subject: 'Confirm your email to get 3 coupons worth US $5',
      html: mailTemplate({
        brand: 'AliExpress',
        title: 'Confirm your email',
        body: `<p>Welcome! Confirm your email to receive coupons worth US $5.00 on orders over US $25.00.</p>${button('https://login.aliexpress.example/confirm-email?id=8821553019&amp;lang=en', 'Confirm email')}<p>Member ID: 88215530 &middot; Sent 12/05/2025</p>`,
      }),
    },
    code: null,
    link: 'https://login.aliexpress.example/confirm-email?id=8821553019&lang=en',
  },
  {
    name: 'Magic sign-in link',
    message: {
      subject: 'Your sign-in link for Notion',
      text: 'Click the link below to sign in to Notion. This link expires in 1 hour.\n\nhttps://www.notion.example/loginwithemail?token=v02%3Aabc123&state=xyz\n\nIf you did not request this, you can safely ignore it.',
    },
    code: null,
    link: 'https://www.notion.example/loginwithemail?token=v02%3Aabc123&state=xyz',
  },
  {
    name: 'Amazon order confirmation: no code, no verification link',
    message: {
      subject: 'Your Amazon.com order #112-3456789-1234567',
      html: mailTemplate({
        brand: 'Amazon',
        title: 'Order confirmation',
        body: `<p>Thanks for your order, rentedbox42!</p><p>Arriving Thursday, May 14</p><p>Order #112-3456789-1234567</p><table><tr><td>Echo Dot (5th Gen)</td><td>$49.99</td></tr><tr><td>Order Total:</td><td>$1,299.99</td></tr></table>${button('https://www.amazon.example/gp/your-account/order-details?orderID=112-3456789-1234567', 'View or manage order')}`,
      }),
    },
    code: null,
    link: null,
  },
  {
    name: 'Newsletter with numbers everywhere',
    message: {
      subject: 'Your weekly digest: 12 new posts',
      html: mailTemplate({
        brand: 'Medium',
        title: 'Digest',
        body: '<p>Top stories for you this week (May 5 – May 12, 2025)</p><ul><li>10 habits of 1000x engineers — 4,512 claps</li><li>Why 2025 is the year of Rust — 8 min read</li><li>Room 2048: a short story — 12 min read</li></ul><p><a href="https://medium.example/me/settings">Manage your email settings</a></p>',
      }),
    },
    code: null,
    link: null,
  },
  {
    name: 'Two-factor authentication enabled notice',
    message: {
      subject: 'Two-factor authentication enabled',
      text: "Two-factor authentication was enabled on your account on May 12, 2025 at 10:45 (UTC+05:00).\n\nIf this wasn't you, contact support at https://help.example.com/contact or call +1 (844) 555-0182.\n\nRef: 4482-1190",
    },
    code: null,
    link: null,
  },
];
