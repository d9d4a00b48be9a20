import type { IdempotencyRefusal } from '../../idempotency/idempotency-refusal.js';
import { IDEMPOTENCY_JSON, IDEMPOTENCY_WORDS } from '../../idempotency/idempotency-replies.js';
import type { ApiDoc, ErrorDoc, ParamDoc } from './catalog-types.js';

/**
 * otpget's optional parameters beyond the reference (docs/EXTENSIONS.md), added to the actions
 * that take them. They carry no example, so the reference's code samples stay exactly as written.
 */
const IDEMPOTENCY_KEY: ParamDoc = {
  name: 'idempotency_key',
  type: 'string',
  required: false,
  description:
    'otpget: 1-128 printable characters (or the Idempotency-Key header). A retry with the same key answers the first reply and charges nothing; the same key with other parameters is refused.',
  example: '',
};

const WAIT: ParamDoc = {
  name: 'wait',
  type: 'int',
  required: false,
  description:
    'otpget: long-poll for up to this many seconds (1-30); the reply comes as soon as the code arrives, or the waiting reply at the deadline.',
  example: '',
};

const PURCHASES = new Set(['getNumber', 'getNumberV2', 'buyNumber', 'rentNumber', 'renewRental', 'buyEmail']);
const LONG_POLLS: Record<ApiDoc['id'], string[]> = {
  sms: ['getStatus'],
  cheap: ['getStatus'],
  rental: [],
  email: ['getEmailCode'],
};

const REFUSALS: Readonly<Record<IdempotencyRefusal, { key: string; when: string }>> = {
  different_params: {
    key: 'idempotencyConflict',
    when: 'otpget: this idempotency key was already used with other parameters — nothing done',
  },
  invalid_key: {
    key: 'badIdempotencyKey',
    when: 'otpget: the idempotency key is not 1-128 printable ASCII characters — nothing done',
  },
  in_progress: {
    key: 'idempotencyInProgress',
    when: 'otpget: the first request with this key has not finished — retry later',
  },
};

/**
 * The refusals of an idempotency key, from the words the endpoints really send
 * (src/idempotency/idempotency-replies.ts): plain-text APIs key the row by the word itself.
 */
function idempotencyErrors(api: ApiDoc): Record<string, ErrorDoc> {
  const rows: Record<string, ErrorDoc> = {};
  for (const [reason, { key, when }] of Object.entries(REFUSALS) as [
    IdempotencyRefusal,
    (typeof REFUSALS)[IdempotencyRefusal],
  ][]) {
    if (api.format === 'text') rows[IDEMPOTENCY_WORDS[reason]] = { reply: IDEMPOTENCY_WORDS[reason], when };
    else
      rows[key] = { status: IDEMPOTENCY_JSON[reason].status, reply: IDEMPOTENCY_JSON[reason].message, when };
  }
  return rows;
}

/** Adds otpget's extension parameters, and the idempotency refusals, to the actions that take them. */
export function withExtensionParams(api: ApiDoc): ApiDoc {
  const refusals = idempotencyErrors(api);
  return {
    ...api,
    errors: { ...api.errors, ...refusals },
    actions: api.actions.map((action) => {
      const extra: ParamDoc[] = [];
      const isPurchase = PURCHASES.has(action.name);
      if (isPurchase) extra.push(IDEMPOTENCY_KEY);
      if (LONG_POLLS[api.id].includes(action.name)) extra.push(WAIT);
      const missing = extra.filter((p) => !action.params.some((own) => own.name === p.name));
      if (!missing.length && !isPurchase) return action;
      return {
        ...action,
        params: [...action.params, ...missing],
        errors: isPurchase ? [...action.errors, ...Object.keys(refusals)] : action.errors,
      };
    }),
  };
}
