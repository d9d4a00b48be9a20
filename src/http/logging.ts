import { createRequire } from 'node:module';
import querystring from 'node:querystring';
import type { FastifyRequest } from 'fastify';
import pino, { type Logger } from 'pino';
import type PinoPretty from 'pino-pretty';
import type { Config } from '../config.js';

const SECRET_PARAMS = new Set(['api_key', 'apikey', 'key', 'token', 'password', 'idempotency_key']);

/**
 * Removes credentials from a URL before it is logged: API keys never reach a log line. Names are
 * compared as the query parser reads them (percent-decoded, any case, `api_key[]` as `api_key`),
 * so `?api%5Fkey=…` or `?api_key[]=…` are redacted too.
 */
export function redactUrl(url: string): string {
  const start = url.indexOf('?');
  if (start === -1) return url;
  const hash = url.indexOf('#', start);
  const end = hash === -1 ? url.length : hash;
  const query = url
    .slice(start + 1, end)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      return eq !== -1 && isSecretName(pair.slice(0, eq)) ? `${pair.slice(0, eq + 1)}[REDACTED]` : pair;
    })
    .join('&');
  return `${url.slice(0, start + 1)}${query}${url.slice(end)}`;
}

function isSecretName(raw: string): boolean {
  const name = querystring.unescape(raw.replace(/\+/g, ' ')).trim().toLowerCase().replace(/\[.*$/, '');
  return SECRET_PARAMS.has(name);
}

/** Pino options shared by the server and the CLI. Access logs go through the redacting serializer. */
export function loggerOptions(level: string) {
  return {
    level,
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers.cookie',
        'req.headers["x-api-key"]',
        'api_key',
        'apiKey',
      ],
      censor: '[REDACTED]',
    },
    serializers: {
      req(request: FastifyRequest) {
        return { method: request.method, url: redactUrl(request.url), remoteAddress: request.ip };
      },
    },
  };
}

/** The process's logger: pino JSON lines, or the same events as readable lines (LOG_FORMAT). */
export function createLogger(config: Pick<Config, 'logLevel' | 'logFormat'>): Logger {
  const options = loggerOptions(config.logLevel);
  if (config.logFormat === 'json') return pino(options);
  // Loaded only for readable lines. Synchronous, in this thread: a line is on the terminal before
  // the next statement runs.
  const pretty = createRequire(import.meta.url)('pino-pretty') as typeof PinoPretty;
  return pino(
    options,
    pretty({ colorize: process.stdout.isTTY === true, translateTime: 'SYS:HH:MM:ss', sync: true }),
  );
}
