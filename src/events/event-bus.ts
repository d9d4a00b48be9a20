import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Database } from '../db/database.js';

/** Something happened to a customer's order that a waiting client may want to know at once. */
export interface OrderEvent {
  type: 'activation.code' | 'email.message' | 'rental.sms';
  accountId: number;
  /** The product line: which API's ids `orderId` belongs to. */
  line: 'sms' | 'cheap' | 'email' | 'rental';
  /** The order's id as that line's API names it (activation public id, email_id, rental order_id). */
  orderId: string;
}

/**
 * Order-changed notifications: an in-process EventEmitter, plus PostgreSQL LISTEN/NOTIFY so an
 * event published in one process (the worker that recorded a code) reaches a long-poll waiting
 * in another. Delivery is best effort: listeners must re-check the database, never trust an event
 * as the state itself, and re-check on their own now and then (`recheckMs`) in case one is lost.
 */
export interface EventBus {
  /** Tells listeners here and, on PostgreSQL, in every other process. Never throws. */
  publish(event: OrderEvent): Promise<void>;
  /** Listens to one account's events; resolves once events from other processes can arrive too. */
  subscribe(accountId: number, listener: (event: OrderEvent) => void): Promise<() => void>;
  /**
   * How often a waiter should re-check on its own: short where other processes cannot reach us
   * (two processes on one SQLite file), long where NOTIFY carries events (only a safety net).
   */
  readonly recheckMs: number;
  close(): Promise<void>;
}

/** SQLite: no cross-process channel, so waiters re-check this often. */
export const SQLITE_RECHECK_MS = 250;
/** PostgreSQL: NOTIFY wakes waiters; this re-check only covers a listener reconnecting. */
export const POSTGRES_RECHECK_MS = 5_000;

export function createEventBus(database: Database, log: Logger): EventBus {
  const emitter = new EventEmitter();
  // Every long-poll adds a listener; thousands at once are normal, not a leak.
  emitter.setMaxListeners(0);
  const emitLocal = (event: OrderEvent) => emitter.emit(`account:${event.accountId}`, event);
  const pool = database.pgPool;
  if (!pool) {
    return {
      recheckMs: SQLITE_RECHECK_MS,
      async publish(event) {
        emitLocal(event);
      },
      async subscribe(accountId, listener) {
        emitter.on(`account:${accountId}`, listener);
        return () => emitter.off(`account:${accountId}`, listener);
      },
      async close() {
        emitter.removeAllListeners();
      },
    };
  }

  // Per schema, so installs (and test suites) sharing one PostgreSQL server do not wake each other.
  const channel = eventChannel(database.schema);
  // Our own NOTIFYs come back to our listener; they were already emitted locally.
  const origin = randomBytes(6).toString('hex');
  let listening: Promise<pg.Client> | null = null;
  let closed = false;

  const listen = (): Promise<pg.Client> => {
    if (listening) return listening;
    // One dedicated connection outside the pool: LISTEN needs a session that stays open.
    const client = new pg.Client(pool.options);
    const started = (async () => {
      client.on('notification', (message) => {
        if (message.channel !== channel || !message.payload) return;
        try {
          const { o, e } = JSON.parse(message.payload) as { o: string; e: OrderEvent };
          if (o !== origin) emitLocal(e);
        } catch {
          // Not ours; ignore.
        }
      });
      client.on('error', (error) => {
        log.warn({ err: error }, 'event listener connection lost; reconnecting on next use');
        if (listening === started) listening = null;
        client.end().catch(() => {});
      });
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      return client;
    })();
    listening = started;
    started.catch(() => {
      if (listening === started) listening = null;
    });
    return started;
  };

  return {
    recheckMs: POSTGRES_RECHECK_MS,
    async publish(event) {
      emitLocal(event);
      try {
        await pool.query('SELECT pg_notify($1, $2)', [channel, JSON.stringify({ o: origin, e: event })]);
      } catch (error) {
        log.warn({ err: error }, 'could not publish an order event to other processes');
      }
    },
    async subscribe(accountId, listener) {
      emitter.on(`account:${accountId}`, listener);
      const unsubscribe = () => emitter.off(`account:${accountId}`, listener);
      if (!closed) {
        try {
          await listen();
        } catch (error) {
          // Waiters still re-check every recheckMs; a missing listener only slows them down.
          log.warn({ err: error }, 'could not listen for order events');
        }
      }
      return unsubscribe;
    },
    async close() {
      closed = true;
      emitter.removeAllListeners();
      const current = listening;
      listening = null;
      if (current) await current.then((client) => client.end()).catch(() => {});
    },
  };
}

/** The NOTIFY channel of one schema; hashed when the schema's name would make it longer than PostgreSQL's 63. */
export function eventChannel(schema: string | null): string {
  const plain = `otpget_events${schema ? `_${schema}` : ''}`;
  if (plain.length <= 63) return plain;
  return `otpget_events_${createHash('sha256')
    .update(schema ?? '')
    .digest('hex')
    .slice(0, 32)}`;
}
