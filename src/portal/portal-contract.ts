import { type TObject, Type } from '@sinclair/typebox';
import {
  Nullable,
  QueryText,
  type ReplyOf,
  type RequestOf,
  type RouteSpec,
  route,
} from '../http/contract/route-spec.js';

/**
 * The dashboard's JSON API (/portal/api): what portal.js sends and gets back, one TypeBox schema
 * per route. The handlers are registered against it (contract-route.ts), so a request is checked
 * before a handler runs and a handler must return the documented reply; portal.js names routes by
 * these keys and is type-checked against `PortalApi` by `npm run typecheck`. Every refusal is
 * `{ ok: false, error }` with a 4xx status, worded for the customer (`PortalFailure`).
 */

/** An SMS OTP or cheap number as the dashboard's order card shows it. Times are epoch ms. */
export const PortalOrder = Type.Object({
  id: Type.String({ description: 'the activation id the API also uses' }),
  phone: Nullable(Type.String()),
  state: Type.String({
    description: 'pending, active, code_received, finished, cancelled, expired or failed',
  }),
  code: Nullable(Type.String()),
  text: Nullable(Type.String({ description: 'the whole message the code came in' })),
  price: Type.String({ description: 'PKR, e.g. "45.00"' }),
  createdAt: Type.Integer(),
  expiresAt: Type.Integer(),
  cancelAllowedAt: Type.Integer(),
  canCancel: Type.Boolean(),
  canComplete: Type.Boolean(),
  waiting: Type.Boolean({ description: 'still waiting for a number or a code: keep polling' }),
});

export const PortalFailure = Type.Object({ ok: Type.Literal(false), error: Type.String() });

const Ok = <T extends TObject>(fields: T) =>
  Type.Composite([Type.Object({ ok: Type.Literal(true) }), fields]);
const Balance = Type.String({ description: 'the balance after the change, PKR' });
const OrderParams = Type.Object({ id: Type.String({ maxLength: 40 }) });
const VerbParams = Type.Object({
  id: Type.String({ maxLength: 40 }),
  verb: Type.String({ maxLength: 20, description: 'cancel or complete (anything else: 404)' }),
});
const BodyText = Type.Optional(Type.String({ maxLength: 20 }));

const orderRead = (line: string) =>
  route({
    summary: `One ${line} order of the signed-in customer (404 for another customer's)`,
    params: OrderParams,
    reply: Ok(Type.Object({ order: PortalOrder })),
  });
const orderVerb = (line: string) =>
  route({
    summary: `Cancels or completes one ${line} order, with what happened in words`,
    params: VerbParams,
    body: Type.Object({}),
    reply: Ok(Type.Object({ message: Type.String(), balance: Balance, order: Nullable(PortalOrder) })),
  });

export const PORTAL_ROUTES = {
  'GET /portal/api/sms/countries': route({
    summary: 'Countries with something on sale for a provider type',
    query: Type.Object({ type: QueryText('provider type 1-6', 9) }),
    reply: Ok(
      Type.Object({ countries: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String() })) }),
    ),
  }),
  'GET /portal/api/sms/services': route({
    summary: "A country's services on sale for a provider type, with their prices",
    query: Type.Object({ type: QueryText('provider type 1-6', 9), country: QueryText('country id', 9) }),
    reply: Ok(
      Type.Object({
        services: Type.Array(Type.Object({ id: Type.Integer(), name: Type.String(), price: Type.String() })),
      }),
    ),
  }),
  'POST /portal/api/sms/orders': route({
    summary: 'Buys an SMS OTP number from the balance',
    body: Type.Object({ type: BodyText, country: BodyText, service: BodyText }),
    reply: Ok(Type.Object({ order: PortalOrder, balance: Balance })),
  }),
  'POST /portal/api/cheap/orders': route({
    summary: 'Buys a 15-minute number on a cheap server',
    body: Type.Object({ server: BodyText }),
    reply: Ok(Type.Object({ order: Nullable(PortalOrder), balance: Balance })),
  }),
  'GET /portal/api/sms/orders/:id': orderRead('SMS OTP'),
  'GET /portal/api/cheap/orders/:id': orderRead('cheap number'),
  'POST /portal/api/sms/orders/:id/:verb': orderVerb('SMS OTP'),
  'POST /portal/api/cheap/orders/:id/:verb': orderVerb('cheap number'),
} satisfies Record<string, RouteSpec>;

export type PortalRouteName = keyof typeof PORTAL_ROUTES;

/** Each route's request and reply (its success; a refusal is `PortalFailure`), for portal.js's JSDoc. */
export type PortalApi = {
  [K in PortalRouteName]: {
    request: RequestOf<(typeof PORTAL_ROUTES)[K]>;
    reply: ReplyOf<(typeof PORTAL_ROUTES)[K]>;
  };
};
