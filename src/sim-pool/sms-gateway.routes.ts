import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.js';
import { storeReceivedSms } from './inbound-sms.service.js';
import { readGatewayEvent } from './sms-gateway-payload.js';
import { checkGatewaySignature } from './sms-gateway-signature.js';

/** Where the Android SMS gateway posts `sms:received` (register it with event "sms:received"). */
export const SMS_GATEWAY_WEBHOOK_PATH = '/webhooks/sms-gateway';

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[value.length - 1] : value;
}

/**
 * The inbound-SMS webhook of the own SIM pool. Replies: 200 once stored (also for a redelivery,
 * so the gateway stops retrying, and for events other than sms:received); 401 for a missing, wrong
 * or stale signature, with nothing stored; 400 for a signed body that is not an envelope; 503 while
 * OTPGET_SIM_WEBHOOK_SECRET is not set (the gateway keeps retrying, so nothing is lost meanwhile).
 */
export async function registerSmsGatewayWebhook(app: FastifyInstance, ctx: AppContext): Promise<void> {
  await app.register(async (scope) => {
    // The signature covers the body bytes as sent, so this route reads them raw (only this route).
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    scope.post(SMS_GATEWAY_WEBHOOK_PATH, async (request, reply) => {
      const secret = ctx.config.simWebhookSecret;
      if (secret === null) {
        request.log.warn('SMS gateway webhook called but OTPGET_SIM_WEBHOOK_SECRET is not set');
        return reply.status(503).send({ error: 'webhook not configured' });
      }
      const rawBody = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const check = checkGatewaySignature({
        secret,
        rawBody,
        signature: header(request.headers['x-signature']),
        timestamp: header(request.headers['x-timestamp']),
        nowMs: ctx.clock.now(),
      });
      if (check !== 'ok') {
        request.log.warn({ check }, 'SMS gateway webhook refused');
        return reply.status(401).send({ error: 'invalid signature' });
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(rawBody.toString('utf8'));
      } catch {
        return reply.status(400).send({ error: 'body is not JSON' });
      }
      const event = readGatewayEvent(parsed);
      if (event === null) return reply.status(400).send({ error: 'not an SMS gateway event' });
      if (event.kind === 'other') return reply.send({ status: 'ignored', event: event.event });
      const stored = await storeReceivedSms(ctx.db, ctx.clock, event.sms);
      request.log.info(
        {
          eventId: event.sms.eventId,
          outcome: stored.outcome,
          simId: stored.simId,
          simOrderId: stored.simOrderId,
        },
        'SMS gateway message',
      );
      return reply.send({ status: stored.outcome });
    });
  });
}
