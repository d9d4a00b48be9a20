/**
 * The capcom6/android-sms-gateway webhook envelope for `sms:received`:
 * {"deviceId", "event", "id", "payload": {"messageId", "message", "phoneNumber", "simNumber",
 * "receivedAt"}, "webhookId"}. `id` is the event id we deduplicate on (`messageId` is derived from
 * the content and not unique); `simNumber` may be null; `receivedAt` is device-local time with an offset.
 */
export interface ReceivedSms {
  eventId: string;
  deviceId: string;
  /** The sender's number or name. */
  sender: string;
  text: string;
  simSlot: number | null;
  /** Epoch ms; null when the device sent no readable time. */
  receivedAt: number | null;
}

export type GatewayEvent = { kind: 'sms_received'; sms: ReceivedSms } | { kind: 'other'; event: string };

const MAX_ID_LENGTH = 200;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function shortString(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 && value.length <= MAX_ID_LENGTH ? value : null;
}

/** Reads a parsed webhook body; null when it is not a well-formed envelope. */
export function readGatewayEvent(body: unknown): GatewayEvent | null {
  if (!isRecord(body)) return null;
  const event = shortString(body.event);
  if (event === null) return null;
  if (event !== 'sms:received') return { kind: 'other', event };
  const eventId = shortString(body.id);
  const deviceId = shortString(body.deviceId);
  const payload = body.payload;
  if (eventId === null || deviceId === null || !isRecord(payload)) return null;
  if (typeof payload.message !== 'string') return null;
  const slot = payload.simNumber;
  const simSlot = typeof slot === 'number' && Number.isSafeInteger(slot) && slot >= 0 ? slot : null;
  if (slot !== null && slot !== undefined && simSlot === null) return null;
  const receivedAt = typeof payload.receivedAt === 'string' ? Date.parse(payload.receivedAt) : Number.NaN;
  return {
    kind: 'sms_received',
    sms: {
      eventId,
      deviceId,
      sender: typeof payload.phoneNumber === 'string' ? payload.phoneNumber.slice(0, MAX_ID_LENGTH) : '',
      text: payload.message,
      simSlot,
      receivedAt: Number.isFinite(receivedAt) ? receivedAt : null,
    },
  };
}
