/**
 * Pure parsers for the activation actions' success replies. Each returns undefined when the body is not
 * the success shape, so the client can turn it into an UpstreamError with the raw reply.
 */

import { parseCostMicros, parseDecimalToMicros } from '../../shared/micros.js';
import type { SmsActivationState, SmsPurchase, UpstreamMessage } from '../types.js';
import { isRecord, listValues, parseJson, scalarText, shortHash } from './replies.js';

/** Prefix of a plain-text reply, upper-cased, and the text after the FIRST colon (case kept). */
function splitReply(body: string): { head: string; rest: string | undefined } {
  const colon = body.indexOf(':');
  if (colon === -1) return { head: body.trim().toUpperCase(), rest: undefined };
  return { head: body.slice(0, colon).trim().toUpperCase(), rest: body.slice(colon + 1) };
}

/** Phone digits only (upstreams send them without `+`, some clones with spaces or `+`). */
export function phoneDigits(value: string): string {
  return value.replace(/[\s+\-().]/g, '');
}

/**
 * Stable id for an activation's message. getStatus only shows the code, getActiveActivations shows code
 * and text; both derive the id from the activation id and the code so the same SMS gets one id whichever
 * way it was read. Two identical codes on one activation share an id, which is harmless for dedup.
 */
export function activationMessageId(activationId: string, codeOrText: string): string {
  return `sa:${activationId}:${shortHash(codeOrText)}`;
}

function codeMessage(activationId: string, code: string, now: number, text?: string): UpstreamMessage {
  return { id: activationMessageId(activationId, code), text: text ?? code, code, receivedAt: now };
}

/** `ACCESS_NUMBER:$id:$phone`, or the getNumberV2 JSON some clones answer instead. */
export function parseNumberReply(body: string): SmsPurchase | undefined {
  const json = parseJson(body);
  if (isRecord(json)) {
    const id = scalarText(json.activationId ?? json.id);
    const phone = scalarText(json.phoneNumber ?? json.phone ?? json.number);
    if (!id || !phone || phoneDigits(phone) === '') return undefined;
    const cost = scalarText(json.activationCost ?? json.cost);
    const costMicros = cost === undefined ? undefined : parseCostMicros(cost);
    return {
      upstreamOrderId: id.trim(),
      phone: phoneDigits(phone),
      ...(costMicros === undefined ? {} : { costMicros }),
    };
  }
  const parts = body.split(':');
  if ((parts[0] ?? '').trim().toUpperCase() !== 'ACCESS_NUMBER' || parts.length < 3) return undefined;
  const id = (parts[1] ?? '').trim();
  const phone = phoneDigits(parts.slice(2).join(''));
  if (!/^[\w-]+$/.test(id) || !/^\d{5,20}$/.test(phone)) return undefined;
  return { upstreamOrderId: id, phone };
}

/** True when a purchase reply looks like a success we failed to read: the number may have been bought. */
export function looksLikePurchase(body: string): boolean {
  return /ACCESS_NUMBER|activationId/i.test(body);
}

/** getStatus replies. STATUS_OK is split at the first colon only: codes may contain colons and URLs. */
export function parseStatusReply(
  body: string,
  activationId: string,
  now: number,
): SmsActivationState | undefined {
  const { head, rest } = splitReply(body);
  switch (head) {
    case 'STATUS_WAIT_CODE':
    case 'STATUS_WAIT_RESEND':
    case 'STATUS_WAIT_READY':
    case 'STATUS_WAIT_SCREEN':
    case 'STATUS_ACCESS':
      return { state: 'waiting' };
    case 'STATUS_OK': {
      const code = (rest ?? '').trim();
      return code === ''
        ? { state: 'waiting' }
        : { state: 'received', messages: [codeMessage(activationId, code, now)] };
    }
    case 'STATUS_WAIT_RETRY': {
      // A code came, we asked for another (setStatus 3): keep reporting the last one so the order is not
      // mistaken for one that never received anything (which would be cancellable and refundable).
      const code = (rest ?? '').trim();
      return code === ''
        ? { state: 'waiting' }
        : { state: 'received', messages: [codeMessage(activationId, code, now)] };
    }
    case 'STATUS_CANCEL':
    case 'ACCESS_CANCEL': // Tiger answers getStatus with ACCESS_CANCEL.
      return { state: 'cancelled' };
    case 'STATUS_FINISH':
      return { state: 'finished', messages: [] };
    default:
      return undefined;
  }
}

/** setStatus 8 replies meaning the activation is cancelled (again, for a repeated cancel). */
const CANCELLED = new Set(['ACCESS_CANCEL', 'ACCESS_CANCEL_ALREADY', 'ALREADY_CANCEL', 'STATUS_CANCEL']);
/** setStatus 8 replies meaning the upstream refused to cancel (too early, code already came, too late). */
const CANCEL_REFUSED = new Set([
  'EARLY_CANCEL_DENIED',
  'BAD_STATUS',
  'CANT_CANCEL',
  'OTP_RECEIVED',
  'NEW_OTP_RECEIVED',
  'ACTIVATION_NOT_ACTIVE',
  'FREE_CANCELLATION_EXPIRED',
  'ALREADY_FINISH',
  'STATUS_FINISH',
  'STATUS_OK',
  'INCORECT_STATUS',
  'INCORRECT_STATUS',
]);

/** true = cancelled, false = refused, undefined = not a cancel reply. */
export function parseCancelReply(body: string, errorWord: string | undefined): boolean | undefined {
  const head = errorWord ?? splitReply(body).head;
  if (CANCELLED.has(head)) return true;
  if (CANCEL_REFUSED.has(head)) return false;
  return undefined;
}

/** setStatus 6 replies meaning the activation is (already) finished. */
export function isFinishReply(body: string): boolean {
  const { head } = splitReply(body);
  return head === 'ACCESS_ACTIVATION' || head === 'ALREADY_FINISH' || head === 'STATUS_FINISH';
}

/** `ACCESS_BALANCE:12.34` → micros. */
export function parseBalanceReply(body: string): number | undefined {
  const { head, rest } = splitReply(body);
  if (head !== 'ACCESS_BALANCE' || rest === undefined) return undefined;
  return parseDecimalToMicros(rest);
}

/** True for getActiveActivations' "nothing active" answers. */
export function isNoActivations(body: string, errorWord: string | undefined): boolean {
  return (errorWord ?? splitReply(body).head) === 'NO_ACTIVATIONS';
}

/**
 * getActiveActivations JSON in the variants seen: `{activeActivations:[…]}`, `{activeActivations:{"0":…}}`,
 * `{activeActivations:{rows:[…]}}`, `{data:[…]}`, or a bare array. Undefined when none of them matches.
 */
export function parseActiveActivations(
  body: string,
  now: number,
): Map<string, SmsActivationState & { phone: string }> | undefined {
  const json = parseJson(body);
  let rows: unknown[] | undefined;
  if (Array.isArray(json)) rows = json;
  else if (isRecord(json)) {
    const list = json.activeActivations ?? json.data ?? json.activations;
    if (isRecord(list) && (Array.isArray(list.rows) || isRecord(list.rows))) rows = listValues(list.rows);
    else if (Array.isArray(list) || isRecord(list)) rows = listValues(list);
  }
  if (!rows) return undefined;
  const result = new Map<string, SmsActivationState & { phone: string }>();
  for (const row of rows) {
    if (!isRecord(row)) continue;
    const id = scalarText(row.activationId ?? row.id)?.trim();
    if (!id) continue;
    const phone = phoneDigits(scalarText(row.phoneNumber ?? row.phone ?? row.number) ?? '');
    result.set(id, { ...activeRowState(id, row, now), phone });
  }
  return result;
}

function activeRowState(id: string, row: Record<string, unknown>, now: number): SmsActivationState {
  const codes = stringList(row.smsCode ?? row.code);
  const texts = stringList(row.smsText ?? row.text);
  const messages: UpstreamMessage[] = [];
  const count = Math.max(codes.length, texts.length);
  for (let i = 0; i < count; i++) {
    const code = codes[i];
    const text = texts[i];
    if (code !== undefined) messages.push(codeMessage(id, code, now, text));
    else if (text !== undefined) messages.push({ id: activationMessageId(id, text), text, receivedAt: now });
  }
  const status = scalarText(row.activationStatus ?? row.status)?.trim();
  if (status === '8' || status === '10' || status === '-1') return { state: 'cancelled' };
  if (status === '6') return { state: 'finished', messages };
  return messages.length > 0 ? { state: 'received', messages } : { state: 'waiting' };
}

/** `["a","b"]`, `"a"`, `123`, `null` → non-empty trimmed strings. */
function stringList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : [value];
  return items.map((item) => scalarText(item)?.trim() ?? '').filter((item) => item !== '');
}

/** getPrices `{country:{service:{cost,count}}}` → `${country}/${service}` → micros and stock. */
export function parsePrices(body: string): Map<string, { costMicros: number; stock: number }> | undefined {
  const json = parseJson(body);
  if (!isRecord(json)) return undefined;
  const result = new Map<string, { costMicros: number; stock: number }>();
  for (const [country, services] of Object.entries(json)) {
    if (!isRecord(services)) continue;
    for (const [service, offer] of Object.entries(services)) {
      if (!isRecord(offer)) continue;
      const cost = scalarText(offer.cost ?? offer.price);
      const costMicros = cost === undefined ? undefined : parseCostMicros(cost);
      if (costMicros === undefined) continue;
      // HeroSMS reports `count` far above real stock; `physicalCount`, when present, is what can be bought.
      const stock = countOf(offer.physicalCount) ?? countOf(offer.count) ?? countOf(offer.quant) ?? 0;
      result.set(`${country}/${service}`, { costMicros, stock });
    }
  }
  return result;
}

/**
 * getCountries `{"0":{"id":0,"rus":"Россия","eng":"Russia",…},…}` (or an array of such rows) →
 * ids and English names; rows without an id or a name, and hidden ones (`visible: 0`), are left out.
 */
export function parseCountries(body: string): Array<{ id: string; name: string }> | undefined {
  const json = parseJson(body);
  if (!isRecord(json) && !Array.isArray(json)) return undefined;
  const rows = Array.isArray(json)
    ? json
    : Object.entries(json).map(([key, row]) => (isRecord(row) ? { id: key, ...row } : row));
  const countries: Array<{ id: string; name: string }> = [];
  for (const row of rows) {
    if (!isRecord(row)) continue;
    const id = scalarText(row.id)?.trim();
    const name = scalarText(row.eng ?? row.name)?.trim();
    if (!id || !/^\d{1,6}$/.test(id) || !name || scalarText(row.visible) === '0') continue;
    countries.push({ id, name: name.slice(0, 100) });
  }
  return countries;
}

/** getServicesList `{"status":"success","services":[{"code":"tg","name":"Telegram"},…]}` → codes and names. */
export function parseServicesList(body: string): Array<{ code: string; name: string }> | undefined {
  const json = parseJson(body);
  if (!isRecord(json) || !Array.isArray(json.services)) return undefined;
  const services: Array<{ code: string; name: string }> = [];
  for (const row of json.services) {
    if (!isRecord(row)) continue;
    const code = scalarText(row.code)?.trim();
    const name = scalarText(row.name)?.trim();
    if (code && /^[A-Za-z0-9_]{1,16}$/.test(code) && name) services.push({ code, name: name.slice(0, 100) });
  }
  return services;
}

/** A stock count: `5`, `"5"`, or `{current:5,total:9}`. */
export function countOf(value: unknown): number | undefined {
  if (isRecord(value)) return countOf(value.current ?? value.total);
  const text = scalarText(value)?.trim();
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}
