/**
 * Pure parsers for the rent actions' replies (JSON with `"status":"success"` or
 * `{"status":"error","message":"<WORD>"}`; some clones answer errors as plain text).
 */

import { parseCostMicros } from '../../shared/micros.js';
import type { UpstreamMessage } from '../types.js';
import { countOf, phoneDigits } from './activation-replies.js';
import { parseUpstreamDate } from './dates.js';
import { isRecord, listValues, normalizeBody, parseJson, scalarText, shortHash } from './replies.js';

/** The status word of a non-success reply: the JSON `message`/`error`/`title`, or the plain-text head. */
export function rentStatusWord(body: string): string | undefined {
  const json = parseJson(body);
  if (json !== undefined) {
    if (!isRecord(json)) return undefined;
    const status = scalarText(json.status);
    if (status?.toLowerCase() === 'success') return undefined;
    const word = scalarText(json.message ?? json.error ?? json.title) ?? status;
    return word === undefined ? undefined : normalizeWord(word);
  }
  return normalizeWord(normalizeBody(body).split(':')[0] ?? '');
}

function normalizeWord(word: string): string {
  return word.trim().toUpperCase().replace(/\s+/g, '_');
}

/** A rented number as getRentNumber / continueRentNumber describe it. */
export interface RentPhone {
  id: string | undefined;
  phone: string | undefined;
  /** Undefined when the upstream sent no readable endDate. */
  expiresAt: number | undefined;
  costMicros: number | undefined;
}

/** `{"status":"success","phone":{"id","endDate","number"}}` (fields also accepted at the top level). */
export function parseRentPhone(body: string, naiveUtcOffsetMinutes: number): RentPhone | undefined {
  const json = parseJson(body);
  if (!isRecord(json)) return undefined;
  const status = scalarText(json.status)?.toLowerCase();
  if (status !== undefined && status !== 'success') return undefined;
  const phone = isRecord(json.phone) ? json.phone : json;
  const id = scalarText(phone.id ?? json.id)?.trim();
  const number = scalarText(phone.number ?? phone.phone ?? phone.phoneNumber);
  if (id === undefined && number === undefined && status === undefined) return undefined;
  const cost = scalarText(phone.cost ?? json.cost ?? json.price);
  return {
    id: id === '' ? undefined : id,
    phone: number === undefined ? undefined : phoneDigits(number),
    expiresAt: parseUpstreamDate(phone.endDate ?? phone.end_date ?? json.endDate, naiveUtcOffsetMinutes),
    costMicros: cost === undefined ? undefined : parseCostMicros(cost),
  };
}

/** getRentStatus words that mean "no messages to show" rather than an error. */
const EMPTY_INBOX = new Set(['STATUS_WAIT_CODE', 'STATUS_CANCEL', 'STATUS_FINISH', 'STATUS_WAIT_RESEND']);

/**
 * getRentStatus → messages oldest first, or undefined when the reply is neither a message list nor an
 * empty-inbox word. Ids come from the upstream's SMS id where it sends one, otherwise from a hash of the
 * rent id with the raw date, sender and text, so the same SMS keeps its id on every poll.
 */
export function parseRentMessages(
  body: string,
  rentId: string,
  naiveUtcOffsetMinutes: number,
  now: number,
): UpstreamMessage[] | undefined {
  const word = rentStatusWord(body);
  if (word !== undefined) return EMPTY_INBOX.has(word) ? [] : undefined;
  const json = parseJson(body);
  if (!isRecord(json)) return undefined;
  const values = json.values ?? json.messages ?? json.data ?? json.sms;
  if (values === undefined) return scalarText(json.status)?.toLowerCase() === 'success' ? [] : undefined;
  const messages: Array<UpstreamMessage & { order: number }> = [];
  for (const [order, value] of listValues(values).entries()) {
    if (!isRecord(value)) continue;
    const text = scalarText(value.text ?? value.message ?? value.sms) ?? '';
    const sender = scalarText(value.phoneFrom ?? value.from ?? value.sender);
    const rawDate = scalarText(value.date ?? value.receivedAt ?? value.created_at) ?? '';
    const code = scalarText(value.code)?.trim();
    const upstreamId = scalarText(value.smsId ?? value.id)?.trim();
    messages.push({
      id: upstreamId
        ? `sar:${rentId}:${upstreamId}`
        : `sar:${rentId}:${shortHash(rawDate, sender ?? '', text)}`,
      text,
      ...(sender ? { sender } : {}),
      ...(code ? { code } : {}),
      receivedAt: parseUpstreamDate(rawDate, naiveUtcOffsetMinutes) ?? now,
      order,
    });
  }
  // Upstreams list newest first or oldest first; order by time, keeping the upstream order on ties.
  messages.sort((a, b) => a.receivedAt - b.receivedAt || a.order - b.order);
  return messages.map(({ order: _order, ...message }) => message);
}

/** setRentStatus 2 replies meaning the upstream refused (SMS already came, past the 20-minute window). */
const CANCEL_REFUSED = new Set([
  'CANT_CANCEL',
  'ALREADY_FINISH',
  'STATUS_FINISH',
  'INCORECT_STATUS',
  'INCORRECT_STATUS',
]);

/** true = cancelled (also when it already was), false = refused, undefined = something else. */
export function parseRentCancelReply(body: string): boolean | undefined {
  const word = rentStatusWord(body);
  if (word === undefined) return isRecord(parseJson(body)) ? true : undefined;
  if (word === 'ALREADY_CANCEL' || word === 'STATUS_CANCEL' || word === 'SUCCESS') return true;
  if (CANCEL_REFUSED.has(word)) return false;
  return undefined;
}

/** getRentServicesAndCountries → service code → cost and stock (`quant` as number or `{current,total}`). */
export function parseRentOffers(
  body: string,
): Map<string, { costMicros: number; stock: number }> | undefined {
  const json = parseJson(body);
  if (!isRecord(json) || !isRecord(json.services)) return undefined;
  const offers = new Map<string, { costMicros: number; stock: number }>();
  for (const [service, offer] of Object.entries(json.services)) {
    if (!isRecord(offer)) continue;
    const cost = scalarText(offer.cost ?? offer.price);
    const costMicros = cost === undefined ? undefined : parseCostMicros(cost);
    if (costMicros === undefined) continue;
    offers.set(service, { costMicros, stock: countOf(offer.quant ?? offer.count) ?? 0 });
  }
  return offers;
}

/**
 * getRentServicesAndCountries → the upstream country ids that rent numbers: `countries` as an
 * object (`{"0":2,"1":36}`) or an array, the ids as numbers or strings.
 */
export function parseRentCountries(body: string): string[] | undefined {
  const json = parseJson(body);
  if (!isRecord(json) || json.countries === undefined) return undefined;
  const ids = listValues(json.countries)
    .map((id) => scalarText(id))
    .filter((id): id is string => id !== undefined && /^\d{1,9}$/.test(id));
  return [...new Set(ids)];
}
