import type { Executor } from '../db/database.js';

/** An inbound SMS on one of the operator's SIMs. */
export interface SimMessage {
  id: number;
  eventId: string;
  deviceId: string;
  simSlot: number | null;
  simId: number | null;
  simOrderId: number | null;
  sender: string;
  text: string;
  receivedAt: number;
  storedAt: number;
}

type Row = {
  id: number;
  event_id: string;
  device_id: string;
  sim_slot: number | null;
  sim_id: number | null;
  sim_order_id: number | null;
  sender: string;
  text: string;
  received_at: number;
  stored_at: number;
};

function toMessage(r: Row): SimMessage {
  return {
    id: r.id,
    eventId: r.event_id,
    deviceId: r.device_id,
    simSlot: r.sim_slot,
    simId: r.sim_id,
    simOrderId: r.sim_order_id,
    sender: r.sender,
    text: r.text,
    receivedAt: r.received_at,
    storedAt: r.stored_at,
  };
}

/** Stores a message once per event id; returns null when that event was stored before. */
export async function insertSimMessage(
  db: Executor,
  message: Omit<SimMessage, 'id'>,
): Promise<number | null> {
  const row = await db
    .insertInto('sim_messages')
    .values({
      event_id: message.eventId,
      device_id: message.deviceId,
      sim_slot: message.simSlot,
      sim_id: message.simId,
      sim_order_id: message.simOrderId,
      sender: message.sender,
      text: message.text,
      received_at: message.receivedAt,
      stored_at: message.storedAt,
    })
    .onConflict((oc) => oc.column('event_id').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export async function listOrderMessages(db: Executor, simOrderId: number): Promise<SimMessage[]> {
  const rows = await db
    .selectFrom('sim_messages')
    .selectAll()
    .where('sim_order_id', '=', simOrderId)
    .orderBy('id')
    .execute();
  return rows.map(toMessage);
}

/** Newest first; `unassigned` keeps only messages given to no order. */
export async function listSimMessages(
  db: Executor,
  options: { simId?: number; unassigned?: boolean; limit: number },
): Promise<SimMessage[]> {
  const rows = await db
    .selectFrom('sim_messages')
    .selectAll()
    .$if(options.simId !== undefined, (qb) => qb.where('sim_id', '=', options.simId as number))
    .$if(options.unassigned === true, (qb) => qb.where('sim_order_id', 'is', null))
    .orderBy('id', 'desc')
    .limit(options.limit)
    .execute();
  return rows.map(toMessage);
}

export async function countSimMessagesByEvent(db: Executor, eventId: string): Promise<number> {
  const row = await db
    .selectFrom('sim_messages')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('event_id', '=', eventId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
