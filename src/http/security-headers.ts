import type { FastifyReply } from 'fastify';

/**
 * The headers every HTML page (portal, docs, operator console) is sent with. Pages load scripts,
 * styles and data only from this server and no page may be framed, so a one-click purchase button
 * cannot be overlaid by another site (clickjacking). `connect-src 'self'` is what the docs' "try
 * it" forms and the dashboard's scripts need; nothing inline is allowed, and none is used.
 */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "object-src 'none'",
    "frame-ancestors 'none'",
  ].join('; '),
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'same-origin',
};

/** Adds SECURITY_HEADERS, keeping any a route set itself (a stricter Referrer-Policy, say). */
export function withSecurityHeaders(reply: FastifyReply): FastifyReply {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
    if (!reply.hasHeader(name)) reply.header(name, value);
  }
  return reply;
}
