/**
 * A scripted kopeechka.store: `GET /<method>?token=…&type=JSON&api=2.0…`, business errors as
 * HTTP 200 `{"status":"ERROR","value":"<CODE>"}`.
 */
import {
  type EmailFakeRequest,
  encodeJson,
  type FakeReply,
  type FakeRoute,
  RawNumber,
} from './fault-server.js';
import { type BuyResult, letterBody, letterValue, type MailStore } from './mail-store.js';

/**
 * The answer to cancelling a mailbox that already has its letter. The real value is not
 * documented; adapters must treat an unknown refusal as "not cancelled".
 */
export const KOPEECHKA_CANCEL_REFUSED_VALUE = 'ACTIVATION_NOT_CANCELABLE';

const BUY_ERRORS: Record<Exclude<BuyResult, { ok: true }>['error'], string> = {
  bad_site: 'BAD_SITE',
  bad_domain: 'BAD_DOMAIN',
  out_of_stock: 'OUT_OF_STOCK',
  no_balance: 'BAD_BALANCE',
};

export interface KopeechkaRouteOptions {
  token: string;
  pricesAsStrings: boolean;
}

export function kopeechkaRouter(store: MailStore, options: KopeechkaRouteOptions) {
  const error = (value: string): FakeReply => json({ status: 'ERROR', value });
  const price = (cost: string) => (options.pricesAsStrings ? cost : new RawNumber(cost));

  return (request: EmailFakeRequest): FakeRoute => {
    const method = request.path.replace(/^\/+/, '');
    const q = request.query;
    const authorised =
      (run: () => FakeReply, tokenOptional = false) =>
      () =>
        q.token === options.token || (tokenOptional && q.token === undefined) ? run() : error('BAD_TOKEN');

    switch (method) {
      case 'mailbox-get-email':
        return {
          action: 'buy',
          fail: error,
          run: authorised(() => {
            const result = store.buy(q.site ?? '', q.mail_type ?? '');
            if (!result.ok) return error(BUY_ERRORS[result.error]);
            return json({ status: 'OK', id: new RawNumber(result.mailbox.id), mail: result.mailbox.email });
          }),
        };
      case 'mailbox-get-message':
        return {
          action: 'check',
          fail: error,
          run: authorised(() => {
            const mailbox = store.get(q.id ?? '');
            if (!mailbox) return error('NO_ACTIVATION');
            if (mailbox.status === 'cancelled') return error('ACTIVATION_CANCELED');
            if (!mailbox.letter) return error('WAIT_LINK');
            const reply: Record<string, unknown> = { status: 'OK', value: letterValue(mailbox.letter) };
            if (q.full === '1') reply.fullmessage = letterBody(mailbox.letter);
            return json(reply);
          }),
        };
      case 'mailbox-cancel':
        return {
          action: 'cancel',
          fail: error,
          run: authorised(() => {
            const outcome = store.cancel(q.id ?? '');
            if (outcome === 'cancelled') return json({ status: 'OK' });
            if (outcome === 'not_found') return error('NO_ACTIVATION');
            if (outcome === 'already_cancelled') return error('ACTIVATION_CANCELED');
            return error(KOPEECHKA_CANCEL_REFUSED_VALUE);
          }),
        };
      case 'mailbox-zones':
        return {
          action: 'domains',
          fail: error,
          run: authorised(() => {
            const reply: Record<string, unknown> = { status: 'OK' };
            if (q.popular === '1') {
              reply.popular = store
                .domainList()
                .map((domain) => ({ name: domain.name, cost: price(domain.cost), count: domain.stock }));
            }
            if (q.zones === '1') reply.zones = [];
            return json(reply);
          }, true),
        };
      case 'user-balance':
        return {
          action: 'balance',
          fail: error,
          run: authorised(() => json({ status: 'OK', balance: new RawNumber(store.balance()) })),
        };
      default:
        return {
          action: 'other',
          fail: error,
          run: () => ({ status: 404, body: 'Not Found', contentType: 'text/plain' }),
        };
    }
  };
}

function json(value: unknown): FakeReply {
  return { status: 200, body: encodeJson(value) };
}
