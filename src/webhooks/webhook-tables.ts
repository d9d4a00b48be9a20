import type { Generated } from 'kysely';

/** A customer's webhook: where order events are POSTed and the key they are signed with. */
export interface WebhooksTable {
  id: Generated<number>;
  account_id: number;
  url: string;
  /** HMAC-SHA256 key; shown to the customer once, when the webhook is added. */
  secret: string;
  /** 1 while events are sent; a removed webhook is 0 and keeps its delivery log. */
  enabled: number;
  created_at: number;
  removed_at: number | null;
}

/** One event to one webhook: stored first, then sent (and re-sent with backoff) by a leased worker job. */
export interface WebhookDeliveriesTable {
  id: Generated<number>;
  webhook_id: number;
  account_id: number;
  /** `activation.code`, `email.message`, `rental.sms` or `webhook.test`. */
  event_type: string;
  /** The JSON body sent, exactly; signed as stored. */
  payload: string;
  state: 'pending' | 'delivered' | 'failed';
  attempts: number;
  next_attempt_at: number;
  lease_until: number | null;
  /** The receiver's last HTTP status, null when it could not be reached. */
  last_status: number | null;
  last_error: string | null;
  created_at: number;
  delivered_at: number | null;
}

export interface WebhookTables {
  webhooks: WebhooksTable;
  webhook_deliveries: WebhookDeliveriesTable;
}
