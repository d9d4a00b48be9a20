import type { Executor } from '../db/database.js';
import type { Clock } from '../shared/clock.js';
import {
  findSim,
  findSimByPhone,
  insertSim,
  listDeviceSims,
  removeSim,
  type Sim,
} from './sims.repository.js';

/** The operator asked for something the pool cannot do (duplicate number, ambiguous slot, …). */
export class SimPoolError extends Error {
  override name = 'SimPoolError';
}

/** "+92 300-1234567" → "923001234567"; null unless 6–15 digits remain. */
export function normalizePhone(text: string): string | null {
  const digits = text
    .trim()
    .replace(/^\+/, '')
    .replace(/[\s\-().]/g, '');
  return /^\d{6,15}$/.test(digits) ? digits : null;
}

/**
 * Registers a SIM. On one gateway device either a single SIM without a slot, or every SIM with
 * its own slot: otherwise an inbound SMS could not be told apart and would reach the wrong order.
 */
export async function addSim(
  db: Executor,
  clock: Clock,
  input: { phone: string; label?: string | null; deviceId?: string | null; simSlot?: number | null },
): Promise<Sim> {
  const phone = normalizePhone(input.phone);
  if (phone === null) throw new SimPoolError(`"${input.phone}" is not a phone number (6 to 15 digits)`);
  if (await findSimByPhone(db, phone)) throw new SimPoolError(`SIM ${phone} is already in the pool`);
  const deviceId = input.deviceId?.trim() || null;
  const simSlot = input.simSlot ?? null;
  if (simSlot !== null && deviceId === null) throw new SimPoolError('--slot needs --device');
  if (deviceId !== null) {
    const onDevice = await listDeviceSims(db, deviceId);
    if (onDevice.some((s) => s.simSlot === simSlot)) {
      throw new SimPoolError(
        simSlot === null
          ? `device ${deviceId} already has a SIM without a slot; give each SIM its --slot`
          : `device ${deviceId} already has a SIM in slot ${simSlot}`,
      );
    }
    if (onDevice.length > 0 && (simSlot === null || onDevice.some((s) => s.simSlot === null))) {
      throw new SimPoolError(`device ${deviceId} has several SIMs: give each one its --slot (1, 2, …)`);
    }
  }
  const id = await insertSim(
    db,
    { phone, label: input.label?.trim() || null, deviceId, simSlot },
    clock.now(),
  );
  const sim = await findSim(db, id);
  if (!sim) throw new Error(`SIM ${id} vanished after it was added`);
  return sim;
}

/** Finds a current SIM by id ("3") or phone ("923001234567", "+92 300 1234567"). */
export async function resolveSim(db: Executor, idOrPhone: string): Promise<Sim | null> {
  const text = idOrPhone.trim();
  if (/^\d{1,5}$/.test(text)) return findSim(db, Number(text));
  const phone = normalizePhone(text);
  return phone === null ? null : findSimByPhone(db, phone);
}

export async function removeSimFromPool(db: Executor, clock: Clock, idOrPhone: string): Promise<Sim> {
  const sim = await resolveSim(db, idOrPhone);
  if (!sim) throw new SimPoolError(`no SIM "${idOrPhone}" in the pool`);
  const result = await removeSim(db, sim.id, clock.now());
  if (result === 'busy') {
    throw new SimPoolError(
      `SIM ${sim.phone} is held by a live order; disable it now (otpget sim disable ${sim.id}) and remove it when the order ends`,
    );
  }
  if (result === 'not_found') throw new SimPoolError(`no SIM "${idOrPhone}" in the pool`);
  return sim;
}
