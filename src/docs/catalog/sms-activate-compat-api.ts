import { smsReplies } from '../../sms/sms-replies.js';
import type { ActionDoc } from './catalog-types.js';

const ID = {
  name: 'id',
  type: 'string',
  required: true,
  description: 'Order ID from getNumber / getNumberV2',
  example: 'abc123xyz',
} as const;
const TYPE = {
  name: 'type',
  type: 'int',
  required: false,
  description: 'Provider (1–6); default 1',
  example: '1',
} as const;
const COMPAT =
  'SMS-Activate-compatible action (not in the reference): clients written for that protocol work by changing the URL and key. Differences: docs/SMS-ACTIVATE-COMPAT.md.';

/**
 * The SMS-Activate-compatible actions of /stubs/handler_api.php (src/sms/sms-activate-compat.ts).
 * Service codes such as tg or wa are accepted wherever a numeric service id is, and getNumber
 * takes maxPrice (PKR): above it the reply is WRONG_MAX_PRICE:<price>.
 */
export const smsActivateCompatDocs: ActionDoc[] = [
  {
    name: 'getNumberV2',
    title: 'Request Number (JSON, SMS-Activate V2)',
    summary:
      'getNumber with a JSON reply. Takes the same parameters, plus maxPrice; service may be a code (tg, wa, …).',
    spends: true,
    params: [
      {
        name: 'service',
        type: 'string',
        required: true,
        description: 'Service id (101) or code (tg)',
        example: 'tg',
      },
      {
        name: 'country',
        type: 'int',
        required: true,
        description: 'Country ID from getCountries',
        example: '61',
      },
      TYPE,
      {
        name: 'maxPrice',
        type: 'string',
        required: false,
        description: 'Highest price in PKR you accept',
        example: '100',
      },
    ],
    replies: [
      {
        label: 'JSON RESPONSE',
        body: '{"activationId":"k3v9q0x2m7ab","phoneNumber":"925550000001","activationCost":"45.00","countryCode":"61","canGetAnotherSms":false,"activationTime":"2026-03-09 20:57:32","activationOperator":"any"}',
      },
    ],
    errors: [
      'BAD_SERVICE',
      'BAD_COUNTRY',
      'BAD_TYPE',
      'NO_BALANCE',
      'NO_NUMBERS',
      'ERROR_PRICE_CHANGE',
      'ERROR_PROVIDER',
      'BAD_DATA',
      'WRONG_MAX_PRICE',
    ],
    notes: [
      COMPAT,
      `Above maxPrice the reply is ${smsReplies.wrongMaxPrice('<our price>')}, as SMS-Activate answers.`,
    ],
  },
  {
    name: 'getStatusV2',
    title: 'Get Activation Status (JSON, SMS-Activate V2)',
    summary:
      'The status as JSON: sms is null while waiting; STATUS_CANCEL (plain text) once cancelled or expired.',
    params: [ID],
    replies: [
      {
        label: 'JSON RESPONSE',
        body: '{"verificationType":0,"sms":{"dateTime":"2026-03-09 20:57:32","code":"52917","text":"Your Telegram code is 52917"},"call":null}',
      },
    ],
    errors: ['BAD_ID', 'NO_ACTIVATION'],
    notes: [COMPAT],
  },
  {
    name: 'getFullSms',
    title: 'Get Full SMS',
    summary: 'The whole message text: FULL_SMS:<text>, or STATUS_WAIT_CODE / STATUS_CANCEL.',
    params: [ID],
    replies: [{ label: 'PLAIN TEXT RESPONSE', body: smsReplies.fullSms('Your Telegram code is 52917') }],
    errors: ['BAD_ID', 'NO_ACTIVATION'],
    notes: [COMPAT],
  },
  {
    name: 'getActiveActivations',
    title: 'Get Active Activations',
    summary: 'Your activations still waiting for a code or holding one (up to 100, newest first).',
    params: [],
    replies: [
      {
        label: 'JSON RESPONSE',
        body: '{"status":"success","activeActivations":[{"activationId":"k3v9q0x2m7ab","serviceCode":"101","phoneNumber":"925550000001","activationCost":"45.00","activationStatus":"4","smsCode":null,"smsText":null,"activationTime":"2026-03-09 20:57:32","countryCode":"61"}]}',
      },
      { label: 'NONE', body: JSON.stringify(smsReplies.noActivations()) },
    ],
    errors: [],
    notes: [COMPAT],
  },
  {
    name: 'getPrices',
    title: 'Get Prices',
    summary:
      'Prices (PKR) and stock by country and service; country and service (id or code) narrow it down.',
    params: [
      { name: 'country', type: 'int', required: false, description: 'Country ID', example: '61' },
      { name: 'service', type: 'string', required: false, description: 'Service id or code', example: 'tg' },
      TYPE,
    ],
    replies: [{ label: 'JSON RESPONSE', body: '{"61":{"101":{"cost":45.00,"count":100}}}' }],
    errors: ['BAD_TYPE', 'BAD_COUNTRY', 'BAD_SERVICE'],
    notes: [COMPAT],
  },
  {
    name: 'getNumbersStatus',
    title: 'Get Numbers Status',
    summary: 'Numbers in stock per service of a country, keyed <service id>_0 as SMS-Activate does.',
    params: [
      { name: 'country', type: 'int', required: true, description: 'Country ID', example: '61' },
      TYPE,
    ],
    replies: [{ label: 'JSON RESPONSE', body: '{"101_0":100,"102_0":80}' }],
    errors: ['BAD_TYPE', 'BAD_COUNTRY'],
    notes: [COMPAT],
  },
];
