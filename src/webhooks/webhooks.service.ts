import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { AppContext } from '../app-context.js';
import type { OrderEvent } from '../events/event-bus.js';
import { checkDestination } from './webhook-destination.js';

/** How many live webhooks one account may have. */
export const MAX_WEBHOOKS_PER_ACCOUNT = 5;
const MAX_URL_LENGTH = 2048;

/** A webhook as the customer sees it: never the secret. */
export interface Webhook {
  id: number;
  url: string;
  createdAt: number;
}

/** Extra facts sent with an event (the code, the text, the number or address). */
export type EventDetails = Readonly<Record<string, string | number | null>>;

/** The signature header's value: `sha256=` + hex HMAC-SHA256 of `<timestamp>.<body>` with the webhook's secret. */
export function signPayload(secret: string, timestamp: number, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** http(s) only, no credentials in the URL, bounded length. */
export function isAcceptableUrl(raw: string): boolean {
  if (raw.length === 0 || raw.length > MAX_URL_LENGTH) return false;
  try {
    const url = new URL(raw);
    return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
  } catch {
    return false;
  }
}

export async function listWebhooks(ctx: AppContext, accountId: number): Promise<Webhook[]> {
  const rows = await ctx.db
    .selectFrom('webhooks')
    .select(['id', 'url', 'created_at'])
    .where('account_id', '=', accountId)
    .where('enabled', '=', 1)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, url: r.url, createdAt: r.created_at }));
}

export type AddWebhookResult =
  | { kind: 'ok'; webhook: Webhook; secret: string }
  | { kind: 'bad_url' }
  | { kind: 'internal_address'; problem: string }
  | { kind: 'too_many' };

/** Adds a webhook with a new random secret; the secret is returned here and never again. */
export async function addWebhook(ctx: AppContext, accountId: number, url: string): Promise<AddWebhookResult> {
  if (!isAcceptableUrl(url)) return { kind: 'bad_url' };
  const destination = await checkDestination(ctx.webhookNetwork, url, ctx.config.webhooksAllowPrivate);
  if (destination.kind === 'refused') return { kind: 'internal_address', problem: destination.problem };
  if ((await listWebhooks(ctx, accountId)).length >= MAX_WEBHOOKS_PER_ACCOUNT) return { kind: 'too_many' };
  const secret = `whsec_${randomBytes(24).toString('hex')}`;
  const now = ctx.clock.now();
  const row = await ctx.db
    .insertInto('webhooks')
    .values({ account_id: accountId, url, secret, enabled: 1, created_at: now, removed_at: null })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { kind: 'ok', webhook: { id: row.id, url, createdAt: now }, secret };
}

/** Stops sending to a webhook; its pending deliveries end as failed at their next attempt. */
export async function removeWebhook(ctx: AppContext, accountId: number, id: number): Promise<boolean> {
  const result = await ctx.db
    .updateTable('webhooks')
    .set({ enabled: 0, removed_at: ctx.clock.now() })
    .where('id', '=', id)
    .where('account_id', '=', accountId)
    .where('enabled', '=', 1)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The JSON body of an event: the same `id` goes to every webhook of the account. */
export function eventBody(
  type: string,
  at: number,
  fields: { line?: string; orderId?: string; details?: EventDetails },
): string {
  return JSON.stringify({
    id: randomUUID(),
    type,
    created_at: new Date(at).toISOString(),
    ...(fields.line ? { line: fields.line } : {}),
    ...(fields.orderId ? { order_id: fields.orderId } : {}),
    data: fields.details ?? {},
  });
}

/**
 * Stores one delivery per live webhook of the event's account. Called once, in the process that
 * recorded the news (not by every listener), so each event is delivered once per webhook.
 */
export async function enqueueEventDeliveries(
  ctx: AppContext,
  event: OrderEvent,
  details: EventDetails,
): Promise<void> {
  const hooks = await ctx.db
    .selectFrom('webhooks')
    .select('id')
    .where('account_id', '=', event.accountId)
    .where('enabled', '=', 1)
    .execute();
  if (hooks.length === 0) return;
  const now = ctx.clock.now();
  const payload = eventBody(event.type, now, { line: event.line, orderId: event.orderId, details });
  await ctx.db
    .insertInto('webhook_deliveries')
    .values(
      hooks.map((hook) => ({
        webhook_id: hook.id,
        account_id: event.accountId,
        event_type: event.type,
        payload,
        state: 'pending' as const,
        attempts: 0,
        next_attempt_at: now,
        lease_until: null,
        last_status: null,
        last_error: null,
        created_at: now,
        delivered_at: null,
      })),
    )
    .execute();
}
