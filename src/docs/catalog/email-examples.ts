import type { EmailMessage, EmailOrder } from '../../emails/email-orders.repository.js';
import {
  cancelClosedBody,
  cancelCompletedBody,
  cancelPendingBody,
  cancelRefundedBody,
  codeBody,
  historyBody,
} from '../../emails/email-replies.js';
import type { ReplyDoc } from './catalog-types.js';

/**
 * The email API's documented replies of getEmailCode, cancelEmail and getEmailHistory, produced by
 * the wire module's own body builders (src/emails/email-replies.ts) from one sample order, so the
 * examples are exactly what the endpoint sends for such an order.
 */

const BOUGHT_AT = Date.UTC(2026, 2, 9, 20, 55, 0);
const NOW = BOUGHT_AT + 60_000;

const order: EmailOrder = {
  id: 7291834,
  accountId: 1,
  server: 1,
  upstreamId: 1,
  serviceCode: 'ig',
  serviceName: 'Instagram',
  site: 'instagram.com',
  domain: 'gmail.com',
  price: 12_000,
  state: 'waiting',
  email: 'temp.abc123@gmail.com',
  upstreamOrderId: null,
  costMicros: null,
  code: null,
  expiresAt: BOUGHT_AT + 20 * 60_000,
  nextCheckAt: null,
  leaseUntil: null,
  createdAt: BOUGHT_AT,
  updatedAt: BOUGHT_AT,
};

const letter: EmailMessage = {
  id: 1,
  orderId: order.id,
  upstreamMessageId: 'm1',
  sender: 'security@mail.instagram.com',
  text: "482913 is your Instagram code. Don't share it.",
  raw: '',
  code: '482913',
  link: '',
  receivedAt: NOW,
};

const received: EmailOrder = { ...order, state: 'received', code: letter.code };
const show = (body: unknown) => JSON.stringify(body, null, 2);

export const emailCodeReplies: ReplyDoc[] = [
  { label: '202 — STILL WAITING (keep polling)', body: show(codeBody(order, [], NOW)) },
  { label: '200 — CODE RECEIVED', body: show(codeBody(received, [letter], NOW)) },
  {
    label: '300 — CANCELLED, EXPIRED OR FAILED',
    body: show(codeBody({ ...order, state: 'expired' }, [], NOW)),
  },
];

export const cancelEmailReplies: ReplyDoc[] = [
  { label: '200 — CANCELLED AND REFUNDED', body: show(cancelRefundedBody(order, 500_000)) },
  {
    label: '200 — A CODE HAD ARRIVED: COMPLETED, CODE RETURNED',
    body: show(cancelCompletedBody(received, [letter], false)),
  },
  { label: '300 — ALREADY CANCELLED', body: show(cancelClosedBody({ ...order, state: 'cancelled' })) },
  {
    label: '202 — PURCHASE STILL BEING CONFIRMED (retry in a minute)',
    body: show(cancelPendingBody({ ...order, state: 'pending' })),
  },
];

export const emailHistoryReplies: ReplyDoc[] = [
  {
    label: 'RESPONSE (newest first, 20 per page)',
    body: show(
      historyBody({
        page: 1,
        perPage: 20,
        total: 1,
        totalPages: 1,
        orders: [{ ...received, state: 'completed' }],
      }),
    ),
  },
];
