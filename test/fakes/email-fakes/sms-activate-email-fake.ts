/**
 * A scripted SMS-Activate email API v2 (`/api/v2/emails…`, `X-API-Key` header). Errors are
 * HTTP 4xx with `{"title":"<CODE>","details":"…"}` as in the published OpenAPI document; the
 * 422 titles for stock and balance are not published, so the fake uses OUT_OF_STOCK/BAD_BALANCE.
 */
import {
  type EmailFakeRequest,
  encodeJson,
  type FakeReply,
  type FakeRoute,
  RawNumber,
} from './fault-server.js';
import { type BuyResult, type FakeMailbox, letterBody, letterValue, type MailStore } from './mail-store.js';

/** The title answered when cancelling a mailbox that already has its letter (not documented upstream). */
export const SMS_ACTIVATE_CANCEL_REFUSED_TITLE = 'EMAIL_ALREADY_RECEIVED';

const BUY_ERRORS: Record<Exclude<BuyResult, { ok: true }>['error'], string> = {
  bad_site: 'BAD_SITE',
  bad_domain: 'BAD_DOMAIN',
  out_of_stock: 'OUT_OF_STOCK',
  no_balance: 'BAD_BALANCE',
};

const STATUS_NAMES = { waiting: 'WAIT', received: 'SUCCESS', cancelled: 'CANCEL' } as const;

export interface SmsActivateRouteOptions {
  token: string;
  /** ISO 4217 numeric currency of the account (643 RUB, 840 USD). */
  currency: number;
  pricesAsStrings: boolean;
}

export function smsActivateEmailRouter(store: MailStore, options: SmsActivateRouteOptions) {
  const price = (cost: string) => (options.pricesAsStrings ? cost : new RawNumber(cost));

  const activation = (mailbox: FakeMailbox) => {
    const data: Record<string, unknown> = {
      id: new RawNumber(mailbox.id),
      site: mailbox.site,
      email: mailbox.email,
      status: STATUS_NAMES[mailbox.status],
      cost: price(mailbox.cost),
      currency: options.currency,
      date: new Date(mailbox.createdAt).toISOString(),
    };
    if (mailbox.letter) {
      data.value = letterValue(mailbox.letter);
      data.full_message = letterBody(mailbox.letter);
    }
    return data;
  };

  return (request: EmailFakeRequest): FakeRoute => {
    const key = request.headers['x-api-key'];
    const authorised = (run: () => FakeReply) => () => {
      if (key === undefined) return failure('MISSING_API_KEY');
      if (key !== options.token) return failure('BAD_API_KEY');
      return run();
    };
    const path = request.path.replace(/\/+$/, '');
    const idMatch = /^\/api\/v2\/emails\/(\d+)$/.exec(path);

    if (request.method === 'GET' && path === '/api/v2/emails/domains') {
      return {
        action: 'domains',
        fail: failure,
        run: authorised(() =>
          json(200, {
            data: store.domainList().map((domain) => ({
              name: domain.name,
              cost: price(domain.cost),
              currency: options.currency,
              count: domain.stock,
            })),
          }),
        ),
      };
    }
    if (request.method === 'POST' && path === '/api/v2/emails') {
      return {
        action: 'buy',
        fail: failure,
        run: authorised(() => {
          const body = (
            typeof request.body === 'object' && request.body !== null ? request.body : {}
          ) as Record<string, unknown>;
          const missing = ['site', 'mailDomain'].filter((field) => typeof body[field] !== 'string');
          if (missing.length > 0) {
            const errors = Object.fromEntries(
              missing.map((field) => [field, [`The ${field} field is required.`]]),
            );
            return json(422, { title: 'VALIDATION_ERROR', details: 'Invalid parameters', errors });
          }
          const result = store.buy(String(body.site), String(body.mailDomain));
          if (!result.ok) return failure(BUY_ERRORS[result.error]);
          return json(201, { data: activation(result.mailbox) });
        }),
      };
    }
    if (idMatch && (request.method === 'GET' || request.method === 'DELETE')) {
      const id = idMatch[1] ?? '';
      if (request.method === 'GET') {
        return {
          action: 'check',
          fail: failure,
          run: authorised(() => {
            const mailbox = store.get(id);
            return mailbox ? json(200, { data: activation(mailbox) }) : failure('NOT_FOUND');
          }),
        };
      }
      return {
        action: 'cancel',
        fail: failure,
        run: authorised(() => {
          const outcome = store.cancel(id);
          if (outcome === 'not_found') return failure('NOT_FOUND');
          if (outcome === 'has_letter') return failure(SMS_ACTIVATE_CANCEL_REFUSED_TITLE);
          return { status: 204 };
        }),
      };
    }
    return { action: 'other', fail: failure, run: () => failure('NOT_FOUND') };
  };
}

/** An error answer; the HTTP status follows the title as the OpenAPI document groups them. */
function failure(title: string): FakeReply {
  const status =
    title === 'MISSING_API_KEY' || title === 'BAD_API_KEY' ? 401 : title === 'NOT_FOUND' ? 404 : 422;
  const body: Record<string, unknown> = { title, details: title.toLowerCase().replace(/_/g, ' ') };
  if (status === 422) body.errors = {};
  return json(status, body);
}

function json(status: number, value: unknown): FakeReply {
  return { status, body: encodeJson(value) };
}
