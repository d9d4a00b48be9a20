/**
 * Every JSON body the temp email API sends, in one place. Types follow the reference exactly:
 * `status` is a string ("200"), `server` a number, prices and balances numbers in PKR (120.00 →
 * 120, 15.60 → 15.6), counts numbers, `email_id` a string. Docs: docs/EMAIL-API.md.
 */
import { formatDateTime } from '../shared/clock.js';
import { formatPkr, paisaToPkrNumber } from '../shared/money.js';
import type { EmailErrorCode } from './email-errors.js';
import type { EmailMessage, EmailOrder } from './email-orders.repository.js';

type Body = Record<string, unknown>;

/** A failure body: `status` and `message`. */
export interface EmailReply {
  status: string;
  message: string;
}

const reply = (status: string, message: string): EmailReply => ({ status, message });

/** Each domain failure's reply (insufficient_balance carries amounts: `insufficientBalanceReply`). */
export const EMAIL_ERRORS: Readonly<Record<Exclude<EmailErrorCode, 'insufficient_balance'>, EmailReply>> = {
  missing_service_id: reply('400', 'service_id is required'),
  missing_domain: reply('400', 'domain is required'),
  missing_email_id: reply('400', 'email_id is required'),
  service_not_available: reply('404', 'Service not available'),
  no_stock: reply('404', 'No stock available'),
  not_found: reply('404', 'Email activation not found'),
  upstream_unreachable: reply('500', 'API connection error'),
  no_email: reply('500', 'No email available'),
  database_error: reply('500', 'Database error'),
  not_configured: reply('503', 'Email service not configured'),
  disabled: reply('503', 'Email service disabled'),
  blocked: reply('403', 'ACCOUNT_BLOCKED'),
};

/** The endpoint-wide failures every action shares. */
export const EMAIL_COMMON = {
  badKey: reply('401', 'BAD_KEY'),
  blocked: EMAIL_ERRORS.blocked,
  badAction: reply('400', 'BAD_ACTION'),
  rateLimited: reply('429', 'Too many requests'),
  internal: reply('500', 'Database error'),
} as const;

/** "Need: 120.00 — Have: 15.00", amounts in PKR (the docs pass placeholders). */
export function insufficientBalanceReply(needed: string, have: string): EmailReply {
  return reply('402', `Insufficient balance. Need: ${needed} — Have: ${have}`);
}

export function errorBody(code: EmailErrorCode, amounts?: { needed: number; balance: number }): Body {
  if (code === 'insufficient_balance') {
    return { ...insufficientBalanceReply(formatPkr(amounts?.needed ?? 0), formatPkr(amounts?.balance ?? 0)) };
  }
  return { ...EMAIL_ERRORS[code] };
}

export const badKeyBody = (): Body => ({ ...EMAIL_COMMON.badKey });
export const blockedBody = (): Body => ({ ...EMAIL_COMMON.blocked });
export const badActionBody = (): Body => ({ ...EMAIL_COMMON.badAction });
export const rateLimitedBody = (): Body => ({ ...EMAIL_COMMON.rateLimited });
export const internalErrorBody = (): Body => ({ ...EMAIL_COMMON.internal });

export function servicesBody(
  services: Array<{ serviceCode: string; serviceName: string; price: number; count: number }>,
): Body {
  return {
    status: '200',
    server: 1,
    count: services.length,
    services: services.map((s) => ({
      service_code: s.serviceCode,
      service_name: s.serviceName,
      price: paisaToPkrNumber(s.price),
      count: s.count,
    })),
  };
}

export function domainsBody(domains: Array<{ domain: string; price: number; count: number }>): Body {
  return {
    status: '200',
    server: 2,
    count: domains.length,
    domains: domains.map((d) => ({ domain: d.domain, price: paisaToPkrNumber(d.price), count: d.count })),
  };
}

export function boughtBody(order: EmailOrder, balance: number): Body {
  return {
    status: '200',
    message: BOUGHT_MESSAGE,
    email_id: String(order.id),
    email: order.email ?? '',
    service: order.serviceName,
    domain: order.domain,
    price: paisaToPkrNumber(order.price),
    balance: paisaToPkrNumber(balance),
    server: order.server,
  };
}

function messageBody(m: EmailMessage): Body {
  return {
    code: m.code,
    link: m.link,
    from: m.sender,
    text: m.text,
    received_at: formatDateTime(m.receivedAt),
  };
}

function orderHead(order: EmailOrder): Body {
  return { email_id: String(order.id), email: order.email ?? '', server: order.server };
}

/** 200 with the letters once one came; 202 while waiting; 300 once cancelled, expired or failed. */
export function codeBody(order: EmailOrder, messages: EmailMessage[], now: number): Body {
  switch (order.state) {
    case 'received':
    case 'completed':
      return {
        status: '200',
        message: 'Code received',
        ...orderHead(order),
        code: order.code ?? '',
        messages: messages.map(messageBody),
      };
    case 'pending':
    case 'waiting':
      return {
        status: '202',
        message: WAITING_MESSAGE,
        ...orderHead(order),
        expires_in: Math.max(0, Math.ceil(((order.expiresAt ?? now) - now) / 1000)),
      };
    default:
      return { status: '300', message: CLOSED_MESSAGES[order.state], ...orderHead(order) };
  }
}

/** buyEmail's success message. */
export const BOUGHT_MESSAGE = 'Email activated successfully';
/** getEmailCode while no letter came (status 202). */
export const WAITING_MESSAGE = 'Waiting for code...';
/** cancelEmail on an order already cancelled, expired or failed (status 300). */
export const ALREADY_CANCELLED_MESSAGE = 'Email activation already cancelled';

/** getEmailCode's closed (status 300) messages, by the order's state. */
export const CLOSED_MESSAGES: Readonly<Record<'cancelled' | 'expired' | 'failed', string>> = {
  cancelled: 'Email activation cancelled',
  expired: 'Email activation expired without a code and was refunded',
  failed: 'Email purchase failed and was refunded',
};

export function cancelRefundedBody(order: EmailOrder, balance: number): Body {
  return {
    status: '200',
    message: `Email activation cancelled. ${formatPkr(order.price)} PKR refunded`,
    ...orderHead(order),
    refunded: paisaToPkrNumber(order.price),
    balance: paisaToPkrNumber(balance),
  };
}

export function cancelCompletedBody(order: EmailOrder, messages: EmailMessage[], already: boolean): Body {
  return {
    status: '200',
    message: already
      ? 'Email activation already completed'
      : 'Code already received. Email activation completed',
    ...orderHead(order),
    code: order.code ?? '',
    messages: messages.map(messageBody),
  };
}

export function cancelClosedBody(order: EmailOrder): Body {
  return { status: '300', message: ALREADY_CANCELLED_MESSAGE, ...orderHead(order) };
}

export function cancelPendingBody(order: EmailOrder): Body {
  return {
    status: '202',
    message: 'Purchase still being confirmed. Try again in a minute',
    ...orderHead(order),
  };
}

export function historyBody(page: {
  page: number;
  perPage: number;
  total: number;
  totalPages: number;
  orders: EmailOrder[];
}): Body {
  return {
    status: '200',
    page: page.page,
    per_page: page.perPage,
    total: page.total,
    total_pages: page.totalPages,
    count: page.orders.length,
    history: page.orders.map((o) => ({
      email_id: String(o.id),
      email_address: o.email ?? '',
      server: o.server,
      service_code: o.serviceCode,
      service: o.serviceName,
      domain: o.domain,
      site: o.site,
      price: paisaToPkrNumber(o.price),
      status: o.state,
      code: o.code ?? '',
      created_at: formatDateTime(o.createdAt),
      expires_at: o.expiresAt === null ? '' : formatDateTime(o.expiresAt),
    })),
  };
}
