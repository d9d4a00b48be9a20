import { Type } from '@sinclair/typebox';
import {
  Id,
  IdParams,
  OptionalText,
  PkrAmount,
  QueryText,
  type ReplyOf,
  type RequestOf,
  route,
  WHOLE_NUMBER,
} from '../../http/contract/route-spec.js';
import {
  Account,
  AuditEntry,
  CatalogSwitches,
  EmailCatalogueImport,
  Operator,
  Order,
  Overview,
  PriceSettings,
  RentalCatalogueImport,
  ResetRequest,
  SmsCatalogueImport,
  SmsOffer,
  SmsRoute,
  SmsRouteEntry,
  StatementLine,
  TimelineEvent,
  TopupRequest,
  Upstream,
  UpstreamCall,
  UpstreamCheck,
  UpstreamKind,
  UpstreamWithLoad,
} from './records.js';

const Limit = QueryText('at most this many rows (a whole number)', 6);
const Enabled = Type.Object({ enabled: Type.Boolean() });
const SwitchReply = Type.Object({ target: Type.String(), enabled: Type.Boolean() });
const KeyParams = Type.Object({ key: Type.String({ maxLength: 64 }) });
const OrderParams = Type.Object({ line: Type.String({ maxLength: 20 }), id: Id });
/** Upstream codes to narrow an import to: ids or service codes (`digits`: country ids only). */
const CodeList = (description: string, digits = false) =>
  Type.Array(Type.String({ pattern: digits ? '^[0-9]{1,9}$' : '^[A-Za-z0-9_]{1,20}$' }), {
    minItems: 1,
    maxItems: 1000,
    description,
  });
const Whole = (description: string) =>
  Type.Union([Type.Integer(), Type.String({ pattern: WHOLE_NUMBER })], { description });

/** Fields of an upstream an operator may set; an empty apiKey keeps the stored one. */
const UpstreamFields = {
  name: Type.String({ minLength: 1, maxLength: 64 }),
  protocol: Type.String({ minLength: 1, maxLength: 40 }),
  baseUrl: OptionalText(500),
  apiKey: OptionalText(500, 'empty or absent keeps the stored key'),
  currency: Type.String({ minLength: 1, maxLength: 3 }),
  timeoutMs: Whole('per-call timeout in milliseconds'),
  enabled: Type.Boolean(),
};

/**
 * The console API under /admin/api, route by route: `src/admin/routes/*` implements each entry
 * (`handle` in admin-route.ts validates requests against it), `public/admin/admin.js` is
 * type-checked against it, and GET /admin/api/openapi.json publishes it.
 */
export const ADMIN_ROUTES = {
  'POST /login': route({
    summary: 'Sign in: returns a bearer token and sets the console cookie (the same token)',
    body: Type.Object({ email: Type.String({ maxLength: 200 }), password: Type.String({ maxLength: 200 }) }),
    reply: Type.Object({ token: Type.String(), expiresAt: Type.Integer(), operator: Operator }),
  }),
  'POST /logout': route({
    summary: 'Ends the session and clears the cookie',
    reply: Type.Object({ ok: Type.Literal(true) }),
  }),
  'GET /me': route({ summary: 'The signed-in operator', reply: Type.Object({ operator: Operator }) }),
  'GET /overview': route({
    summary: 'Sales, refunds, top-ups, cost and margin per day; orders by state; code delivery',
    query: Type.Object({ days: QueryText('days back, 1 to 366 (default 30)', 6) }),
    reply: Overview,
  }),
  'GET /audit': route({
    summary: 'The audit log, newest first',
    query: Type.Object({
      limit: Limit,
      before: QueryText('only entries older than this id'),
      target: QueryText('only entries about this target (e.g. account:12)'),
      action: QueryText('only entries of this action'),
    }),
    reply: Type.Object({ entries: Type.Array(AuditEntry) }),
  }),

  'GET /accounts': route({
    summary: 'Accounts by name, email or id',
    query: Type.Object({ search: QueryText('text or an account id'), limit: Limit, offset: Limit }),
    reply: Type.Object({ accounts: Type.Array(Account) }),
  }),
  'POST /accounts': route({
    summary: 'Creates an account; its API key is shown once, here',
    body: Type.Object({
      name: OptionalText(200),
      email: OptionalText(200),
      balance: Type.Optional(PkrAmount('opening balance in PKR (default 0)')),
    }),
    status: 201,
    reply: Type.Object({ account: Account, apiKey: Type.String() }),
  }),
  'GET /accounts/:id': route({
    summary: 'An account with its last 20 ledger lines and top-up requests',
    params: IdParams,
    reply: Type.Object({
      account: Account,
      ledger: Type.Array(StatementLine),
      topups: Type.Array(TopupRequest),
    }),
  }),
  'POST /accounts/:id/credit': route({
    summary: 'Credits the wallet through the ledger (once per reference)',
    params: IdParams,
    body: Type.Object({
      amount: PkrAmount('PKR, positive'),
      reference: OptionalText(120, 'unique per account; generated when absent'),
      note: OptionalText(500),
    }),
    reply: Type.Object({ balance: Type.Integer(), reference: Type.String() }),
  }),
  'POST /accounts/:id/debit': route({
    summary: 'Debits the wallet through the ledger (refused beyond the balance)',
    params: IdParams,
    body: Type.Object({
      amount: PkrAmount('PKR, positive'),
      reference: OptionalText(120, 'unique per account; generated when absent'),
      note: OptionalText(500),
    }),
    reply: Type.Object({ balance: Type.Integer(), reference: Type.String() }),
  }),
  'POST /accounts/:id/block': route({
    summary: 'Blocks the account: its API key is refused at once',
    params: IdParams,
    reply: Type.Object({ changed: Type.Boolean(), account: Account }),
  }),
  'POST /accounts/:id/unblock': route({
    summary: 'Unblocks the account',
    params: IdParams,
    reply: Type.Object({ changed: Type.Boolean(), account: Account }),
  }),
  'POST /accounts/:id/rotate-key': route({
    summary: 'Replaces the API key; the new one is shown once, here',
    params: IdParams,
    reply: Type.Object({ apiKey: Type.String() }),
  }),
  'GET /accounts/:id/ledger': route({
    summary: 'The statement, newest first; format=csv downloads all of it as CSV',
    params: IdParams,
    query: Type.Object({
      format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
      limit: Limit,
      before: QueryText('only lines older than this id'),
    }),
    alsoCsv: true,
    reply: Type.Object({ entries: Type.Array(StatementLine) }),
  }),
  'POST /accounts/:id/password-link': route({
    summary: 'A one-time portal link to set a password (invite, or reset when the account has a login)',
    params: IdParams,
    body: Type.Object({ email: OptionalText(200, "the login's email when the account has none yet") }),
    status: 201,
    reply: Type.Object({
      url: Type.String(),
      email: Type.String(),
      purpose: Type.Union([Type.Literal('invite'), Type.Literal('reset')]),
      expiresAt: Type.Integer(),
    }),
  }),
  'GET /password-resets': route({
    summary: '"Forgot password" requests waiting for a link',
    reply: Type.Object({ requests: Type.Array(ResetRequest) }),
  }),

  'GET /orders': route({
    summary: 'Orders of every line, newest first: by id, number, email or account',
    query: Type.Object({
      q: QueryText('an order id, phone number or email address'),
      account: Limit,
      limit: Limit,
    }),
    reply: Type.Object({ orders: Type.Array(Order) }),
  }),
  'GET /orders/:line/:id': route({
    summary: 'An order and its timeline (purchase, upstream calls, money, messages, operator actions)',
    params: OrderParams,
    reply: Type.Object({ order: Order, timeline: Type.Array(TimelineEvent) }),
  }),
  'POST /orders/:line/:id/refund': route({
    summary: 'Ends the order at the upstream where possible and refunds it once',
    params: OrderParams,
    body: Type.Object({ reason: OptionalText(200) }),
    reply: Type.Object({ order: Order }),
  }),

  'GET /topups': route({
    summary: 'Top-up requests, newest first',
    query: Type.Object({
      state: Type.Optional(
        Type.Union(['pending', 'approved', 'rejected', 'all', ''].map((s) => Type.Literal(s))),
      ),
      account: QueryText('only this account (an id)'),
      limit: Limit,
    }),
    reply: Type.Object({ topups: Type.Array(TopupRequest) }),
  }),
  'POST /topups/:id/approve': route({
    summary: 'Approves a pending request: credits the wallet once',
    params: IdParams,
    body: Type.Object({ note: OptionalText(500) }),
    reply: Type.Object({ request: TopupRequest, balance: Type.Integer() }),
  }),
  'POST /topups/:id/reject': route({
    summary: 'Rejects a pending request',
    params: IdParams,
    body: Type.Object({ note: OptionalText(500) }),
    reply: Type.Object({ request: TopupRequest }),
  }),

  'GET /upstreams': route({
    summary: 'Upstream accounts (keys masked) with their orders and failures of the last 24 hours',
    reply: Type.Object({ upstreams: Type.Array(UpstreamWithLoad) }),
  }),
  'POST /upstreams': route({
    summary: 'Adds an upstream account',
    body: Type.Object({
      kind: UpstreamKind,
      name: UpstreamFields.name,
      protocol: UpstreamFields.protocol,
      baseUrl: UpstreamFields.baseUrl,
      apiKey: UpstreamFields.apiKey,
      currency: Type.Optional(UpstreamFields.currency),
      timeoutMs: Type.Optional(UpstreamFields.timeoutMs),
      enabled: Type.Optional(UpstreamFields.enabled),
    }),
    status: 201,
    reply: Type.Object({ upstream: Upstream }),
  }),
  'PATCH /upstreams/:id': route({
    summary: 'Changes an upstream account (only the fields sent)',
    params: IdParams,
    body: Type.Partial(Type.Object(UpstreamFields)),
    reply: Type.Object({ upstream: Upstream }),
  }),
  'POST /upstreams/:id/enable': route({
    summary: 'Enables an upstream account',
    params: IdParams,
    reply: Type.Object({ upstream: Upstream }),
  }),
  'POST /upstreams/:id/disable': route({
    summary: 'Disables an upstream account: no new purchases from it',
    params: IdParams,
    reply: Type.Object({ upstream: Upstream }),
  }),
  'GET /upstreams/:id/check': route({
    summary: 'A read-only call to the upstream (its balance where the protocol has one)',
    params: IdParams,
    reply: Type.Object({ check: UpstreamCheck }),
  }),
  'GET /upstreams/:id/calls': route({
    summary: "The upstream's most recent calls, newest first",
    params: IdParams,
    query: Type.Object({ limit: Limit }),
    reply: Type.Object({ calls: Type.Array(UpstreamCall) }),
  }),

  'GET /prices': route({ summary: 'Exchange rates and markups', reply: PriceSettings }),
  'PUT /prices/rates/:currency': route({
    summary: 'Sets the PKR price of one unit of a currency',
    params: Type.Object({ currency: Type.String({ maxLength: 3 }) }),
    body: Type.Object({ pkr: Type.String({ maxLength: 30, description: 'PKR per unit, e.g. "280.50"' }) }),
    reply: Type.Object({ currency: Type.String(), pkrPerUnitMicros: Type.Integer() }),
  }),
  'PUT /prices/markups/:scope': route({
    summary: 'Sets the markup of a scope (sms, sms:type:1, rental, …)',
    params: Type.Object({ scope: Type.String({ maxLength: 64 }) }),
    body: Type.Object({ percent: Type.String({ maxLength: 10, description: 'e.g. "25" or "12.5"' }) }),
    reply: Type.Object({ scope: Type.String(), basisPoints: Type.Integer() }),
  }),
  'GET /prices/preview': route({
    summary: 'The customer price of a cost under the given scopes',
    query: Type.Object({
      cost: QueryText('the upstream cost, e.g. "0.25"', 30),
      currency: QueryText('the cost currency (default USD)', 3),
      scopes: QueryText('markup scopes, comma-separated'),
    }),
    reply: Type.Object({ pricePaisa: Type.Integer() }),
  }),

  'GET /catalog/sms': route({
    summary: 'SMS OTP offers with cost and price',
    query: Type.Object({ type: QueryText('provider type 1-6', 9), country: QueryText('country id', 9) }),
    reply: Type.Object({ offers: Type.Array(SmsOffer) }),
  }),
  'PATCH /catalog/sms/:type/:country/:service': route({
    summary: 'Sets or clears the fixed price of an offer, or enables or disables it',
    params: Type.Object({
      type: Type.String({ pattern: WHOLE_NUMBER }),
      country: Type.String({ pattern: WHOLE_NUMBER }),
      service: Type.String({ pattern: WHOLE_NUMBER }),
    }),
    body: Type.Object({
      upstreamId: Type.Optional(
        Type.Integer({ description: "whose offer of the key; default the type's first upstream" }),
      ),
      fixedPrice: Type.Optional(
        Type.Union([Type.String({ maxLength: 30 }), Type.Null()], {
          description: 'PKR like "45.00"; null or "" clears it',
        }),
      ),
      enabled: Type.Optional(Type.Boolean()),
    }),
    reply: Type.Object({ offer: SmsOffer }),
  }),
  'GET /catalog/sms/routes': route({
    summary: "Each provider type's route and policy, with the figures `best` ranks upstreams by",
    reply: Type.Object({ routes: Type.Array(SmsRoute) }),
  }),
  'GET /catalog/sms/routes/:type/entries': route({
    summary:
      "A provider type's entries (country × service) with each upstream's figures on them: what `best` ranks by",
    params: Type.Object({ type: Type.String({ pattern: WHOLE_NUMBER }) }),
    reply: Type.Object({
      type: Type.Integer(),
      policy: Type.String(),
      entries: Type.Array(SmsRouteEntry, { description: 'most orders first, at most 200' }),
    }),
  }),
  'PUT /catalog/sms/routes/:type': route({
    summary: 'Sets the upstreams a provider type buys from, in order, and optionally its policy',
    params: Type.Object({ type: Type.String({ pattern: WHOLE_NUMBER }) }),
    body: Type.Object({
      upstreams: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), {
        minItems: 1,
        maxItems: 10,
        description: 'upstream ids or names, the first tried first',
      }),
      policy: Type.Optional(
        Type.Union([Type.Literal('priority'), Type.Literal('cheapest'), Type.Literal('best')]),
      ),
    }),
    reply: Type.Object({ route: SmsRoute }),
  }),
  'POST /catalog/sms/import/:type': route({
    summary:
      "Imports a provider type's catalogue from one upstream, or from each upstream of its route (`otpget catalog import`)",
    params: Type.Object({ type: Type.String({ pattern: WHOLE_NUMBER }) }),
    body: Type.Object({
      upstream: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'id or name' })),
      countries: Type.Optional(CodeList('upstream country ids to import')),
      services: Type.Optional(CodeList('upstream service codes to import')),
    }),
    reply: Type.Object({ imports: Type.Array(SmsCatalogueImport) }),
  }),
  'POST /catalog/rental/import/:server': route({
    summary: "Imports a rental server's countries and tiers from its upstream (`otpget rental import`)",
    params: Type.Object({ server: Type.String({ pattern: WHOLE_NUMBER }) }),
    body: Type.Object({
      countries: Type.Optional(CodeList('upstream country ids to import', true)),
      durations: Type.Optional(
        Type.Array(Type.Integer({ minimum: 1, maximum: 100_000 }), { minItems: 1, maxItems: 10 }),
      ),
      reprice: Type.Optional(Type.Boolean({ description: 'also reprice tiers with a fixed price' })),
    }),
    reply: Type.Object({ import: RentalCatalogueImport }),
  }),
  'POST /catalog/email/import/:server': route({
    summary: "Imports an email server's offers from its upstream's domain list (`otpget email import`)",
    params: Type.Object({ server: Type.String({ pattern: WHOLE_NUMBER }) }),
    body: Type.Object({
      services: Type.Optional(CodeList('server-1 service codes to import')),
      reprice: Type.Optional(Type.Boolean({ description: 'also reprice offers priced by hand' })),
    }),
    reply: Type.Object({ import: EmailCatalogueImport }),
  }),
  'GET /catalog/switches': route({
    summary: 'The on/off switches of rental servers and countries, email servers and services',
    reply: CatalogSwitches,
  }),
  'PATCH /catalog/rental/servers/:key': route({
    summary: 'Turns a rental server on or off (off answers 503)',
    params: KeyParams,
    body: Enabled,
    reply: SwitchReply,
  }),
  'PATCH /catalog/rental/countries/:key': route({
    summary: 'Shows or hides a rental country',
    params: KeyParams,
    body: Enabled,
    reply: SwitchReply,
  }),
  'PATCH /catalog/email/servers/:key': route({
    summary: 'Turns an email server on or off',
    params: KeyParams,
    body: Enabled,
    reply: SwitchReply,
  }),
  'PATCH /catalog/email/services/:key': route({
    summary: 'Shows or hides an email service',
    params: KeyParams,
    body: Enabled,
    reply: SwitchReply,
  }),
};

export type AdminRouteName = keyof typeof ADMIN_ROUTES;

/** Each route's request and reply types, for the handlers and for the console script's JSDoc. */
export type AdminApi = {
  [K in AdminRouteName]: {
    request: RequestOf<(typeof ADMIN_ROUTES)[K]>;
    reply: ReplyOf<(typeof ADMIN_ROUTES)[K]>;
  };
};
