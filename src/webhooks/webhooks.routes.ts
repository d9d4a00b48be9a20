import type { FastifyInstance } from 'fastify';
import type { AppContext } from '../app-context.js';
import { readParams, readPositiveInt } from '../http/params.js';
import { listDeliveries, sendTestEvent } from './webhook-delivery.js';
import type { WebhookReply } from './webhooks.contract.js';
import { addWebhook, listWebhooks, MAX_WEBHOOKS_PER_ACCOUNT, removeWebhook } from './webhooks.service.js';

const iso = (ms: number | null) => (ms === null ? '' : new Date(ms).toISOString());
const reply = (status: string, message: string): WebhookReply => ({ status, message });

/**
 * `/api/webhooks` (GET or POST, `api_key` like the customer APIs; JSON with a string `status`,
 * always HTTP 200): `action=list`, `add&url=…` (answers the signing secret, once), `remove&id=…`,
 * `test&id=…` (sends a `webhook.test` event now) and `deliveries[&id=…]` (the delivery log). The
 * replies' shapes are `webhooks.contract.ts`.
 */
export function registerWebhookRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.route({
    method: ['GET', 'POST'],
    url: '/api/webhooks',
    handler: async (request, response): Promise<WebhookReply> => {
      const params = readParams(request);
      response.type('application/json; charset=utf-8');
      try {
        // The customer APIs' rate limits apply here too (a test send makes an outgoing request).
        const { rateLimitPerIp, rateLimitPerKey } = ctx.config;
        const tooMany = reply('429', 'Too many requests. Please slow down.');
        if (rateLimitPerIp > 0 && !(await ctx.rateLimiter.hit(`ip:${request.ip}`, rateLimitPerIp)).allowed) {
          return tooMany;
        }
        const caller = await ctx.auth.authenticate(params.api_key);
        if (!caller) return reply('401', 'Invalid API key.');
        if (caller.status !== 'active') return reply('403', 'Account is blocked or inactive.');
        const accountId = caller.accountId;
        if (
          rateLimitPerKey > 0 &&
          !(await ctx.rateLimiter.hit(`account:${accountId}`, rateLimitPerKey)).allowed
        ) {
          return tooMany;
        }
        const id = readPositiveInt(params.id);
        switch (params.action ?? 'list') {
          case 'list': {
            const hooks = await listWebhooks(ctx, accountId);
            return {
              status: '200',
              webhooks: hooks.map((h) => ({ id: String(h.id), url: h.url, created_at: iso(h.createdAt) })),
            };
          }
          case 'add': {
            const added = await addWebhook(ctx, accountId, (params.url ?? '').trim());
            if (added.kind === 'bad_url') return reply('400', 'url must be an http:// or https:// address.');
            if (added.kind === 'internal_address')
              return reply('400', `url is not allowed: ${added.problem}.`);
            if (added.kind === 'too_many') {
              return reply('400', `At most ${MAX_WEBHOOKS_PER_ACCOUNT} webhooks per account.`);
            }
            return {
              status: '200',
              message: 'Webhook added. Keep the secret: it is shown only now.',
              id: String(added.webhook.id),
              url: added.webhook.url,
              secret: added.secret,
            };
          }
          case 'remove':
            if (id === null) return reply('400', 'id is required.');
            return (await removeWebhook(ctx, accountId, id))
              ? reply('200', 'Webhook removed.')
              : reply('404', 'Webhook not found.');
          case 'test': {
            if (id === null) return reply('400', 'id is required.');
            const sent = await sendTestEvent(ctx, accountId, id);
            if (!sent) return reply('404', 'Webhook not found.');
            // Delivered or not, nothing more: what the receiver answered is no business of the caller's here.
            return {
              status: '200',
              delivered: sent.ok,
              delivery_id: String(sent.deliveryId),
              message: sent.ok ? 'Delivered.' : 'Not delivered; it is retried like any delivery.',
            };
          }
          case 'deliveries': {
            const rows = await listDeliveries(ctx, accountId, id);
            return {
              status: '200',
              deliveries: rows.map((d) => ({
                id: String(d.id),
                webhook_id: String(d.webhook_id),
                event: d.event_type,
                state: d.state,
                attempts: d.attempts,
                response_status: d.last_status,
                error: d.last_error ?? '',
                created_at: iso(d.created_at),
                delivered_at: iso(d.delivered_at),
                next_attempt_at: d.state === 'pending' ? iso(d.next_attempt_at) : '',
              })),
            };
          }
          default:
            return reply('400', 'Unknown action: use list, add, remove, test or deliveries.');
        }
      } catch (error) {
        request.log.error({ err: error }, 'webhook request failed');
        return reply('500', 'Internal error: the request could not be completed. Please try again.');
      }
    },
  });
}
