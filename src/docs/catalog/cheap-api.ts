import { cheapReplies, CHEAP_WORDS as W } from '../../cheap/cheap-replies.js';
import type { ApiDoc, ErrorDoc } from './catalog-types.js';

/**
 * /stubs/cheap_handler.php's replies, as the reference's error table lists them, built from the
 * wire module's own table (src/cheap/cheap-replies.ts): every word of CHEAP_WORDS must have a row,
 * or this does not compile.
 */
export const cheapErrors = {
  BAD_KEY: { reply: W.BAD_KEY, when: 'API key missing or invalid' },
  ACCOUNT_BLOCKED: { reply: W.ACCOUNT_BLOCKED, when: 'Account suspended by admin' },
  BAD_ACTION: { reply: W.BAD_ACTION, when: 'Unknown action parameter' },
  BAD_SERVER: { reply: W.BAD_SERVER, when: 'Server ID missing, not found or inactive' },
  BAD_TYPE: { reply: W.BAD_TYPE, when: 'Type value not 1 or 2' },
  BAD_ID: { reply: W.BAD_ID, when: 'Order ID missing on getStatus/setStatus' },
  BAD_STATUS: { reply: W.BAD_STATUS, when: 'Status not 3, 6 or 8' },
  LOW_BALANCE: { reply: W.LOW_BALANCE, when: 'Insufficient PKR balance to buy number' },
  NO_NUMBERS: { reply: W.NO_NUMBERS, when: 'Provider has no numbers available right now' },
  NO_SERVERS: { reply: W.NO_SERVERS, when: 'No active servers found for given type' },
  NO_SERVICES: { reply: W.NO_SERVICES, when: 'No services found for given server/type' },
  NO_ACTIVATION: { reply: W.NO_ACTIVATION, when: "Order ID not found or doesn't belong to you" },
  DATABASE_ERROR: { reply: W.DATABASE_ERROR, when: 'DB insert failed — balance was not deducted' },
  STATUS_WAIT_CODE: { reply: W.STATUS_WAIT_CODE, when: 'OTP not received yet — keep polling' },
  STATUS_OK: { reply: cheapReplies.code('OTP'), when: 'OTP received — code after the colon' },
  STATUS_CANCEL: { reply: W.STATUS_CANCEL, when: 'Number expired or was cancelled' },
  ACCESS_READY: { reply: W.ACCESS_READY, when: 'Cancelled successfully — balance refunded' },
  ACCESS_FINISH: { reply: W.ACCESS_FINISH, when: 'Activation completed successfully' },
  EARLY_CANCEL_DENIED: { reply: W.EARLY_CANCEL_DENIED, when: 'Cancel attempted within first 2 minutes' },
  NO_SMS_RECEIVED: { reply: W.NO_SMS_RECEIVED, when: 'Tried to complete (3/6) but no OTP yet' },
  TOO_MANY_REQUESTS: {
    reply: W.TOO_MANY_REQUESTS,
    when: 'otpget: more requests per second than allowed — wait for the Retry-After header',
  },
} as const satisfies Record<keyof typeof W, ErrorDoc> & Record<string, ErrorDoc>;

const SERVER = {
  name: 'server',
  type: 'int',
  required: true,
  description: 'Server ID from getServers e.g. 1',
  example: '1',
} as const;
const TYPE = {
  name: 'type',
  type: 'int',
  required: true,
  description: '1 = Server 1',
  example: '1',
} as const;
const ORDER_ID = {
  name: 'id',
  type: 'string',
  required: true,
  description: 'The order_id returned from buyNumber',
  example: 'ORD_6830abc123_741',
} as const;

/** The Cheap Numbers API: 15-minute numbers, full refund on cancel. */
export const cheapApi: ApiDoc = {
  id: 'cheap',
  title: 'Cheap Numbers API',
  path: '/stubs/cheap_handler.php',
  format: 'text',
  jsonActions: ['getServers', 'getServices'],
  intro: [
    'Buy cheap phone numbers instantly for OTP verification. Numbers are valid for 15 minutes with 100% refund on cancel.',
    'Most actions return plain text; getServers and getServices return JSON.',
  ],
  common: {
    badKey: W.BAD_KEY,
    blocked: W.ACCOUNT_BLOCKED,
    badAction: W.BAD_ACTION,
    rateLimited: W.TOO_MANY_REQUESTS,
    internalError: W.DATABASE_ERROR,
  },
  errors: cheapErrors,
  actions: [
    {
      name: 'getBalance',
      title: 'Get Balance',
      summary: 'Check your PKR wallet balance.',
      params: [],
      replies: [{ label: 'PLAIN TEXT RESPONSE', body: cheapReplies.balance('500.00') }],
      errors: [],
    },
    {
      name: 'getServers',
      title: 'Get Servers',
      summary:
        'List all available cheap number servers. Use the returned id as the server param in later calls.',
      params: [{ ...TYPE, required: false, description: '1 = Server 1. Omit to get all Servers.' }],
      replies: [
        {
          label: 'JSON RESPONSE',
          body: '{"1": [\n  {"id": "1", "name": "Random Facebook - Free"},\n  {"id": "2", "name": "Pakistan - Server 2"}\n]}',
        },
      ],
      errors: ['BAD_TYPE', 'NO_SERVERS'],
    },
    {
      name: 'getServices',
      title: 'Get Services',
      summary: 'Get services and pricing for a specific server, with the price in PKR (₨).',
      params: [SERVER, TYPE],
      replies: [
        {
          label: 'JSON RESPONSE',
          body: '{"1": "Random Facebook - Free — ₨0.00",\n"2": "Pakistan Server 2 — ₨50.00"}',
        },
      ],
      errors: ['BAD_SERVER', 'BAD_TYPE', 'NO_SERVICES'],
    },
    {
      name: 'buyNumber',
      title: 'Buy Number',
      summary:
        'Purchase a cheap phone number. Balance is deducted in PKR. The number is valid for 15 minutes. Returns order_id,number,expires_in as plain text.',
      spends: true,
      params: [SERVER, TYPE],
      replies: [
        {
          label: 'SUCCESS — PLAIN TEXT (order_id,number,expires_in_seconds)',
          body: cheapReplies.bought('ORD_6830abc123_741', '923001234567', 900),
          shape: '^ORD_[\\w]+,\\d{6,15},900$',
        },
      ],
      errors: ['LOW_BALANCE', 'NO_NUMBERS', 'BAD_SERVER', 'BAD_TYPE', 'DATABASE_ERROR'],
      notes: [
        "Save the order_id — you'll need it for getStatus and setStatus. The number expires in 15 minutes (900 seconds).",
      ],
    },
    {
      name: 'getStatus',
      title: 'Get Status (Poll OTP)',
      summary: 'Poll every 5–10 seconds after buying to check if an OTP has been received.',
      params: [ORDER_ID],
      replies: [
        { label: 'OTP RECEIVED', body: cheapReplies.code('847293') },
        { label: 'STILL WAITING', body: W.STATUS_WAIT_CODE },
        { label: 'EXPIRED/CANCELLED', body: W.STATUS_CANCEL },
      ],
      errors: ['BAD_ID', 'NO_ACTIVATION'],
    },
    {
      name: 'setStatus',
      title: 'Set Status (Cancel / Complete)',
      summary:
        'Complete a successful activation or cancel for a refund. Cancel (status=8) is only allowed after 2 minutes from purchase and only if no OTP was received.',
      params: [
        ORDER_ID,
        {
          name: 'status',
          type: 'int',
          required: true,
          description: '8 = Cancel & refund | 3 or 6 = Complete (OTP must be received)',
          example: '8',
        },
      ],
      replies: [
        { label: 'CANCELLED (8) — PKR refunded to wallet', body: W.ACCESS_READY },
        { label: 'ALREADY CANCELLED OR EXPIRED (8 again) — nothing more refunded', body: W.STATUS_CANCEL },
        { label: 'COMPLETED (3/6)', body: W.ACCESS_FINISH },
      ],
      errors: ['BAD_ID', 'BAD_STATUS', 'NO_ACTIVATION', 'EARLY_CANCEL_DENIED', 'NO_SMS_RECEIVED'],
    },
  ],
};
