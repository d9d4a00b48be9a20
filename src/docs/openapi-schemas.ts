/**
 * JSON Schemas for the JSON replies, derived from the catalogue's own example bodies so the
 * OpenAPI document and the docs cannot disagree. Value types follow the example text exactly: a
 * quoted "200" is a string, 720 an integer, 120.00 a number. The few replies the reference only
 * describes in words (getEmailCode's statuses) are written out here from docs/EMAIL-API.md.
 */

/** A JSON Schema object (the 2020-12 dialect OpenAPI 3.1 uses). */
export type JsonSchema = Record<string, unknown>;

const DECIMAL = '\uE000decimal';

const isDecimal = (v: unknown): v is string => typeof v === 'string' && v.startsWith(DECIMAL);

/** Marks decimal literals outside strings so inference can tell 120.00 (number) from 720 (integer). */
function markDecimals(text: string): string {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (inString) {
      out += c;
      if (c === '\\') out += text.charAt(++i);
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') {
      inString = true;
      out += c;
      continue;
    }
    const decimal = /^-?\d+\.\d+/.exec(text.slice(i));
    if (decimal && !/[\d.]/.test(text.charAt(i - 1))) {
      out += `"${DECIMAL}${decimal[0]}"`;
      i += decimal[0].length - 1;
      continue;
    }
    out += c;
  }
  return out;
}

/** Parses an example body as the reference prints it ("[ ... ]" stands for more items), or undefined. */
export function parseExampleBody(body: string): unknown {
  const normalized = body.replace(/\[\s*(\.\.\.|…)\s*\]/g, '[]');
  try {
    return JSON.parse(markDecimals(normalized));
  } catch {
    return undefined;
  }
}

/** The example with decimal markers turned back into numbers, for `examples` in the document. */
export function exampleValue(parsed: unknown): unknown {
  if (isDecimal(parsed)) return Number(parsed.slice(DECIMAL.length));
  if (Array.isArray(parsed)) return parsed.map(exampleValue);
  if (parsed && typeof parsed === 'object') {
    return Object.fromEntries(Object.entries(parsed).map(([k, v]) => [k, exampleValue(v)]));
  }
  return parsed;
}

/** An SMS-Activate service code (two or three characters) as a map key: `tg`, or `tg_0` / `107_0` in getNumbersStatus. */
const SERVICE_CODE_KEY = /^(?:[a-z][a-z0-9]{1,2}|\d+)(?:_[01])?$/;

/**
 * Infers a schema from a parsed example: every field required, numeric-keyed maps as maps (and
 * code-keyed ones with `codeKeys`).
 */
export function inferSchema(value: unknown, options: { codeKeys?: boolean } = {}): JsonSchema {
  const infer = (v: unknown) => inferSchema(v, options);
  if (isDecimal(value)) return { type: 'number' };
  if (typeof value === 'string') return { type: 'string' };
  if (typeof value === 'number') return { type: 'integer' };
  if (typeof value === 'boolean') return { type: 'boolean' };
  if (value === null) return { type: 'null' };
  if (Array.isArray(value)) {
    return value.length > 0 ? { type: 'array', items: infer(value[0]) } : { type: 'array' };
  }
  const entries = Object.entries(value as Record<string, unknown>);
  const mapKey = (key: string) =>
    /^\d+$/.test(key) || (options.codeKeys === true && SERVICE_CODE_KEY.test(key));
  if (entries.length > 0 && entries.every(([key]) => mapKey(key))) {
    // Maps keyed by id ({"1": [...], "2": [...]}): the keys vary, the values share one shape.
    const first = entries.find(([, v]) => !(Array.isArray(v) && v.length === 0)) ?? entries[0];
    return { type: 'object', additionalProperties: infer(first?.[1]) };
  }
  const properties: Record<string, JsonSchema> = {};
  for (const [key, v] of entries) {
    properties[key] = key === 'status' && typeof v === 'string' ? { type: 'string', const: v } : infer(v);
  }
  return { type: 'object', properties, required: entries.map(([key]) => key) };
}

const str = { type: 'string' } as const;
const EMAIL_HEAD = { email_id: str, email: str, server: { type: 'integer' } };

const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });
const SMS_MESSAGE = {
  type: 'object',
  properties: { dateTime: str, code: str, text: str },
  required: ['dateTime', 'code', 'text'],
};

/** Replies the reference describes in words only, keyed "<api id>.<action>". */
export const describedReplies: Readonly<Record<string, JsonSchema[]>> = {
  // SMS-Activate-compatible replies whose fields are null until a code comes.
  'sms.getStatusV2': [
    {
      type: 'object',
      properties: {
        verificationType: { type: 'integer' },
        sms: nullable(SMS_MESSAGE),
        call: { type: 'null' },
      },
      required: ['verificationType', 'sms', 'call'],
    },
  ],
  'sms.getActiveActivations': [
    {
      type: 'object',
      properties: {
        status: { type: 'string', const: 'success' },
        activeActivations: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              activationId: str,
              serviceCode: str,
              phoneNumber: str,
              activationCost: str,
              activationStatus: str,
              smsCode: nullable({ type: 'array', items: str }),
              smsText: nullable({ type: 'array', items: str }),
              activationTime: str,
              countryCode: str,
            },
          },
        },
      },
      required: ['status', 'activeActivations'],
    },
    {
      type: 'object',
      properties: {
        status: { type: 'string', const: 'error' },
        error: { type: 'string', const: 'NO_ACTIVATIONS' },
      },
      required: ['status', 'error'],
    },
  ],
  'email.getEmailCode': [
    {
      type: 'object',
      description: 'Still waiting: expires_in is the seconds left of the mailbox',
      properties: {
        status: { type: 'string', const: '202' },
        message: { type: 'string', const: 'Waiting for code...' },
        ...EMAIL_HEAD,
        expires_in: { type: 'integer' },
      },
      required: ['status', 'message', 'email_id', 'email', 'server', 'expires_in'],
    },
    {
      type: 'object',
      description: 'A letter came: the first letter’s code, and every letter',
      properties: {
        status: { type: 'string', const: '200' },
        message: str,
        ...EMAIL_HEAD,
        code: str,
        messages: {
          type: 'array',
          items: {
            type: 'object',
            properties: { code: str, link: str, from: str, text: str, received_at: str },
            required: ['code', 'link', 'from', 'text', 'received_at'],
          },
        },
      },
      required: ['status', 'message', 'email_id', 'email', 'server', 'code', 'messages'],
    },
    {
      type: 'object',
      description: 'Cancelled, expired or failed',
      properties: { status: { type: 'string', const: '300' }, message: str, ...EMAIL_HEAD },
      required: ['status', 'message', 'email_id', 'email', 'server'],
    },
  ],
};
