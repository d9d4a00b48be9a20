import type { Executor, Trx } from '../db/database.js';
import type { InvariantCheck } from '../wallet/ledger-check.js';
import type { Job } from '../workers/worker.js';

/**
 * What a product line gives the core. The console, `otpget ledger check`, the worker's job list,
 * the metrics and the order search iterate the registry built once in `app.ts`; no core module
 * imports a line. Each line registers itself from its own folder (`activations/activation-lines.ts`
 * for SMS OTP and cheap numbers, `rentals/rental-line.ts`, `emails/email-line.ts`).
 */

/** The lines that sell orders, in the order the console and the CLI list them. */
export type LineName = 'sms' | 'cheap' | 'rental' | 'email';

/** One order of any line, as the console's and the CLI's order search lists it. */
export interface OrderSummary {
  line: LineName;
  /** The line's row id: `<line>/<id>` names an order in the console's URLs. */
  id: number;
  /** What the customer sees (activation id, email_id). */
  publicId: string;
  accountId: number;
  state: string;
  /** Paisa charged. */
  price: number;
  /** Phone number or email address, once known. */
  address: string | null;
  /** Catalogue entry or service. */
  item: string;
  code: string | null;
  /** When the code was recorded (activations since migration 0502); null otherwise. */
  codeAt: number | null;
  /** The upstream the order was bought from, and its order id there once known. */
  upstreamId: number;
  upstreamOrderId: string | null;
  createdAt: number;
  updatedAt: number;
}

export interface OrderQuery {
  /** Free text: a public id, a row id, a phone number (digits) or an email address. */
  text?: string;
  accountId?: number;
  /** Only orders in this state (the line's own state names). */
  state?: string;
  /** Only orders older than this row id: the next page of a newest-first list. */
  beforeId?: number;
  limit: number;
}

/** A moment in an order's life. */
export interface TimelineEvent {
  at: number;
  what: string;
  detail: string | null;
}

export interface StateCount {
  line: string;
  state: string;
  count: number;
}

/**
 * Settled orders of one line, upstream and service since a moment: how many got a code, and the
 * times it took (ms) for those that were timed. A line may give several samples of one key.
 */
export interface DeliverySample {
  line: string;
  upstream: string;
  service: string;
  settled: number;
  delivered: number;
  timesMs: number[];
}

/** Upstream cost per day and upstream, in the upstream's micro-units (converted by the caller). */
export interface DayCost {
  day: number;
  upstreamId: number;
  costMicros: number;
}

/**
 * One product line. `Ctx` is the application context its jobs run with (kept generic so this
 * module does not import the context, which holds the registry).
 */
export interface ProductLine<Ctx> {
  name: LineName;
  /** The provider kind whose adapters sell this line's orders (and take them back). */
  upstreamKind: 'sms' | 'rental' | 'email';
  /** The line's background jobs (lines sharing one engine register its jobs once, on one line). */
  jobs(ctx: Ctx): Job[];
  /** Its order and money checks for `otpget ledger check`. */
  invariants: readonly InvariantCheck[];
  findOrder(db: Executor, id: number): Promise<OrderSummary | null>;
  /** Its orders matching the query, newest first, at most `q.limit`. */
  searchOrders(db: Executor, q: OrderQuery): Promise<OrderSummary[]>;
  /** The ledger reference of an order's debit and refund (`activation:12`, `email:3`, …). */
  ledgerReference(id: number): string;
  /** A prefix of the order's other ledger references (a rental's renewals), if it has any. */
  relatedLedgerPrefix?(id: number): string;
  /** What only this line records about an order (its code, its messages) for the timeline. */
  orderEvents(db: Executor, order: OrderSummary): Promise<TimelineEvent[]>;
  /** The end state an operator's refund moves an order to. */
  refundedState: string;
  /**
   * An operator's refund inside the caller's transaction: compare-and-set from any state that is
   * not an end state to `refundedState`, crediting the price under the order's own refund
   * reference. The paisa this call refunded when it won (a rental's renewals included); null when
   * the order had already ended.
   */
  operatorRefund(trx: Trx, order: OrderSummary, note: string, now: number): Promise<number | null>;
  /** Its orders by state (the overview and the `otpget_orders` gauge). */
  countOrdersByState(db: Executor): Promise<StateCount[]>;
  /** Code delivery since `since`, for lines whose orders receive codes. */
  deliverySamples?(db: Executor, since: number): Promise<DeliverySample[]>;
  /** What the upstreams charged per day for orders that were not refunded. */
  upstreamCostsPerDay(db: Executor, since: number): Promise<DayCost[]>;
}

/** The registered lines, built once per application. */
export interface ProductLines<Ctx> {
  readonly all: readonly ProductLine<Ctx>[];
  readonly names: readonly LineName[];
  /** The line of that name, or undefined (names come from URLs and the command line). */
  find(name: string): ProductLine<Ctx> | undefined;
  /** `otpget ledger check`'s line checks, in registration order. */
  invariants(): InvariantCheck[];
  jobs(ctx: Ctx): Job[];
}

export function createProductLines<Ctx>(lines: readonly ProductLine<Ctx>[]): ProductLines<Ctx> {
  const byName = new Map<string, ProductLine<Ctx>>();
  for (const line of lines) {
    if (byName.has(line.name)) throw new Error(`product line "${line.name}" is registered twice`);
    byName.set(line.name, line);
  }
  return {
    all: lines,
    names: lines.map((line) => line.name),
    find: (name) => byName.get(name),
    invariants: () => lines.flatMap((line) => line.invariants),
    jobs: (ctx) => lines.flatMap((line) => line.jobs(ctx)),
  };
}
