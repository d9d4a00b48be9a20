import { signGatewayPayload } from '../../src/sim-pool/sms-gateway-signature.js';

/** An `sms:received` envelope exactly as capcom6/android-sms-gateway sends it. */
export function smsReceivedEvent(input: {
  id: string;
  deviceId: string;
  message: string;
  simNumber?: number | null;
  phoneNumber?: string;
  receivedAt?: string;
}) {
  return {
    deviceId: input.deviceId,
    event: 'sms:received',
    id: input.id,
    payload: {
      messageId: 'abc123',
      message: input.message,
      phoneNumber: input.phoneNumber ?? 'Facebook',
      simNumber: input.simNumber === undefined ? 1 : input.simNumber,
      receivedAt: input.receivedAt ?? '2026-01-01T05:00:30.000+05:00',
    },
    webhookId: 'wh-1',
  };
}

/** Posts a body to the webhook signed as the gateway signs (hex HMAC-SHA256 of body + timestamp). */
export async function postSigned(
  url: string,
  body: unknown,
  options: {
    secret: string;
    nowMs: number;
    signature?: string;
    timestamp?: string;
    omit?: 'signature' | 'timestamp';
  },
): Promise<{ status: number; body: string }> {
  const raw = typeof body === 'string' ? body : JSON.stringify(body);
  const timestamp = options.timestamp ?? String(Math.floor(options.nowMs / 1000));
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (options.omit !== 'timestamp') headers['x-timestamp'] = timestamp;
  if (options.omit !== 'signature')
    headers['x-signature'] = options.signature ?? signGatewayPayload(options.secret, raw, timestamp);
  const response = await fetch(`${url}/webhooks/sms-gateway`, { method: 'POST', headers, body: raw });
  return { status: response.status, body: await response.text() };
}
