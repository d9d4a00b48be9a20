import { extractCode } from '../otp/extract-code.js';
import type { UpstreamMessage } from '../providers/types.js';

const MAX_CODE_LENGTH = 200;

/**
 * The code to show in `STATUS_OK:` for a message. An upstream's own short code (SMS-Activate's
 * getStatus gives only that) is trusted; otherwise our extractor reads the full text; a text
 * without anything code-like is shown whole (service "any other"), on one line.
 */
export function codeOfMessage(message: UpstreamMessage, service: string): string {
  const upstream = message.code?.trim();
  if (upstream && /^[\p{L}\p{N}-]{3,12}$/u.test(upstream)) return upstream;
  const extracted =
    extractCode(message.text, { service }) ?? (upstream ? extractCode(upstream, { service }) : null);
  return oneLine(extracted ?? upstream ?? message.text);
}

/** Control characters and line breaks would break a one-line plain-text reply. */
function oneLine(text: string): string {
  return text
    .replace(/\p{Cc}+/gu, ' ')
    .trim()
    .slice(0, MAX_CODE_LENGTH);
}

/** The first message that carries anything; upstreams list oldest first. */
export function firstMessage(messages: UpstreamMessage[]): UpstreamMessage | undefined {
  return messages.find((m) => m.text.trim() !== '' || (m.code ?? '').trim() !== '');
}
