import { createHmac, timingSafeEqual } from 'node:crypto';

/** How far X-Timestamp may be from our clock, either way (the gateway project's advice: ±5 min). */
export const SIGNATURE_TOLERANCE_MS = 5 * 60_000;

export type SignatureCheck = 'ok' | 'missing' | 'bad_timestamp' | 'stale' | 'bad_signature';

/** Hex HMAC-SHA256 of the raw body followed by the timestamp, as capcom6/android-sms-gateway signs. */
export function signGatewayPayload(secret: string, rawBody: Buffer | string, timestamp: string): string {
  return createHmac('sha256', secret).update(rawBody).update(timestamp).digest('hex');
}

/**
 * Verifies X-Signature / X-Timestamp over the body bytes exactly as received (never re-serialised
 * JSON), in constant time. A timestamp outside the tolerance is refused, so a captured request
 * cannot be replayed later.
 */
export function checkGatewaySignature(input: {
  secret: string;
  rawBody: Buffer;
  signature: string | undefined;
  timestamp: string | undefined;
  nowMs: number;
}): SignatureCheck {
  const { signature, timestamp } = input;
  if (!signature || !timestamp) return 'missing';
  if (!/^\d{1,12}$/.test(timestamp.trim())) return 'bad_timestamp';
  if (Math.abs(input.nowMs - Number(timestamp.trim()) * 1000) > SIGNATURE_TOLERANCE_MS) return 'stale';
  const expected = Buffer.from(signGatewayPayload(input.secret, input.rawBody, timestamp.trim()), 'hex');
  const given = /^[0-9a-fA-F]{64}$/.test(signature.trim()) ? Buffer.from(signature.trim(), 'hex') : null;
  if (!given || !timingSafeEqual(expected, given)) return 'bad_signature';
  return 'ok';
}
