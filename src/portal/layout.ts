import { type Html, html } from './html.js';
import type { Visitor } from './visitor.js';

/** The hidden field every form POST carries. */
export function csrfField(visitor: Visitor): Html {
  return html`<input type="hidden" name="_csrf" value="${visitor.csrf}">`;
}

/**
 * The frame of every page: skip link, header with navigation, main content. The CSRF token also
 * sits in a meta tag for the page scripts' JSON POSTs. Everything is served by otpget itself.
 */
export function renderPage(
  visitor: Visitor,
  page: { title: string; body: Html; scripts?: string[]; wide?: boolean; refreshSeconds?: number },
): string {
  const signedIn = visitor.account !== null;
  const nav = signedIn
    ? html`<a href="/dashboard">Dashboard</a> <a href="/dashboard/orders/sms">Orders</a>
        <form method="post" action="/logout" class="inline">${csrfField(visitor)}<button type="submit" class="link">Log out</button></form>`
    : html`<a href="/login">Log in</a> <a href="/signup" class="button small">Sign up</a>`;
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="csrf-token" content="${visitor.csrf}">
${page.refreshSeconds ? html`<meta http-equiv="refresh" content="${page.refreshSeconds}">` : ''}
<title>${page.title} · otpget</title>
<link rel="stylesheet" href="/assets/otpget.css">
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
  <a class="brand" href="/">otpget</a>
  <nav aria-label="Main"><a href="/docs">Docs</a> ${nav}</nav>
</header>
<main id="main" class="${page.wide ? 'wide' : ''}">
${page.body}
</main>
<footer class="foot">otpget · <a href="/docs">API docs</a> · <a href="/docs/formats">Response formats</a> · <a href="/docs/sandbox">Sandbox</a></footer>
${(page.scripts ?? []).map((src) => html`<script src="${src}" defer></script>`)}
</body>
</html>`.value;
}

/** A list of problems at the top of a form, announced to screen readers. */
export function problemList(messages: string[]): Html {
  if (messages.length === 0) return html``;
  return html`<div class="alert error" role="alert"><ul>${messages.map((m) => html`<li>${m}</li>`)}</ul></div>`;
}
