/**
 * What an upstream's push names: SMS-Activate-style bodies, as HeroSMS, DaisySMS and similar send
 * them. Activations: `{activationId, service, text, code, country, receivedAt}`; rentals:
 * `{rentId, sms:{phoneFrom, text, date}}`. Only the order id is used: the push is a hint, and the
 * order's state is read back from the upstream, so a pushed text is never trusted.
 */
export type PushedOrder = { kind: 'activation' | 'rental'; upstreamOrderId: string };

/** The upstream's order id as sent: digits or a short token, as a number or a string. */
function orderId(value: unknown): string | null {
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  return typeof text === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(text) ? text : null;
}

/** The order a push body names, or null when it names none we could look up. */
export function readPushedOrder(body: unknown): PushedOrder | null {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  const fields = body as Record<string, unknown>;
  const rental = orderId(fields.rentId ?? fields.rent_id);
  if (rental !== null) return { kind: 'rental', upstreamOrderId: rental };
  const activation = orderId(fields.activationId ?? fields.activation_id ?? fields.id);
  if (activation !== null) return { kind: 'activation', upstreamOrderId: activation };
  return null;
}
