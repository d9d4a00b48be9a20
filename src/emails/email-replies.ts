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

const ERRORS: Readonly<
  Record<Exclude<EmailErrorCode, 'insufficient_balance'>, [status: string, message: string]>
> = {
  missing_service_id: ['400', 'service_id is required'],
  missing_domain: ['400', 'domain is required'],
  missing_email_id: ['400', 'email_id is required'],
  service_not_available: ['404', 'Service not available'],
  no_stock: ['404', 'No stock available'],
  not_found: ['404', 'Email activation not found'],
  upstream_unreachable: ['500', 'API connection error'],
  no_email: ['500', 'No email available'],
  database_error: ['500', 'Database error'],
  not_configured: ['503', 'Email service not configured'],
  disabled: ['503', 'Email service disabled'],
};

export function errorBody(code: EmailErrorCode, amounts?: { needed: number; balance: number }): Body {
  if (code === 'insufficient_balance') {
    const needed = formatPkr(amounts?.needed ?? 0);
    const have = formatPkr(amounts?.balance ?? 0);
    return { status: '402', message: `Insufficient balance. Need: ${needed} — Have: ${have}` };
  }
  const [status, message] = ERRORS[code];
  return { status, message };
}

export const badKeyBody = (): Body => ({ status: '401', message: 'BAD_KEY' });
export const blockedBody = (): Body => ({ status: '403', message: 'ACCOUNT_BLOCKED' });
export const badActionBody = (): Body => ({ status: '400', message: 'BAD_ACTION' });
export const rateLimitedBody = (): Body => ({ status: '429', message: 'Too many requests' });
export const internalErrorBody = (): Body => ({ status: '500', message: 'Database error' });

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
    message: 'Email activated successfully',
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
        message: 'Waiting for code...',
        ...orderHead(order),
        expires_in: Math.max(0, Math.ceil(((order.expiresAt ?? now) - now) / 1000)),
      };
    default:
      return { status: '300', message: CLOSED_MESSAGES[order.state], ...orderHead(order) };
  }
}

const CLOSED_MESSAGES: Readonly<Record<'cancelled' | 'expired' | 'failed', string>> = {
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
  return { status: '300', message: 'Email activation already cancelled', ...orderHead(order) };
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
