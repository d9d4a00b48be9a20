import type { Generated } from 'kysely';

/** A SIM card the operator owns, reachable through an Android SMS gateway. */
export interface SimsTable {
  id: Generated<number>;
  /** Digits only, no "+": what the customer is given. Unique among SIMs not removed. */
  phone: string;
  label: string | null;
  /** The gateway's deviceId; inbound SMS are matched to a SIM by (device_id, sim_slot). */
  device_id: string | null;
  /** The gateway's simNumber (1, 2, …); null matches a device's only SIM. */
  sim_slot: number | null;
  /** 0: not handed out to new orders (a live order keeps it). */
  enabled: number;
  /** When it was last handed out: the least recently used free SIM goes first. */
  last_claimed_at: number | null;
  /** Set by `otpget sim remove` on a SIM with history; the row stays for its orders and messages. */
  removed_at: number | null;
  created_at: number;
  updated_at: number;
}

/**
 * One hand-out of a SIM to an order (the sim-pool upstream's "activation"). A unique index on
 * sim_id WHERE state = 'live' makes a SIM belong to at most one live order.
 */
export interface SimOrdersTable {
  id: Generated<number>;
  sim_id: number;
  state: 'live' | 'finished' | 'cancelled';
  created_at: number;
  ended_at: number | null;
}

/** Every inbound SMS the gateway delivered, matched or not. */
export interface SimMessagesTable {
  id: Generated<number>;
  /** The webhook envelope's `id`: unique, so a redelivery is stored once. */
  event_id: string;
  device_id: string;
  sim_slot: number | null;
  /** The SIM it was matched to; null when no SIM matches (kept for the operator). */
  sim_id: number | null;
  /** The live order on that SIM when it arrived; null when the SIM was free. */
  sim_order_id: number | null;
  sender: string;
  text: string;
  /** Device time of receipt, epoch ms (the gateway's receivedAt), or arrival time when unreadable. */
  received_at: number;
  /** When our server stored it. */
  stored_at: number;
}

export interface SimPoolTables {
  sims: SimsTable;
  sim_orders: SimOrdersTable;
  sim_messages: SimMessagesTable;
}
