import type { FastifyRequest } from 'fastify';

const SECRET_PARAMS = /([?&](?:api_key|apikey|key|token|password|idempotency_key)=)[^&#]*/gi;

/** Removes credentials from a URL before it is logged: API keys never reach a log line. */
export function redactUrl(url: string): string {
  return url.replace(SECRET_PARAMS, '$1[REDACTED]');
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
