import { readBalance } from '../accounts/accounts.service.js';
import { isPlausiblePublicId } from '../activations/public-id.js';
import type { AppContext } from '../app-context.js';
import { resolveSmsOffer, smsCountries, smsServices } from '../catalog/sms-catalog.service.js';
import { readCatalogInt } from '../http/params.js';
import { type ActionHandler, json, text, type WireEndpoint, type WireReply } from '../http/wire-types.js';
import { IDEMPOTENCY_WORDS } from '../idempotency/idempotency-replies.js';
import { formatPkr } from '../shared/money.js';
import { smsActivateCompatActions } from './sms-activate-compat.js';
import {
  buySmsNumber,
  cancelSmsActivation,
  completeSmsActivation,
  smsActivationStatus,
} from './sms-activations.js';
import { SMS_WORDS, smsReplies } from './sms-replies.js';

/**
 * /stubs/handler_api.php — the SMS OTP API. Plain-text replies except getCountries and
 * getServices (JSON), exactly as the reference documents them. Every reply string of this API
 * comes from sms-replies.ts, the table the docs catalogue documents.
 */
export function handlerApiEndpoint(ctx: AppContext): WireEndpoint {
  const getBalance: ActionHandler = async ({ accountId }) => {
    const balance = await readBalance(ctx.database, accountId);
    return text(balance !== null ? smsReplies.balance(formatPkr(balance)) : SMS_WORDS.BAD_KEY);
  };

  /** `{"1":[{"id":"33","name":"Canada"},…],"2":[…]}`; ids are strings as in the reference. */
  const getCountries: ActionHandler = async ({ params }) => {
    const raw = params.type?.trim() ?? '';
    const type = raw === '' ? null : (readCatalogInt(raw) ?? 'invalid');
    const result = await smsCountries(ctx, type);
    if (result.kind === 'bad_type') return text(SMS_WORDS.BAD_TYPE);
    const body: Record<string, Array<{ id: string; name: string }>> = {};
    for (const [id, countries] of result.byType) {
      body[String(id)] = countries.map((c) => ({ id: String(c.id), name: c.name }));
    }
    return json(body);
  };

  /** `{"101":"Telegram - 45 PKR",…}`. */
  const getServices: ActionHandler = async ({ params }) => {
    const result = await smsServices(ctx, readType(params.type), readCatalogInt(params.country));
    if (result.kind !== 'ok') return catalogError(result.kind);
    const body: Record<string, string> = {};
    for (const s of result.services) body[String(s.id)] = `${s.name} - ${pkrLabel(s.pricePaisa)} PKR`;
    return json(body);
  };

  const getNumber: ActionHandler = async ({ params, accountId }) => {
    const type = readType(params.type);
    const resolved = await resolveSmsOffer(
      ctx,
      type,
      readCatalogInt(params.country),
      readCatalogInt(params.service),
    );
    if (resolved.kind !== 'ok') return catalogError(resolved.kind);
    return buySmsNumber(ctx, accountId, type as number, {
      country: readCatalogInt(params.country) as number,
      service: readCatalogInt(params.service) as number,
      offer: resolved.offer,
    });
  };

  const getStatus: ActionHandler = async ({ params, accountId }) => {
    const id = params.id?.trim() ?? '';
    if (id === '') return text(SMS_WORDS.BAD_ID);
    if (!isPlausiblePublicId(id)) return text(SMS_WORDS.NO_ACTIVATION);
    return smsActivationStatus(ctx, accountId, id);
  };

  const setStatus: ActionHandler = async ({ params, accountId }) => {
    const id = params.id?.trim() ?? '';
    if (id === '') return text(SMS_WORDS.BAD_ID);
    const status = params.status?.trim();
    if (status !== '3' && status !== '6' && status !== '8') return text(SMS_WORDS.BAD_STATUS);
    if (!isPlausiblePublicId(id)) return text(SMS_WORDS.NO_ACTIVATION);
    return status === '8'
      ? cancelSmsActivation(ctx, accountId, id)
      : completeSmsActivation(ctx, accountId, id);
  };

  return {
    path: '/stubs/handler_api.php',
    actions: {
      getBalance,
      getCountries,
      getServices,
      getNumber,
      getStatus,
      setStatus,
      // SMS-Activate-compatible actions; getNumber is wrapped for service codes and maxPrice only,
      // getBalanceAndCashBack is getBalance (there is no cashback).
      ...smsActivateCompatActions(ctx, { getNumber, getBalance }),
    },
    badKey: () => text(SMS_WORDS.BAD_KEY),
    blocked: () => text(SMS_WORDS.ACCOUNT_BLOCKED),
    badAction: () => text(SMS_WORDS.BAD_ACTION),
    rateLimited: () => text(SMS_WORDS.TOO_MANY_REQUESTS),
    internalError: () => text(SMS_WORDS.ERROR_SQL),
    idempotentActions: ['getNumber', 'getNumberV2'],
    idempotencyConflict: (reason) => text(IDEMPOTENCY_WORDS[reason]),
    longPoll: {
      getStatus: {
        line: 'sms',
        orderId: (params) => params.id?.trim() || null,
        isWaiting: (reply) => reply.kind === 'text' && reply.body === SMS_WORDS.STATUS_WAIT_CODE,
      },
    },
  };
}

/**
 * The provider type: 1-6. Absent means type 1, so generic SMS-Activate clients (which never send
 * a type) work; anything present but not 1-6 is BAD_TYPE.
 */
function readType(raw: string | undefined): number | null {
  if (raw === undefined || raw.trim() === '') return 1;
  return readCatalogInt(raw);
}

function catalogError(kind: 'bad_type' | 'bad_country' | 'bad_service'): WireReply {
  return text(
    kind === 'bad_type'
      ? SMS_WORDS.BAD_TYPE
      : kind === 'bad_country'
        ? SMS_WORDS.BAD_COUNTRY
        : SMS_WORDS.BAD_SERVICE,
  );
}

/** "45" for whole rupees (as the reference shows), "45.50" otherwise. */
export function pkrLabel(paisa: number): string {
  const formatted = formatPkr(paisa);
  return formatted.endsWith('.00') ? formatted.slice(0, -3) : formatted;
}
