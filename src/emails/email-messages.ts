import { extractEmailCode } from '../otp/extract-email-code.js';
import { htmlToText } from '../otp/html-to-text.js';
import type { UpstreamMessage } from '../providers/types.js';
import type { EmailMessage } from './email-orders.repository.js';

/** Enough structure to say a body is HTML (bounded, so linear). */
const LOOKS_LIKE_HTML = /<(?:html|body|div|table|p|br|span|a|td|head|style)\b[^<>]{0,300}>/i;
/** What an upstream-extracted value must look like to count as a code (kopeechka's default is a link). */
const CODE_SHAPE = /^[A-Za-z0-9][A-Za-z0-9 -]{2,14}[A-Za-z0-9]$/;

/**
 * A received letter as we store and show it: readable text, our own extraction of the code (or,
 * when there is none, the verification link), the raw body kept for the record. The upstream's
 * own extraction is used only when ours finds nothing.
 */
export function toStoredMessage(
  message: UpstreamMessage,
  serviceHint: string,
): Omit<EmailMessage, 'id' | 'orderId'> {
  const isHtml = LOOKS_LIKE_HTML.test(message.text);
  const found = extractEmailCode(
    isHtml ? { html: message.text } : { text: message.text },
    serviceHint ? { service: serviceHint } : undefined,
  );
  const upstreamValue = message.code?.trim() ?? '';
  const upstreamLink = /^https?:\/\//i.test(upstreamValue) ? upstreamValue : '';
  const upstreamCode = !upstreamLink && CODE_SHAPE.test(upstreamValue) ? upstreamValue : '';
  const code = found.code ?? upstreamCode;
  return {
    upstreamMessageId: message.id,
    sender: message.sender ?? '',
    text: isHtml ? htmlToText(message.text) : message.text.trim(),
    raw: message.text,
    code,
    link: code ? '' : (found.link ?? upstreamLink),
    receivedAt: message.receivedAt,
  };
}
