import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { FastifyServerFactory } from 'fastify';
import type { AppContext } from '../app-context.js';
import { clientIp, type ProxyTrust } from './client-address.js';
import { redactUrl } from './logging.js';
import { paramsFrom } from './params.js';
import { parseQueryString } from './query-string.js';
import { answerWireCall, JSON_TYPE, TEXT_TYPE } from './wire.js';
import type { WireEndpoint } from './wire-types.js';

/**
 * Customers poll getStatus every few seconds for every live order, so a plain GET on a customer
 * endpoint is the most frequent request by far. Fastify's routing, request and reply objects and
 * hooks cost about as much as the whole answer (one cached key check and one indexed read), so
 * these GETs are answered straight from node:http, through the same frame (`answerWireCall`) and
 * the same query-string parser Fastify uses. Everything else (POST bodies, other paths, URLs with
 * percent-encoded paths or fragments) falls through to Fastify unchanged. The client address
 * comes from the same proxy trust as Fastify's `request.ip`; cookies are never read here (the
 * customer API authenticates by api_key only).
 */
export function fastLaneServerFactory(
  ctx: AppContext,
  endpoints: readonly WireEndpoint[],
  trust: ProxyTrust,
): FastifyServerFactory {
  const byPath = new Map<string, WireEndpoint>();
  for (const endpoint of endpoints) {
    byPath.set(endpoint.path, endpoint);
    byPath.set(`${endpoint.path}/`, endpoint);
  }
  return (fastifyHandler, options) => {
    const { requestTimeoutMs, headersTimeoutMs } = ctx.config;
    const server: Server = createServer(
      {
        requestTimeout: requestTimeoutMs,
        headersTimeout: headersTimeoutMs,
        // Node enforces both timeouts on this tick (30 s by default: a slow sender could hold on longer).
        connectionsCheckingInterval: Math.min(30_000, Math.max(250, Math.floor(headersTimeoutMs / 4))),
      },
      (request, response) => {
        const lane = request.method === 'GET' ? laneFor(request.url ?? '', byPath) : null;
        if (lane) answer(ctx, trust, lane.endpoint, lane.query, request, response);
        else fastifyHandler(request, response);
      },
    );
    // The other settings Fastify gives the server it creates itself (lib/server.js), from its defaults.
    const timeouts = options as { keepAliveTimeout?: number; connectionTimeout?: number };
    server.keepAliveTimeout = timeouts.keepAliveTimeout ?? 72_000;
    server.setTimeout(timeouts.connectionTimeout ?? 0);
    return server;
  };
}

/** The endpoint and query string of a URL the lane serves, or null to leave it to Fastify. */
function laneFor(url: string, byPath: ReadonlyMap<string, WireEndpoint>) {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  if (path.includes('%') || url.includes('#')) return null;
  const endpoint = byPath.get(path);
  return endpoint ? { endpoint, query: queryStart === -1 ? '' : url.slice(queryStart + 1) } : null;
}

function answer(
  ctx: AppContext,
  trust: ProxyTrust,
  endpoint: WireEndpoint,
  query: string,
  request: IncomingMessage,
  response: ServerResponse,
): void {
  const ip = clientIp(trust, request);
  const wireRequest = {
    ip,
    headers: request.headers,
    socket: request.socket,
    log: ctx.log,
  };
  answerWireCall(ctx, endpoint, paramsFrom(parseQueryString(query)), wireRequest).then(
    ({ reply, rateLimited }) => {
      const body = reply.kind === 'text' ? reply.body : JSON.stringify(reply.body);
      const headers: Record<string, string | number> = {
        'content-type': reply.kind === 'text' ? TEXT_TYPE : JSON_TYPE,
        'content-length': Buffer.byteLength(body),
      };
      if (rateLimited) headers['retry-after'] = '1';
      response.writeHead(200, headers).end(body);
      // Fastify's access line (debug level) for the requests it never sees: `req` goes through the
      // same serializer (logging.ts), which reads `url` and `ip`; the URL is redacted before either way.
      if (ctx.log.isLevelEnabled('debug')) {
        const url = redactUrl(request.url ?? '');
        ctx.log.debug(
          { req: { method: 'GET', url, ip, remoteAddress: ip }, res: { statusCode: 200 } },
          'request completed',
        );
      }
    },
    // answerWireCall never rejects; this is the last guard against a crash, never internals.
    (error: unknown) => {
      ctx.log.error({ err: error }, 'fast lane failed');
      if (!response.headersSent) response.writeHead(500, { 'content-type': JSON_TYPE });
      response.end('{"error":"internal error"}');
    },
  );
}
