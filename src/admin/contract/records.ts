import { Type } from '@sinclair/typebox';
import { Nullable } from '../../http/contract/route-spec.js';

/**
 * The records the console API answers with, as JSON Schema (TypeBox). One source for the reply
 * types the route handlers must return, the JSDoc types `public/admin/admin.js` is checked against,
 * and the OpenAPI document. Imports nothing but TypeBox and the contract helpers (which import only
 * TypeBox): the browser script's type check reads it.
 */

/** Epoch milliseconds. */
const Ms = Type.Integer({ description: 'epoch milliseconds' });
/** An amount in paisa (1 PKR = 100 paisa); negative for debits. */
const Paisa = Type.Integer({ description: 'paisa (1 PKR = 100 paisa)' });

export const Operator = Type.Object({
  id: Type.Integer(),
  email: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('disabled')]),
  createdAt: Ms,
});

export const Account = Type.Object({
  id: Type.Integer(),
  name: Nullable(Type.String()),
  email: Nullable(Type.String()),
  status: Type.Union([Type.Literal('active'), Type.Literal('blocked')]),
  balance: Paisa,
  createdAt: Ms,
});

export const StatementLine = Type.Object({
  id: Type.Integer(),
  amount: Paisa,
  balanceAfter: Paisa,
  kind: Type.String(),
  reference: Type.String(),
  note: Nullable(Type.String()),
  createdAt: Ms,
});

export const TopupRequest = Type.Object({
  id: Type.Integer(),
  accountId: Type.Integer(),
  amount: Paisa,
  method: Type.String(),
  paymentReference: Type.String(),
  note: Nullable(Type.String()),
  state: Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]),
  decidedBy: Nullable(Type.Integer()),
  decidedAt: Nullable(Ms),
  decisionNote: Nullable(Type.String()),
  createdAt: Ms,
});

/** An order of any product line, as the console lists it. */
export const Order = Type.Object({
  line: Type.String({ description: 'the product line: sms, cheap, rental, email, …' }),
  id: Type.Integer({ description: "the line's row id; `<line>/<id>` names the order" }),
  publicId: Type.String({ description: 'what the customer sees (activation id, email_id)' }),
  accountId: Type.Integer(),
  state: Type.String({ description: "the line's own state name" }),
  price: Paisa,
  address: Nullable(Type.String({ description: 'phone number or email address, once known' })),
  item: Type.String(),
  code: Nullable(Type.String()),
  codeAt: Nullable(Ms),
  upstreamId: Type.Integer(),
  upstreamOrderId: Nullable(Type.String()),
  createdAt: Ms,
  updatedAt: Ms,
});

export const TimelineEvent = Type.Object({ at: Ms, what: Type.String(), detail: Nullable(Type.String()) });

const DayFigures = Type.Object({
  day: Ms,
  sales: Paisa,
  refunds: Paisa,
  topups: Paisa,
  upstreamCost: Paisa,
  margin: Paisa,
});

export const Overview = Type.Object({
  days: Type.Array(DayFigures),
  totals: Type.Object({
    sales: Paisa,
    refunds: Paisa,
    topups: Paisa,
    upstreamCost: Paisa,
    margin: Paisa,
    customerBalances: Paisa,
    accounts: Type.Integer(),
  }),
  pendingTopups: Type.Integer(),
  ordersByState: Type.Array(
    Type.Object({ line: Type.String(), state: Type.String(), count: Type.Integer() }),
  ),
  delivery: Type.Array(
    Type.Object({
      line: Type.String(),
      upstream: Type.String(),
      service: Type.String(),
      settled: Type.Integer(),
      delivered: Type.Integer(),
      meanSeconds: Nullable(Type.Number()),
      medianSeconds: Nullable(Type.Number()),
    }),
  ),
  missingRates: Type.Array(Type.String(), { description: 'cost currencies without an exchange rate' }),
});

export const AuditEntry = Type.Object({
  id: Type.Integer(),
  actor: Type.String(),
  action: Type.String(),
  target: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
  address: Nullable(Type.String()),
  createdAt: Ms,
});

export const UpstreamKind = Type.Union([Type.Literal('sms'), Type.Literal('rental'), Type.Literal('email')]);

/** An upstream account as the console shows it: the key reduced to its last characters. */
export const Upstream = Type.Object({
  id: Type.Integer(),
  name: Type.String(),
  kind: UpstreamKind,
  protocol: Type.String(),
  baseUrl: Nullable(Type.String()),
  apiKeyHint: Nullable(Type.String()),
  currency: Type.String(),
  timeoutMs: Type.Integer(),
  enabled: Type.Boolean(),
  push: Type.Boolean({ description: 'whether a push token is issued' }),
  pushTokenIssuedAt: Nullable(Ms),
  updatedAt: Ms,
});

export const UpstreamWithLoad = Type.Intersect([
  Upstream,
  Type.Object({ last24h: Type.Object({ orders: Type.Integer(), failed: Type.Integer() }) }),
]);

export const UpstreamCall = Type.Object({
  upstreamId: Type.Integer(),
  operation: Type.String(),
  orderRef: Nullable(Type.String()),
  upstreamOrderId: Nullable(Type.String()),
  startedAt: Ms,
  durationMs: Type.Integer(),
  outcome: Type.Union([Type.Literal('ok'), Type.Literal('error')]),
  error: Nullable(Type.String()),
});

export const UpstreamCheck = Type.Union([
  Type.Object({
    ok: Type.Literal(true),
    probe: Type.String(),
    balanceMicros: Nullable(Type.Integer()),
    currency: Type.String(),
    ms: Type.Integer(),
  }),
  Type.Object({ ok: Type.Literal(false), probe: Type.String(), error: Type.String(), ms: Type.Integer() }),
]);

export const PriceSettings = Type.Object({
  rates: Type.Array(
    Type.Object({ currency: Type.String(), pkrPerUnitMicros: Type.Integer(), updatedAt: Ms }),
  ),
  markups: Type.Array(Type.Object({ scope: Type.String(), basisPoints: Type.Integer(), updatedAt: Ms })),
});

/**
 * One upstream's SMS OTP offer: provider type × country × service, with its cost; the customer
 * price is on the key's price row only (null on the other upstreams' offers of the key).
 */
export const SmsOffer = Type.Object({
  type: Type.Integer(),
  countryId: Type.Integer(),
  country: Type.String(),
  serviceId: Type.Integer(),
  service: Type.String(),
  upstreamId: Type.Integer(),
  upstream: Type.String(),
  upstreamCountry: Type.String(),
  upstreamService: Type.String(),
  costMicros: Type.Integer(),
  fixedPricePaisa: Nullable(Paisa),
  pricePaisa: Nullable(Paisa),
  stock: Nullable(Type.Integer()),
  enabled: Type.Boolean(),
});

/** A provider type's route: its upstreams in order, each with its last 24 hours on the type. */
export const SmsRoute = Type.Object({
  type: Type.Integer(),
  policy: Type.String({ description: 'priority, cheapest or best' }),
  upstreams: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      enabled: Type.Boolean(),
      settled: Type.Integer({ description: 'orders of the type settled in the last 24 hours' }),
      delivered: Type.Integer({ description: 'of those, orders that got a code' }),
      medianSecondsToCode: Nullable(Type.Integer()),
    }),
  ),
});

/**
 * One catalogue entry's figures on each upstream that settled orders of it in the last 24 hours:
 * what `best` ranks by, upstreams in the order those figures put them (cost breaks ties).
 */
export const SmsRouteEntry = Type.Object({
  countryId: Type.Integer(),
  country: Type.String(),
  serviceId: Type.Integer(),
  service: Type.String(),
  upstreams: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      settled: Type.Integer({ description: 'orders of the entry settled in the last 24 hours' }),
      delivered: Type.Integer({ description: 'of those, orders that got a code' }),
      successPercent: Type.Integer({
        description: '(delivered + 1) / (settled + 2): the share `best` ranks by, 50 when untried',
      }),
      medianSecondsToCode: Nullable(Type.Integer()),
    }),
  ),
});

export const CatalogSwitches = Type.Object({
  rentalServers: Type.Array(
    Type.Object({
      id: Type.Integer(),
      name: Type.String(),
      upstreamId: Type.Integer(),
      enabled: Type.Boolean(),
      monthlyOnly: Type.Boolean(),
    }),
  ),
  rentalCountries: Type.Array(
    Type.Object({
      id: Type.Integer(),
      serverId: Type.Integer(),
      countryCode: Type.String(),
      name: Type.String(),
      upstreamCountry: Type.String(),
      upstreamService: Nullable(Type.String()),
      enabled: Type.Boolean(),
    }),
  ),
  emailServers: Type.Array(
    Type.Object({ server: Type.Integer(), upstreamId: Type.Integer(), enabled: Type.Boolean() }),
  ),
  emailServices: Type.Array(
    Type.Object({ code: Type.String(), name: Type.String(), site: Type.String(), enabled: Type.Boolean() }),
  ),
});

export const ResetRequest = Type.Object({
  id: Type.Integer(),
  accountId: Type.Integer(),
  email: Type.String(),
  requestedAt: Ms,
});

const counts = <K extends string>(...names: K[]) =>
  Type.Object(
    Object.fromEntries(names.map((n) => [n, Type.Integer()])) as Record<K, ReturnType<typeof Type.Integer>>,
  );

/** One SMS catalogue import from one upstream (what `otpget catalog import` prints). */
export const SmsCatalogueImport = Type.Object({
  upstream: Type.String(),
  ms: Type.Integer({ description: 'how long the import took' }),
  countries: counts('matched', 'added'),
  services: counts('matched', 'added'),
  offers: counts('added', 'updated', 'unchanged', 'disabled'),
});

/** A rental server's import (what `otpget rental import` prints). */
export const RentalCatalogueImport = Type.Object({
  server: Type.Integer(),
  upstreamId: Type.Integer(),
  quotes: Type.Integer({ description: 'quotes asked of the upstream (countries × durations)' }),
  countries: counts('added', 'updated', 'unchanged', 'disabled'),
  tiers: counts('added', 'updated', 'unchanged', 'disabled', 'skipped'),
  skipped: Type.Array(Type.Object({ upstreamCountry: Type.String(), reason: Type.String() })),
});

/** An email server's import (what `otpget email import` prints). */
export const EmailCatalogueImport = Type.Object({
  server: Type.Integer(),
  upstreamId: Type.Integer(),
  sites: Type.Integer({ description: 'sender sites asked of the upstream' }),
  offers: counts('added', 'updated', 'unchanged', 'disabled', 'skipped'),
});
