import fastQueryString from 'fast-querystring';

/**
 * The one query-string parser of the customer API: Fastify's router is configured with it and the
 * fast lane calls it, so a GET is read the same whichever of the two serves it. (It is the parser
 * Fastify uses by default; repeated names become arrays, which `readParams` reduces to the last.)
 */
export function parseQueryString(query: string): Record<string, unknown> {
  return query.length === 0 ? {} : fastQueryString.parse(query);
}
