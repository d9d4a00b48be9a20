import type { ApiDoc, ParamDoc } from './catalog-types.js';

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

export function withExtensionParams(api: ApiDoc): ApiDoc {
  return {
    ...api,
    actions: api.actions.map((action) => {
      const extra: ParamDoc[] = [];
      if (PURCHASES.has(action.name)) extra.push(IDEMPOTENCY_KEY);
      if (LONG_POLLS[api.id].includes(action.name)) extra.push(WAIT);
      const missing = extra.filter((p) => !action.params.some((own) => own.name === p.name));
      return missing.length ? { ...action, params: [...action.params, ...missing] } : action;
    }),
  };
}
