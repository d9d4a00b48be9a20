import type { IncomingHttpHeaders } from 'node:http';
import type { Socket } from 'node:net';
import type { OrderEvent } from '../events/event-bus.js';
import type { IdempotencyRefusal } from '../idempotency/idempotency-refusal.js';
import type { Params } from './params.js';

/*
 * The shapes of the customer wire frame, apart from the frame itself (wire.ts), so the modules the
 * frame uses (long-poll, idempotency, metrics) can name a reply or an endpoint without importing it.
 */

/** A customer API reply: plain text (SMS and cheap APIs) or JSON (rental and email APIs), always HTTP 200. */
export type WireReply = { kind: 'text'; body: string } | { kind: 'json'; body: unknown };

export const text = (body: string): WireReply => ({ kind: 'text', body });
export const json = (body: unknown): WireReply => ({ kind: 'json', body });

/**
 * What the frame needs of the HTTP request, whichever server read it: Fastify (every customer
 * call) or the fast lane (customer GETs, see fast-lane.ts).
 */
export interface WireRequest {
  ip: string;
  headers: IncomingHttpHeaders;
  /** Long-polls stop when this socket closes (the client hung up). */
  socket: Socket;
  log: { error(details: object, message: string): void };
}

/** One authenticated call of an action. */
export interface WireCall {
  params: Params;
  accountId: number;
  request: WireRequest;
}

/** The frame's answer: the reply, and whether it is a rate-limit refusal (sent with Retry-After). */
export interface WireAnswer {
  reply: WireReply;
  rateLimited: boolean;
}

export type ActionHandler = (call: WireCall) => Promise<WireReply>;

/** A status action that accepts `wait=N` (long-poll): which order it reads and what "still waiting" looks like. */
export interface LongPollAction {
  line: OrderEvent['line'];
  /** The order the call reads, as events name it; null when the call names none (it then answers at once). */
  orderId(params: Params): string | null;
  /** Whether the reply is the endpoint's waiting reply (only then does the call wait). */
  isWaiting(reply: WireReply): boolean;
}

/**
 * A customer endpoint: its path, its actions, and the replies it gives for the failures every
 * action shares. The wire module owns every string it sends; services never see HTTP.
 */
export interface WireEndpoint {
  path: string;
  actions: Readonly<Record<string, ActionHandler>>;
  badKey: () => WireReply;
  blocked: () => WireReply;
  badAction: (action: string) => WireReply;
  /** Answer when a caller exceeds its rate limit. */
  rateLimited: () => WireReply;
  /** Answer to an unexpected failure: generic, never the error's text. */
  internalError: () => WireReply;
  /**
   * Purchase actions that accept an idempotency key (`Idempotency-Key` header or `idempotency_key`
   * parameter): a retry with the same key gets the first reply and is not charged again.
   */
  idempotentActions?: readonly string[];
  /** Answer when a key cannot be honoured (reused with other parameters, malformed, first call unfinished). */
  idempotencyConflict?: (reason: IdempotencyRefusal) => WireReply;
  /** Status actions that accept `wait=N` seconds (1-30): answer as soon as the order changes. */
  longPoll?: Readonly<Record<string, LongPollAction>>;
}
