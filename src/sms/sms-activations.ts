import {
  buyActivation,
  cancelActivation,
  completeActivation,
  findCustomerActivation,
  getActivationStatus,
} from '../activations/activations.service.js';
import type { AppContext } from '../app-context.js';
import type { SmsOffer } from '../catalog/catalog.repository.js';
import { typeOfCatalogRef } from '../catalog/sms-catalog.service.js';
import { text, type WireReply } from '../http/wire-types.js';
import { UpstreamError } from '../providers/types.js';
import { SMS_WORDS, smsReplies } from './sms-replies.js';
import { smsActivationOffer } from './sms-routing.js';

/**
 * The SMS OTP API's activation actions on top of the shared engine, worded from sms-replies.ts.
 *
 * Decisions (see docs/ARCHITECTURE.md, "SMS OTP API"):
 * - getStatus: pending/active → STATUS_WAIT_CODE; code_received/finished → STATUS_OK:code;
 *   cancelled/expired/failed → STATUS_CANCEL. One read of our own database, never an upstream call.
 * - A purchase whose upstream reply was lost answers ERROR_PROVIDER_n:NO_REPLY: the customer has
 *   no number to poll, and the reconciler refunds the held price within a few minutes.
 * - Completing (3/6) tells the upstream (status 6); a cancel (8) asks the upstream first and
 *   refunds only once it confirms. Cancel refused because a code came → STATUS_ALREADY_CHANGED
 *   (getStatus then shows the code). Upstream unreachable on cancel → ERROR_PROVIDER_n:raw.
 */

export async function buySmsNumber(
  ctx: AppContext,
  accountId: number,
  type: number,
  input: { country: number; service: number; offer: SmsOffer },
): Promise<WireReply> {
  const offer = await smsActivationOffer(
    ctx,
    { type, country: input.country, service: input.service },
    input.offer,
  );
  if (!offer) return text(SMS_WORDS.NO_NUMBERS); // not priced yet (no exchange rate)
  const result = await buyActivation(ctx, accountId, offer);
  switch (result.kind) {
    case 'ok':
      return text(smsReplies.number(result.activation.publicId, result.activation.phone ?? ''));
    case 'no_balance':
      return text(SMS_WORDS.NO_BALANCE);
    case 'blocked':
      return text(SMS_WORDS.ACCOUNT_BLOCKED);
    case 'upstream_failed':
      return upstreamFailure(type, result.error);
    case 'outcome_unknown':
      return text(smsReplies.providerError(type, 'NO_REPLY'));
    case 'database_error':
      return text(SMS_WORDS.ERROR_SQL);
  }
}

function upstreamFailure(type: number, error: UpstreamError): WireReply {
  if (error.kind === 'no_numbers') return text(SMS_WORDS.NO_NUMBERS);
  if (error.kind === 'price_changed') return text(SMS_WORDS.ERROR_PRICE_CHANGE);
  return text(smsReplies.providerError(type, providerRaw(error)));
}

/** The upstream's reply on one line, without anything that would break a plain-text answer. */
function providerRaw(error: UpstreamError): string {
  const raw = error.raw
    .replace(/[\p{Cc}\p{Cf}]+/gu, ' ')
    .trim()
    .slice(0, 200);
  return raw === '' ? error.kind.toUpperCase() : raw;
}

export async function smsActivationStatus(
  ctx: AppContext,
  accountId: number,
  publicId: string,
): Promise<WireReply> {
  const found = await getActivationStatus(ctx, accountId, 'sms', publicId);
  if (!found) return text(SMS_WORDS.NO_ACTIVATION);
  switch (found.state) {
    case 'pending':
    case 'active':
      return text(SMS_WORDS.STATUS_WAIT_CODE);
    case 'code_received':
    case 'finished':
      return text(found.code === null ? SMS_WORDS.STATUS_CANCEL : smsReplies.code(found.code));
    default:
      return text(SMS_WORDS.STATUS_CANCEL);
  }
}

export async function completeSmsActivation(
  ctx: AppContext,
  accountId: number,
  publicId: string,
): Promise<WireReply> {
  switch (await completeActivation(ctx, accountId, 'sms', publicId)) {
    case 'finished':
      return text(SMS_WORDS.ACCESS_FINISH);
    case 'no_sms_received':
      return text(SMS_WORDS.NO_SMS_RECEIVED);
    case 'already_changed':
      return text(SMS_WORDS.STATUS_ALREADY_CHANGED);
    case 'not_found':
      return text(SMS_WORDS.NO_ACTIVATION);
  }
}

export async function cancelSmsActivation(
  ctx: AppContext,
  accountId: number,
  publicId: string,
): Promise<WireReply> {
  let result: Awaited<ReturnType<typeof cancelActivation>>;
  try {
    result = await cancelActivation(ctx, accountId, 'sms', publicId);
  } catch (error) {
    if (!(error instanceof UpstreamError)) throw error;
    // The upstream could not confirm the cancel: nothing changed; the customer may retry.
    const activation = await findCustomerActivation(ctx, accountId, 'sms', publicId);
    return text(
      smsReplies.providerError(typeOfCatalogRef(activation?.catalogRef ?? '') ?? 1, providerRaw(error)),
    );
  }
  switch (result) {
    case 'cancelled':
      return text(SMS_WORDS.ACCESS_READY);
    case 'early_cancel_denied':
      return text(SMS_WORDS.EARLY_CANCEL_DENIED);
    case 'code_received':
    case 'already_changed':
      return text(SMS_WORDS.STATUS_ALREADY_CHANGED);
    case 'not_found':
      return text(SMS_WORDS.NO_ACTIVATION);
  }
}
