import { smsReplies } from '../../sms/sms-replies.js';
import type { ActionDoc } from './catalog-types.js';

const ID = {
  name: 'id',
  type: 'string',
  required: true,
  description: 'Order ID from getNumber / getNumberV2 (digits)',
  example: '4817302956114',
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
        body: '{"activationId":"4817302956114","phoneNumber":"925550000001","activationCost":"45.00","currency":586,"countryCode":"61","countryPhoneCode":92,"canGetAnotherSms":false,"activationTime":"2026-03-09 20:57:32","activationEndTime":"2026-03-09 21:17:32","activationOperator":"any"}',
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
      'currency is the ISO 4217 number of PKR (586); countryPhoneCode is null for a country whose dialling code is not known.',
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
    summary:
      'Your activations still waiting for a code or holding one (up to 100, newest first), under both activeActivations and data.',
    params: [],
    replies: [
      {
        label: 'JSON RESPONSE',
        body: '{"status":"success","activeActivations":[{"activationId":"4817302956114","serviceCode":"tg","phoneNumber":"925550000001","activationCost":"45.00","activationStatus":"4","smsCode":null,"smsText":null,"activationTime":"2026-03-09 20:57:32","discount":"0","repeated":"0","countryCode":"61","countryName":"Pakistan","canGetAnotherSms":false,"currency":586}],"data":[…]}',
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
    replies: [
      { label: 'JSON RESPONSE', body: '{"61":{"tg":{"cost":45.00,"count":100}}}', codeKeyedMaps: true },
    ],
    errors: ['BAD_TYPE', 'BAD_COUNTRY', 'BAD_SERVICE'],
    notes: [COMPAT],
  },
  {
    name: 'getNumbersStatus',
    title: 'Get Numbers Status',
    summary:
      'Numbers in stock per service of a country, keyed <service code>_0 (tg_0) as SMS-Activate does; a service with no SMS-Activate code is keyed by its id (107_0).',
    params: [
      { name: 'country', type: 'int', required: true, description: 'Country ID', example: '61' },
      TYPE,
    ],
    replies: [{ label: 'JSON RESPONSE', body: '{"tg_0":100,"wa_0":80}', codeKeyedMaps: true }],
    errors: ['BAD_TYPE', 'BAD_COUNTRY'],
    notes: [COMPAT],
  },
  {
    name: 'getTopCountriesByService',
    title: 'Get Top Countries by Service',
    summary: 'The countries selling a service, most stock first, each with its stock and price in PKR.',
    params: [
      { name: 'service', type: 'string', required: false, description: 'Service id or code', example: 'tg' },
      TYPE,
    ],
    replies: [
      { label: 'JSON RESPONSE', body: '{"0":{"country":61,"count":100,"price":45,"retail_price":45}}' },
    ],
    errors: ['BAD_TYPE', 'BAD_SERVICE'],
    notes: [COMPAT, 'One price per offer here, so price and retail_price are the same.'],
  },
  {
    name: 'getOperators',
    title: 'Get Operators',
    summary:
      'Mobile operators per country. No upstream here lets a customer choose one, so each country lists "any".',
    params: [{ name: 'country', type: 'int', required: false, description: 'Country ID', example: '61' }],
    replies: [
      { label: 'JSON RESPONSE', body: '{"status":"success","countryOperators":{"61":["any"]}}' },
      { label: 'UNKNOWN COUNTRY', body: JSON.stringify(smsReplies.noOperators()) },
    ],
    errors: [],
    notes: [COMPAT],
  },
  {
    name: 'getBalanceAndCashBack',
    title: 'Get Balance and Cashback',
    summary: 'The same reply as getBalance (ACCESS_BALANCE:<PKR>): there is no cashback.',
    params: [],
    replies: [{ label: 'PLAIN TEXT RESPONSE', body: smsReplies.balance('1500.00') }],
    errors: ['BAD_KEY'],
    notes: [COMPAT],
  },
];
