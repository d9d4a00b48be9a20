/**
 * The shell most transactional e-mails share: a `<head>` full of CSS (sizes, colours, weights),
 * a hidden preheader padded with invisible entities, nested layout tables, a footer with a
 * copyright year, a street address with a zip code and unsubscribe/privacy links, and a tracking
 * pixel. Corpus rows put their own body inside it, so every HTML case also carries those traps.
 */

import type { EmailMessageParts } from '../../../src/otp/extract-email-code.js';

export interface EmailCase {
  name: string;
  message: EmailMessageParts;
  code: string | null;
  link: string | null;
  service?: string;
  note?: string;
}

export interface MailTemplateOptions {
  brand: string;
  title: string;
  body: string;
  preheader?: string;
  /** Replaces the default footer (copyright, address, unsubscribe, privacy, help). */
  footer?: string;
}

function defaultFooter(brand: string): string {
  const host = `${brand.toLowerCase().replace(/[^a-z0-9]/g, '')}.example`;
  return `&copy; 2025 ${brand}, Inc. &middot; 1601 Willow Road, Menlo Park, CA 94025<br>
      This message was sent to <a href="mailto:rented.box42@gmail.com" style="color:#999999">rented.box42@gmail.com</a>.<br>
      <a href="https://${host}/email/unsubscribe?u=88213&amp;confirm=1" style="color:#999999">Unsubscribe</a> &middot;
      <a href="https://${host}/legal/privacy" style="color:#999999">Privacy Policy</a> &middot;
      <a href="https://${host}/help" style="color:#999999">Help Center</a>`;
}

/** A full HTML document around `body`. */
export function mailTemplate(options: MailTemplateOptions): string {
  const { brand, title, body, preheader = '' } = options;
  const footer = options.footer ?? defaultFooter(brand);
  const padding = '&zwnj;&nbsp;'.repeat(40);
  return `<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
  <meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
  <title>${title}</title>
  <style type="text/css">
    body { margin: 0; padding: 0; background-color: #f4f4f4; font-family: Helvetica, Arial, sans-serif; }
    .container { max-width: 600px; width: 100%; }
    .code { font-size: 32px; font-weight: 700; letter-spacing: 6px; color: #111111; }
    .btn { background-color: #1a73e8; border-radius: 4px; padding: 12px 24px; font-weight: 600; }
    @media only screen and (max-width: 1024px) { .container { width: 100% !important; } }
  </style>
  <!--[if mso]><style>table { border-collapse: collapse; } .code { font-size: 28px; }</style><![endif]-->
</head>
<body style="margin:0;padding:0;background-color:#f4f4f4">
  <div style="display:none;max-height:0;overflow:hidden;mso-hide:all">${preheader}${padding}</div>
  <table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f4f4f4">
    <tr><td align="center" style="padding:24px 0">
      <table class="container" role="presentation" width="600" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff">
        <tr><td style="padding:24px 32px;font-size:20px;font-weight:600;color:#111111">${brand}</td></tr>
        <tr><td style="padding:0 32px 24px;font-size:16px;line-height:24px;color:#333333">
          ${body}
        </td></tr>
        <tr><td style="padding:16px 32px;font-size:12px;line-height:18px;color:#999999;border-top:1px solid #eeeeee">
          ${footer}
        </td></tr>
      </table>
    </td></tr>
  </table>
  <img src="https://t.mailer.example/o/8f3a2c91d4/open.gif?u=482913551&amp;m=20250512" width="1" height="1" alt="" style="display:block;border:0">
</body>
</html>`;
}

/** A centred call-to-action button, the way most templates draw one. */
export function button(href: string, label: string): string {
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0"><tr>
    <td class="btn" bgcolor="#1a73e8" style="border-radius:4px">
      <a href="${href}" target="_blank" style="display:inline-block;padding:12px 24px;color:#ffffff;font-weight:600;text-decoration:none">${label}</a>
    </td></tr></table>`;
}

/** The big code box. */
export function codeBox(code: string): string {
  return `<table role="presentation" cellpadding="0" cellspacing="0" border="0" width="100%"><tr>
    <td align="center" class="code" style="font-size:32px;font-weight:700;letter-spacing:6px;padding:16px;background:#f0f0f0">${code}</td>
  </tr></table>`;
}
