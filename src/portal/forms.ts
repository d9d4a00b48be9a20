import type { FastifyReply, FastifyRequest } from 'fastify';
import { withSecurityHeaders } from '../http/security-headers.js';
import { html } from './html.js';
import { renderPage } from './layout.js';
import type { Visitor } from './visitor.js';

/** A text field of a posted form: the last value of a repeated one, cut at 2 KB; '' when absent. */
export function formField(request: FastifyRequest, name: string): string {
  const body = request.body;
  if (body === null || typeof body !== 'object') return '';
  const value = (body as Record<string, unknown>)[name];
  const last = Array.isArray(value) ? value[value.length - 1] : value;
  return typeof last === 'string' ? last.slice(0, 2048) : '';
}

/** Every portal and docs page goes out through here: never cached, with the security headers. */
export function sendHtml(reply: FastifyReply, body: string, status = 200): FastifyReply {
  return withSecurityHeaders(reply)
    .status(status)
    .header('cache-control', 'no-store')
    .type('text/html; charset=utf-8')
    .send(body);
}

/** The answer to a POST without a valid CSRF token: refused, with a way forward. */
export function sendCsrfRefused(reply: FastifyReply, visitor: Visitor): FastifyReply {
  const body = html`<h1>Please try again</h1>
<p class="alert error" role="alert">This form has expired or was sent from another site, so nothing was done.
Reload the page and submit it again.</p>
<p><a href="/dashboard">Back to your dashboard</a></p>`;
  return sendHtml(reply, renderPage(visitor, { title: 'Form expired', body }), 403);
}
