import {
  ALREADY_CANCELLED_MESSAGE,
  EMAIL_COMMON as C,
  CLOSED_MESSAGES,
  EMAIL_ERRORS,
  type EmailReply,
  insufficientBalanceReply,
  WAITING_MESSAGE,
} from '../../emails/email-replies.js';
import type { ApiDoc, ErrorDoc, ParamDoc } from './catalog-types.js';
import { cancelEmailReplies, emailCodeReplies, emailHistoryReplies } from './email-examples.js';

/** The wire module's messages with one status, as " / " alternatives of one row. */
function messagesWithStatus(status: string, extra: EmailReply[] = []): string {
  const all = [...extra, ...Object.values(EMAIL_ERRORS)].filter((r) => r.status === status);
  return [...new Set(all.map((r) => r.message))].join(' / ');
}

/**
 * /stubs/email_handler.php's statuses and messages, as the reference's error table lists them,
 * built from the wire module's own tables (src/emails/email-replies.ts).
 */
export const emailErrors = {
  badKey: { status: C.badKey.status, reply: C.badKey.message, when: 'Invalid or missing API key' },
  blocked: { status: C.blocked.status, reply: C.blocked.message, when: 'Account suspended by admin' },
  badRequest: {
    status: '400',
    reply: messagesWithStatus('400', [C.badAction]),
    when: 'Missing params or unknown action',
  },
  insufficientBalance: {
    status: insufficientBalanceReply('X', 'Y').status,
    reply: insufficientBalanceReply('X', 'Y').message,
    when: 'Balance too low',
    pattern: '^Insufficient balance\\. Need: \\d+\\.\\d\\d — Have: \\d+\\.\\d\\d$',
  },
  notFound: { status: '404', reply: messagesWithStatus('404'), when: 'Service issue or wrong email_id' },
  failure: {
    status: '500',
    reply: messagesWithStatus('500', [C.internal]),
    when: 'Provider or DB failure',
  },
  notConfigured: { status: '503', reply: messagesWithStatus('503'), when: 'Admin config issue' },
  ok: { status: '200', reply: 'Success', when: 'Success on all actions' },
  waiting: {
    status: '202',
    reply: WAITING_MESSAGE,
    when: 'getEmailCode: OTP not arrived yet — keep polling',
  },
  cancelled: {
    status: '300',
    reply: [...Object.values(CLOSED_MESSAGES), ALREADY_CANCELLED_MESSAGE].join(' / '),
    when: 'Activation was cancelled, expired without a code, or its purchase failed (refunded)',
  },
  rateLimited: {
    status: C.rateLimited.status,
    reply: C.rateLimited.message,
    when: 'otpget: more requests per second than allowed — wait for the Retry-After header',
  },
} as const satisfies Record<string, ErrorDoc>;

const SERVER: ParamDoc = {
  name: 'server',
  type: 'int',
  required: false,
  description:
    '1 = service-based (Instagram, Telegram…), 2 = domain-based (gmail.com, mail.com, gmx.com…); default 1',
  example: '1',
};
const EMAIL_ID: ParamDoc = {
  name: 'email_id',
  type: 'string',
  required: true,
  description: 'email_id from buyEmail',
  example: '7291834',
};

/** The Temporary Email OTP API: a mailbox for one email code; JSON replies. */
export const emailApi: ApiDoc = {
  id: 'email',
  title: 'Temporary Email OTP API',
  path: '/stubs/email_handler.php',
  format: 'json',
  intro: [
    'Buy temporary email addresses from Server 1 (specific services like Gmail OTP for Instagram, Telegram etc.) or Server 2 (multiple email domains — gmail.com, mail.com, gmx.com and more). Add server=1 or server=2 to all requests.',
    'Every reply is JSON with a string status: 200 = success, 202 = waiting, 300 = cancelled.',
  ],
  common: {
    badKey: 'badKey',
    blocked: 'blocked',
    badAction: 'badRequest',
    rateLimited: 'rateLimited',
    internalError: 'failure',
  },
  errors: emailErrors,
  actions: [
    {
      name: 'getEmailServices',
      title: 'Get Email Services / Domains',
      summary:
        'Server 1: returns available services (Instagram, Telegram etc.) for a domain. Server 2: returns available email domains with prices.',
      params: [
        SERVER,
        {
          name: 'domain',
          type: 'string',
          required: false,
          description: 'Server 1: mailbox domain',
          example: 'gmail.com',
        },
        {
          name: 'site',
          type: 'string',
          required: false,
          description: 'Server 2: the site you register on',
          example: '',
        },
      ],
      replies: [
        {
          label: 'SERVER 1 JSON RESPONSE',
          body: '{"status":"200","server":1,"count":65,"services":[\n  {"service_code":"ig","service_name":"Instagram","price":120.00,"count":48},\n  {"service_code":"tg","service_name":"Telegram","price":95.00,"count":120}\n]}',
        },
        {
          label: 'SERVER 2 JSON RESPONSE',
          body: '{"status":"200","server":2,"count":5,"domains":[\n  {"domain":"gmail.com","price":15.60,"count":82000},\n  {"domain":"mail.com","price":1.17,"count":990125}\n]}',
        },
      ],
      errors: ['notFound', 'failure', 'notConfigured'],
    },
    {
      name: 'buyEmail',
      title: 'Buy Email',
      summary:
        'Purchase a temporary email address. Server 1 requires service_id (domain optional, default gmail.com). Server 2 requires domain (site optional).',
      spends: true,
      params: [
        SERVER,
        {
          name: 'service_id',
          type: 'string',
          required: false,
          description: 'Server 1: required (e.g. ig, tg)',
          example: 'ig',
        },
        {
          name: 'domain',
          type: 'string',
          required: false,
          description: 'Server 1: optional (default gmail.com); Server 2: required',
          example: 'gmail.com',
        },
        {
          name: 'site',
          type: 'string',
          required: false,
          description: 'Server 2: optional website',
          example: '',
        },
      ],
      replies: [
        {
          label: 'SERVER 1 RESPONSE',
          body: '{"status":"200","message":"Email activated successfully",\n "email_id":"7291834","email":"temp.abc123@gmail.com",\n "service":"Instagram","domain":"gmail.com","price":120.00,"balance":4880.00,"server":1}',
        },
      ],
      errors: ['badRequest', 'insufficientBalance', 'notFound', 'failure', 'notConfigured'],
    },
    {
      name: 'getEmailCode',
      title: 'Get Email Code (OTP)',
      summary:
        'Poll after buying an email to retrieve the verification code. Call every 5–10 seconds until the code arrives.',
      params: [EMAIL_ID, { ...SERVER, example: '' }],
      replies: emailCodeReplies,
      errors: ['badRequest', 'notFound', 'waiting', 'cancelled'],
    },
    {
      name: 'cancelEmail',
      title: 'Cancel Email',
      summary:
        'Cancel an email activation. If OTP already received → returns code. If still waiting → cancels and refunds.',
      params: [EMAIL_ID, { ...SERVER, example: '' }],
      replies: cancelEmailReplies,
      errors: ['badRequest', 'notFound', 'failure'],
    },
    {
      name: 'getEmailHistory',
      title: 'Get Email History',
      summary: 'Retrieve your past email purchases. Supports pagination (20 records per page).',
      params: [
        { name: 'page', type: 'int', required: false, description: 'Page number, from 1', example: '1' },
      ],
      replies: emailHistoryReplies,
      errors: [],
    },
  ],
};
