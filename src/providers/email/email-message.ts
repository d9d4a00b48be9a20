import { createHash } from 'node:crypto';
import type { UpstreamMessage } from '../types.js';

/**
 * The message of an email activation. Email upstreams give neither a message id nor a receive
 * time, so the id hashes the order and the content: polling the same letter again yields the
 * same id, and the caller keeps the receivedAt of the first sighting.
 */
export function toEmailMessage(
  upstreamOrderId: string,
  text: string,
  code: string | undefined,
): UpstreamMessage {
  const id = createHash('sha256')
    .update(`${upstreamOrderId}\n${code ?? ''}\n${text}`)
    .digest('hex')
    .slice(0, 32);
  const message: UpstreamMessage = { id, text, receivedAt: Date.now() };
  if (code !== undefined && code !== '') message.code = code;
  return message;
}
