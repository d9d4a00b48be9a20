import type { Executor } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import { insertSimMessage } from './sim-messages.repository.js';
import { findLiveSimOrder } from './sim-orders.repository.js';
import { listDeviceSims, type Sim } from './sims.repository.js';
import type { ReceivedSms } from './sms-gateway-payload.js';

/**
 * An SMS the device received this long before the order began still counts for it (device and
 * server clocks differ a little); older ones are late redeliveries meant for an earlier holder of
 * the SIM, kept but given to nobody.
 */
export const ORDER_CLOCK_SKEW_MS = 2 * 60_000;

export interface StoredSms {
  outcome: 'stored' | 'duplicate';
  simId: number | null;
  simOrderId: number | null;
}

/**
 * Which SIM received the message: the SIM registered with the device and slot; a device's only SIM
 * when the slot is unknown or the SIM was registered without one. Anything ambiguous matches none.
 */
export function matchSim(deviceSims: Sim[], simSlot: number | null): Sim | null {
  if (simSlot !== null) {
    const exact = deviceSims.filter((s) => s.simSlot === simSlot);
    if (exact.length === 1) return exact[0] ?? null;
  }
  const only = deviceSims.length === 1 ? deviceSims[0] : undefined;
  if (only && (only.simSlot === null || simSlot === null)) return only;
  return null;
}

/**
 * Stores an inbound SMS once per gateway event id and gives it to the order live on its SIM, if
 * there is one. The activation engine's poll job reads it from there through the sim-pool adapter.
 */
export async function storeReceivedSms(db: Executor, clock: Clock, sms: ReceivedSms): Promise<StoredSms> {
  const now = clock.now();
  const sim = matchSim(await listDeviceSims(db, sms.deviceId), sms.simSlot);
  const receivedAt = sms.receivedAt ?? now;
  const live = sim ? await findLiveSimOrder(db, sim.id) : null;
  const simOrderId = live && receivedAt >= live.createdAt - ORDER_CLOCK_SKEW_MS ? live.id : null;
  const id = await insertSimMessage(db, {
    eventId: sms.eventId,
    deviceId: sms.deviceId,
    simSlot: sms.simSlot,
    simId: sim?.id ?? null,
    simOrderId,
    sender: sms.sender,
    text: sms.text,
    receivedAt,
    storedAt: now,
  });
  if (id === null) return { outcome: 'duplicate', simId: sim?.id ?? null, simOrderId: null };
  return { outcome: 'stored', simId: sim?.id ?? null, simOrderId };
}
